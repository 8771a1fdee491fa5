/**
 * Completion: Secret types, required keys of a typed Secret, and Secret names and keys where
 * a pod spec refers to a Secret, also in text that is still being typed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completionsAt } from '../../server/src/core/completion';
import { SecretIndex } from '../../server/src/core/secret-index';

/** Completion labels at the `|` of `marked` (which is removed). */
function at(marked: string, index?: SecretIndex): { labels: string[]; replaced: string } {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const result = completionsAt(text, offset, {
    path: '/ws/here.yaml',
    ...(index ? { workspaceSecrets: () => index.all() } : {}),
  });
  return {
    labels: result?.items.map((item) => item.label) ?? [],
    replaced: result ? text.slice(result.start, result.end) : '',
  };
}

test('Secret types at type:, replacing what is typed', () => {
  const { labels, replaced } = at('apiVersion: v1\nkind: Secret\ntype: kub|\ndata: {}\n');
  assert.ok(labels.includes('Opaque') && labels.includes('kubernetes.io/tls'));
  assert.equal(labels.length, 8);
  assert.equal(replaced, 'kub');
  assert.deepEqual(at('apiVersion: v1\nkind: ConfigMap\ntype: |\n').labels, [], 'only in Secrets');
});

test('the keys a typed Secret still lacks, on a blank line or a key being typed', () => {
  const tls =
    'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: YQ==\n  |\n';
  assert.deepEqual(at(tls).labels, ['tls.key']);
  const typing = at(
    'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nstringData:\n  a: b\n  tl|\n',
  );
  assert.deepEqual(typing.labels, ['tls.crt', 'tls.key']);
  assert.equal(typing.replaced, 'tl');
  assert.deepEqual(at('apiVersion: v1\nkind: Secret\ntype: Opaque\ndata:\n  |\n').labels, []);
});

test('Secret names and their keys in pod specs, from the file and the workspace', () => {
  const index = new SecretIndex();
  index.update(
    '/ws/secrets.yaml',
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ndata:\n  password: YQ==\n  user: YQ==\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: other-ns\n  namespace: ops\ndata: {a: YQ==}\n',
  );
  const pod = (ref: string): string =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: local\nstringData:\n  token: t\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n${ref}      volumes:\n        - name: v\n          secret:\n            secretName: db\n            items:\n              - key: |\n`;
  const names = at(
    pod(
      '          env:\n            - name: A\n              valueFrom:\n                secretKeyRef:\n                  name: |\n',
    ),
    index,
  ).labels;
  assert.deepEqual(names.sort(), ['db', 'local'], 'the other namespace is left out');
  const keys = at(
    pod(
      '          env:\n            - name: A\n              valueFrom:\n                secretKeyRef:\n                  name: db\n                  key: pa|\n',
    ),
    index,
  );
  assert.deepEqual(keys.labels, ['password', 'user']);
  assert.equal(keys.replaced, 'pa');
  const envFrom = at(
    pod('          envFrom:\n            - secretRef:\n                name: |\n'),
    index,
  );
  assert.deepEqual(envFrom.labels.sort(), ['db', 'local']);
  const items = at(pod('').replace('- key: |', '- key: |'), index);
  assert.deepEqual(items.labels, ['password', 'user'], 'volume items name keys of secretName');
});
