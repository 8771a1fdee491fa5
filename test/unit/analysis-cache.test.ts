/**
 * What makes re-analysis cheap must never make it stale: the per-document cache (answers of
 * Secret lookups recorded with each analysis), fixes built on demand, and CustomResourceDefinition
 * documents that are recognised from their text and not parsed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { isCustomResourceDefinition, parseFile } from '../../server/src/core/parse';
import { SecretIndex } from '../../server/src/core/secret-index';
import { applyEdits } from '../helpers/apply-edits';
import { apiDeployment } from '../helpers/manifests';

const secret = (key: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  ${key}: a-long-enough-value\n`;

const DEPLOYMENT = apiDeployment([
  '      containers:',
  '        - name: api',
  '          image: api:1',
  '          env:',
  '            - name: DB_PASSWORD',
  '              valueFrom:',
  '                secretKeyRef:',
  '                  name: db',
  '                  key: password',
]);

const missingKeys = (text: string, path: string, secrets?: SecretIndex): number =>
  analyze({ text, path, ...(secrets ? { secrets } : {}) }).findings.filter(
    (finding) => finding.ruleId === 'secret-key-missing',
  ).length;

test('a Secret changed in the same file re-checks the unchanged workload that uses it', () => {
  const path = '/ws/same-file.yaml';
  const good = `${secret('password')}---\n${DEPLOYMENT}`;
  const renamed = `${secret('passwd')}---\n${DEPLOYMENT}`;
  assert.equal(missingKeys(good, path), 0);
  assert.equal(missingKeys(renamed, path), 1);
  assert.equal(missingKeys(good, path), 0);
});

test('a Secret changed in another file re-checks the same workload text', () => {
  const index = new SecretIndex();
  index.update('/ws/secret.yaml', secret('password'));
  assert.equal(missingKeys(DEPLOYMENT, '/ws/app.yaml', index), 0);
  index.update('/ws/secret.yaml', secret('passwd'));
  assert.equal(missingKeys(DEPLOYMENT, '/ws/app.yaml', index), 1);
  index.remove('/ws/secret.yaml');
  // No Secret named db in the workspace: nothing to check the key against.
  assert.equal(missingKeys(DEPLOYMENT, '/ws/app.yaml', index), 0);
});

test('fixes built on demand are placed in their document, wherever it is in the file', () => {
  const alone = analyze({ text: DEPLOYMENT, path: '/ws/alone.yaml' }).findings.find(
    (finding) => finding.ruleId === 'secret-in-env',
  );
  const prefix = `${secret('password')}---\n`;
  const second = analyze({ text: prefix + DEPLOYMENT, path: '/ws/second.yaml' }).findings.find(
    (finding) => finding.ruleId === 'secret-in-env',
  );
  assert.ok(alone?.fixes && second?.fixes);
  assert.equal(second.start, alone.start + prefix.length);
  assert.deepEqual(
    second.fixes.map((fix) => fix.title),
    alone.fixes.map((fix) => fix.title),
  );
  second.fixes.forEach((fix, index) => {
    const expected = alone.fixes?.[index];
    assert.ok(expected);
    assert.equal(
      applyEdits(prefix + DEPLOYMENT, fix.edits),
      prefix + applyEdits(DEPLOYMENT, expected.edits),
    );
  });
});

const CRD = [
  '# a schema, as release manifests carry them',
  'apiVersion: apiextensions.k8s.io/v1',
  'kind: CustomResourceDefinition',
  'metadata:',
  '  name: widgets.example.com',
  'spec:',
  '  group: example.com',
  '  names:',
  '    kind: Widget',
  '  versions: []',
  '',
].join('\n');

test('a CustomResourceDefinition is recognised from its text and not parsed', () => {
  assert.ok(isCustomResourceDefinition(CRD));
  assert.ok(isCustomResourceDefinition(`---\n${CRD}...\n`));
  assert.ok(isCustomResourceDefinition(CRD.replace('v1\n', 'v1beta1 # old\n')));
  const [document] = parseFile(`${CRD}---\n${secret('password')}`);
  assert.ok(document?.ok);
  assert.equal(document.document.contents, null);
});

test('anything that could hide another object in a CRD-looking text is parsed', () => {
  const hidden = [
    // Another top-level key, a second kind, a List, a tag, an anchor, flow style, JSON, SOPS.
    `${CRD}data:\n  password: x\n`,
    `${CRD}kind: Secret\n`,
    CRD.replace('kind: CustomResourceDefinition', 'kind: List'),
    CRD.replace('kind: CustomResourceDefinition', 'kind: !!str CustomResourceDefinition'),
    CRD.replace('metadata:', '&m metadata:'),
    `{apiVersion: apiextensions.k8s.io/v1, kind: Secret, x: "\nkind: CustomResourceDefinition\n"}\n`,
    '{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition"}\n',
    `${CRD}sops:\n  mac: x\n`,
    CRD.replace('apiVersion: apiextensions.k8s.io/v1', 'apiVersion: v1'),
    CRD.replace('\nmetadata:', '\rkind: Secret\nmetadata:'),
  ];
  for (const text of hidden) assert.ok(!isCustomResourceDefinition(text), text);
});
