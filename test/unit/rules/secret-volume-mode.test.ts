import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFile } from '../../../server/src/core/parse';
import { applyEdits } from '../../helpers/apply-edits';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

/** A Pod whose volumes are `volumes` (YAML lines at column 2). */
const pod = (volumes: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n  volumes:\n${volumes}`;

const secretVolume = (mode: string): string =>
  pod(`    - name: creds\n      secret:\n        secretName: db\n        defaultMode: ${mode}\n`);

const fixed = (mode: string): string => secretVolume(mode);

/** YAML flow style with JSON-style quoting inside: the fixes still write octal. */
const CRONJOB =
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: jobs}\n---\napiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          volumes: [{"name": c, secret: {secretName: db, defaultMode: 0444}}]\n';

ruleTester('secret-volume-mode', {
  valid: [
    { name: 'octal 0400', code: secretVolume('0400') },
    { name: 'octal 0440', code: secretVolume('0440') },
    { name: 'octal 0600 (owner write is fine)', code: secretVolume('0600') },
    { name: '0o400 is octal to go-yaml (Go 1.13 ParseInt)', code: secretVolume('0o400') },
    { name: 'decimal 256 is 0400', code: secretVolume('256') },
    { name: 'decimal 288 is 0440', code: secretVolume('288') },
    {
      name: 'a quoted string is no mode (the API rejects it; not this rule)',
      code: secretVolume('"0644"'),
    },
    { name: 'a variable', code: secretVolume('${MODE}') },
    {
      name: 'no defaultMode',
      code: pod('    - name: creds\n      secret:\n        secretName: db\n'),
    },
    {
      name: 'a configMap volume may be world-readable',
      code: pod(
        '    - name: conf\n      configMap:\n        name: app\n        defaultMode: 0644\n',
      ),
    },
    {
      name: 'a projected volume without a Secret source',
      code: pod(
        '    - name: token\n      projected:\n        defaultMode: 420\n        sources:\n          - serviceAccountToken:\n              path: token\n          - configMap:\n              name: ca\n',
      ),
    },
    {
      name: 'items with safe modes',
      code: pod(
        '    - name: creds\n      secret:\n        secretName: db\n        defaultMode: 0400\n        items:\n          - key: password\n            path: password\n            mode: 0440\n',
      ),
    },
    {
      name: 'a JSON manifest with a safe decimal mode',
      code: '{"apiVersion": "v1", "kind": "Pod", "spec": {"volumes": [{"name": "c", "secret": {"secretName": "db", "defaultMode": 256}}]}}',
    },
    {
      name: 'not a workload',
      code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  volumes: x\nspec:\n  volumes:\n    - secret:\n        defaultMode: 0777\n',
    },
  ],
  invalid: [
    {
      name: 'defaultMode: 400 is decimal, 0620',
      code: secretVolume('400'),
      errors: [
        {
          line: 13,
          column: 22,
          endLine: 13,
          endColumn: 25,
          severity: 'warning',
          fixes: { 'Set 0400': fixed('0400'), 'Set 0440': fixed('0440') },
        },
      ],
    },
    {
      name: 'the kubectl default 0644 written out',
      code: secretVolume('0644 # default'),
      errors: [
        {
          line: 13,
          column: 22,
          endLine: 13,
          endColumn: 26,
          fixes: {
            'Set 0400': secretVolume('0400 # default'),
            'Set 0440': secretVolume('0440 # default'),
          },
        },
      ],
    },
    {
      name: 'decimal 420 is 0644',
      code: secretVolume('420'),
      errors: [{ line: 13, column: 22, endLine: 13, endColumn: 25 }],
    },
    {
      name: 'hex 0x1a4 is 0644',
      code: secretVolume('0x1a4'),
      errors: [{ line: 13, column: 22, endLine: 13, endColumn: 27 }],
    },
    {
      name: 'go octal 0o660 is group write',
      code: secretVolume('0o660'),
      errors: [{ line: 13, column: 22, endLine: 13, endColumn: 27 }],
    },
    {
      name: 'other write only: 0602',
      code: secretVolume('0602'),
      errors: [{ line: 13, column: 22, endLine: 13, endColumn: 26 }],
    },
    {
      name: 'decimal 644 is 01204, out of range',
      code: secretVolume('644'),
      errors: [{ line: 13, column: 22, endLine: 13, endColumn: 25 }],
    },
    {
      name: 'a negative mode',
      code: secretVolume('-1'),
      errors: [{ line: 13, column: 22, endLine: 13, endColumn: 24 }],
    },
    {
      name: 'an item mode, with a safe defaultMode',
      code: pod(
        '    - name: creds\n      secret:\n        secretName: db\n        defaultMode: 0400\n        items:\n          - key: password\n            path: password\n            mode: 0666\n',
      ),
      errors: [
        {
          line: 17,
          column: 19,
          endLine: 17,
          endColumn: 23,
          fixes: {
            'Set 0400': pod(
              '    - name: creds\n      secret:\n        secretName: db\n        defaultMode: 0400\n        items:\n          - key: password\n            path: password\n            mode: 0400\n',
            ),
            'Set 0440': pod(
              '    - name: creds\n      secret:\n        secretName: db\n        defaultMode: 0400\n        items:\n          - key: password\n            path: password\n            mode: 0440\n',
            ),
          },
        },
      ],
    },
    {
      name: 'projected: defaultMode and a secret item mode',
      code: pod(
        '    - name: all\n      projected:\n        defaultMode: 0644\n        sources:\n          - configMap:\n              name: ca\n          - secret:\n              name: db\n              items:\n                - key: password\n                  path: db/password\n                  mode: 0604\n',
      ),
      errors: [
        { line: 12, column: 22, endLine: 12, endColumn: 26 },
        { line: 21, column: 25, endLine: 21, endColumn: 29 },
      ],
    },
    {
      name: 'a JSON manifest (kind last): the fixes write decimal numbers',
      code: '{\n  "spec": {"template": {"spec": {"volumes": [{"name": "c", "secret": {"secretName": "db", "defaultMode": 420}}]}}},\n  "apiVersion": "apps/v1",\n  "kind": "Deployment"\n}\n',
      errors: [
        {
          line: 2,
          column: 106,
          endLine: 2,
          endColumn: 109,
          fixes: {
            'Set 0400':
              '{\n  "spec": {"template": {"spec": {"volumes": [{"name": "c", "secret": {"secretName": "db", "defaultMode": 256}}]}}},\n  "apiVersion": "apps/v1",\n  "kind": "Deployment"\n}\n',
            'Set 0440':
              '{\n  "spec": {"template": {"spec": {"volumes": [{"name": "c", "secret": {"secretName": "db", "defaultMode": 288}}]}}},\n  "apiVersion": "apps/v1",\n  "kind": "Deployment"\n}\n',
          },
        },
      ],
    },
    {
      name: 'a CronJob in the second document of a file, flow style',
      code: CRONJOB,
      errors: [
        {
          line: 12,
          column: 71,
          endLine: 12,
          endColumn: 75,
          fixes: {
            'Set 0400': CRONJOB.replace('0444', '0400'),
            'Set 0440': CRONJOB.replace('0444', '0440'),
          },
        },
      ],
    },
  ],
});

test('the message shows the mode in octal and rwx form, and names what it grants', () => {
  const messages = (mode: string): string[] =>
    findingsOf('secret-volume-mode', { code: secretVolume(mode) }).map((f) => f.message);
  assert.deepEqual(messages('400'), [
    "defaultMode 400 is 0620 (rw--w----): it grants group write on the Secret's files",
  ]);
  assert.deepEqual(messages('0666'), [
    "defaultMode 0666 is 0666 (rw-rw-rw-): it grants group write, other read, other write on the Secret's files",
  ]);
  assert.deepEqual(messages('644'), [
    'defaultMode 644 is 01204, over 0777: the API server rejects it',
  ]);
  assert.deepEqual(messages('-1'), ['defaultMode -1 is negative: the API server rejects it']);
});

test('every fix re-parses, keeps the rest of the file and removes the finding', () => {
  for (const mode of ['400', '0644 # default', '420', '0o660', '644']) {
    const code = secretVolume(mode);
    const [finding] = findingsOf('secret-volume-mode', { code });
    assert.ok(finding, mode);
    for (const fix of finding.fixes ?? []) {
      const after = applyEdits(code, fix.edits);
      assert.ok(
        parseFile(after).every((document) => document.ok),
        fix.title,
      );
      assert.deepEqual(findingsOf('secret-volume-mode', { code: after }), [], fix.title);
      assert.equal(after.replace(/defaultMode: .*/, ''), code.replace(/defaultMode: .*/, ''));
    }
  }
});
