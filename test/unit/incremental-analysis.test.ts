/**
 * A keystroke's re-analysis reuses what the edit left whole: documents kept in place or
 * shifted, their analyses and findings, their Secrets (analyze.ts's FileAnalysis,
 * secret-index.ts's FileSecrets). Whatever is reused, the answer must be a fresh analysis's:
 * checked here after each of many random edits to a file of documents that every kind of
 * finding comes from, including the ones that depend on other documents (Secret lookups,
 * fixes that edit another document).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { forgetFiles } from '../../server/src/core/incremental-split';
import { splitDocuments } from '../../server/src/core/parse';
import { SecretIndex, secretsOfText } from '../../server/src/core/secret-index';
import { noteSharedAffixes } from '../../server/src/core/text-affixes';
import type { Finding } from '../../server/src/core/types';
import { apiDeployment } from '../helpers/manifests';
import { seededIntegers } from '../helpers/random';

const SECRET = (name: string): string =>
  [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    'data:',
    '  password: cGFzc3dvcmQ=',
    '  broken: "!!notbase64"',
    'stringData:',
    '  password: hunter2',
    '  token: "abc\\n"',
    '',
  ].join('\n');

const WORKLOAD = (secret: string): string =>
  '# secret-guard-disable-next-line no-such-rule\n' +
  apiDeployment([
    '      containers:',
    '        - name: api',
    '          env:',
    '            - name: DB_PASSWORD',
    '              valueFrom:',
    '                secretKeyRef:',
    `                  name: ${secret}`,
    '                  key: pasword',
    '            - name: DB_PASSWORD_2',
    '              valueFrom:',
    '                secretKeyRef:',
    `                  name: ${secret}`,
    '                  key: password',
    '            - name: API_TOKEN',
    '              value: Zx9vQ2mLp4RtK8',
    '      volumes:',
    '        - name: creds',
    '          secret:',
    `            secretName: ${secret}`,
    '            defaultMode: 0666',
  ]);

const OTHERS = [
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  DB_PASSWORD: hunter22\n',
  [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: Role',
    'metadata:',
    '  name: reader',
    'rules:',
    '  - apiGroups: [""]',
    '    resources: ["secrets"]',
    '    verbs: ["get", "list"]',
    '',
  ].join('\n'),
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports:\n    - port: 80\n',
];

function baseFile(): string {
  const documents: string[] = [];
  for (let i = 0; i < 24; i++) {
    // Each workload uses the Secret just before it, which no other document names.
    const name = `db-${Math.floor(i / 3)}`;
    // api-env: where hardcoded-secret-env's fix moves the Deployment's value, another document.
    if (i % 3 === 0) documents.push(SECRET(i === 12 ? 'api-env' : name));
    else if (i % 3 === 1) documents.push(WORKLOAD(name));
    else documents.push(OTHERS[Math.floor(i / 3) % OTHERS.length] ?? '');
  }
  return documents.map((document) => `---\n${document}`).join('');
}

/** Edits that keep the YAML valid (mostly a key or a name changed), then any edit at all. */
const KEEPING = ['x', 'pas', '1', 'db-1', '', '# c\n'];
const BREAKING = [' ', '\n', '---\n', 'a: 1\n', '- ', ':', '"'];

/** An offset inside or at the end of an occurrence of `password` or a Secret's name. */
function somewhereIn(text: string, next: (n: number) => number): number {
  const places = [...text.matchAll(/password|db-\d+/g)];
  const place = places[next(places.length)];
  return place ? (place.index ?? 0) + next(place[0].length + 1) : next(text.length + 1);
}

/** Findings as plain data, fixes built (lazy ones too). */
function plain(findings: readonly Finding[]): unknown[] {
  return findings.map((finding) => ({
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    start: finding.start,
    end: finding.end,
    fixes: finding.fixes?.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((edit) => [edit.start, edit.end, edit.newText]),
    })),
  }));
}

test('after each random edit, the re-analysis that reuses what the edit kept is a fresh one', () => {
  const path = '/tmp/incremental-analysis/typing.yaml';
  let fresh = 0;
  for (const seed of [1, 2, 3]) {
    forgetFiles();
    const next = seededIntegers(seed);
    const index = new SecretIndex();
    let text = baseFile();
    const first = analyze({ text, path, secrets: index });
    index.update(path, text);
    // The file holds every kind of finding this checks, fixes that edit other documents too.
    const rules = new Set(first.findings.map((finding) => finding.ruleId));
    assert.ok(rules.size >= 10, [...rules].join(', '));
    const documentAt = (offset: number): number =>
      splitDocuments(text).filter((segment) => segment.offset <= offset).length;
    assert.ok(
      first.findings.some((finding) =>
        finding.fixes?.some((fix) =>
          fix.edits.some((edit) => documentAt(edit.start) !== documentAt(finding.start)),
        ),
      ),
    );
    for (let step = 0; step < 150; step++) {
      const before = text;
      // Every 25 edits, the whole text again (random edits break the YAML over time); else
      // one edit in two where a Secret's key or name is written, and a workload reads it.
      const reset = step % 25 === 24;
      const at = reset ? 0 : next(2) === 0 ? somewhereIn(text, next) : next(text.length + 1);
      const keeping = next(4) !== 0;
      const removed = reset
        ? text.length
        : Math.min(keeping ? next(2) : next(4) === 0 ? next(40) : next(3), text.length - at);
      const snippets = keeping ? KEEPING : BREAKING;
      const inserted = reset ? baseFile() : (snippets[next(snippets.length)] ?? '');
      text = text.slice(0, at) + inserted + text.slice(at + removed);
      // As the language server does: the editor's change range, when it gave one.
      if (next(2) === 0) {
        noteSharedAffixes(before, text, { prefix: at, suffix: before.length - at - removed });
      }
      const where = `seed ${seed}, step ${step}`;
      const reusing = analyze({ text, path, secrets: index });
      index.update(path, text);
      // A path of its own: nothing of the file's previous analyses or split is reused.
      const alone = analyze({ text, path: `/tmp/incremental-analysis/fresh-${fresh++}.yaml` });
      assert.deepEqual(reusing.internalErrors, alone.internalErrors, where);
      assert.deepEqual(plain(reusing.findings), plain(alone.findings), where);
      assert.deepEqual(
        index.all().map((secret) => [secret.name, secret.nameSpan, secret.keys]),
        secretsOfText(text, undefined).map((secret) => [secret.name, secret.nameSpan, secret.keys]),
        where,
      );
    }
  }
  forgetFiles();
});
