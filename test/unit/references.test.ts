import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretDefinitionsAt, secretTargetAt } from '../../server/src/core/references';
import { SecretIndex } from '../../server/src/core/secret-index';

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: api',
  '  namespace: shop',
  'spec:',
  '  containers:',
  '    - name: api',
  '      env:',
  '        - name: P',
  '          valueFrom:',
  '            secretKeyRef: {name: db, key: password}',
  '      envFrom:',
  '        - secretRef:',
  '            name: api-keys',
  '  volumes:',
  '    - name: v',
  '      secret:',
  '        secretName: db',
  '        items:',
  '          - key: username',
  '            path: u',
  '    - name: p',
  '      projected:',
  '        sources:',
  '          - secret:',
  '              name: tls',
  '              items: [{key: tls.key, path: k}]',
  '',
].join('\n');

const SECRETS = new SecretIndex();
SECRETS.update(
  '/ws/db.yaml',
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  username: YWRtaW4=\n  password: cGFzcw==\n',
);
SECRETS.update(
  '/ws/prod/db.yaml',
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: x\n',
);
SECRETS.update(
  '/ws/other-ns.yaml',
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: billing\nstringData:\n  password: x\n',
);

const at = (needle: string, shift = 1): number => POD.indexOf(needle) + shift;

test('the target under the cursor: names and keys of every kind of reference', () => {
  const cases: [string, string, string | undefined][] = [
    ['name: db', 'db', undefined],
    ['key: password', 'db', 'password'],
    ['name: api-keys', 'api-keys', undefined],
    ['secretName: db', 'db', undefined],
    ['key: username', 'db', 'username'],
    ['name: tls', 'tls', undefined],
    ['key: tls.key', 'tls', 'tls.key'],
  ];
  for (const [needle, name, key] of cases) {
    const value = needle.slice(needle.indexOf(': ') + 2);
    const target = secretTargetAt(POD, at(needle, needle.indexOf(': ') + 3));
    assert.ok(target, needle);
    assert.deepEqual([target.name, target.key, target.namespace], [name, key, 'shop'], needle);
    assert.equal(POD.slice(target.start, target.end), value, needle);
  }
  assert.equal(secretTargetAt(POD, at('name: api\n')), undefined, 'a container name');
  assert.equal(secretTargetAt(POD, at('secretKeyRef')), undefined, 'a key, not a value');
});

test('a key goes to that key in every matching Secret, in every file', () => {
  const definitions = secretDefinitionsAt(POD, at('password}'), SECRETS);
  assert.deepEqual(
    definitions.map((d) => [d.path, d.span.startPosition, d.span.endPosition]),
    [
      ['/ws/db.yaml', { line: 6, character: 2 }, { line: 6, character: 10 }],
      ['/ws/prod/db.yaml', { line: 6, character: 2 }, { line: 6, character: 10 }],
    ],
  );
});

test('a name goes to the Secrets, and so does a key that none of them has', () => {
  const byName = secretDefinitionsAt(POD, at('db\n'), SECRETS);
  assert.deepEqual(
    byName.map((d) => [d.path, d.span.startPosition]),
    [
      ['/ws/db.yaml', { line: 3, character: 8 }],
      ['/ws/prod/db.yaml', { line: 3, character: 8 }],
    ],
  );
  const missing = POD.replace('key: username', 'key: usr');
  assert.deepEqual(
    secretDefinitionsAt(missing, missing.indexOf('usr'), SECRETS).map((d) => d.path),
    ['/ws/db.yaml', '/ws/prod/db.yaml'],
  );
  assert.deepEqual(secretDefinitionsAt(POD, at('api-keys'), SECRETS), []);
  assert.deepEqual(secretDefinitionsAt(POD, 0, SECRETS), []);
});
