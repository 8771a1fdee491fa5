import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  SecretIndex,
  namespacesMatch,
  secretLookupForFile,
  secretsOfText,
} from '../../server/src/core/secret-index';
import { parseFile } from '../../server/src/core/parse';

const DB =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ndata:\n  username: YWRtaW4=\nstringData:\n  password: x\n';

test('a Secret is indexed with its name, namespace, keys and their exact spans', () => {
  const text = `# header\n---\n${DB}`;
  const [secret, ...rest] = secretsOfText(text, '/ws/db.yaml');
  assert.equal(rest.length, 0);
  assert.ok(secret);
  assert.equal(secret.path, '/ws/db.yaml');
  assert.equal(secret.name, 'db');
  assert.equal(secret.namespace, 'shop');
  assert.equal(secret.openKeys, false);
  assert.equal(text.slice(secret.nameSpan.start, secret.nameSpan.end), 'db');
  assert.deepEqual(secret.nameSpan.startPosition, { line: 5, character: 8 });
  assert.deepEqual(
    secret.keys.map((key) => [key.field, key.key, text.slice(key.span.start, key.span.end)]),
    [
      ['data', 'username', 'username'],
      ['stringData', 'password', 'password'],
    ],
  );
  assert.deepEqual(secret.keys[1]?.span.startPosition, { line: 10, character: 2 });
  assert.deepEqual(secret.keys[1]?.span.endPosition, { line: 10, character: 10 });
});

test('what is not a definition: other kinds, templated names, broken documents, no name', () => {
  assert.deepEqual(
    secretsOfText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\n', 'a'),
    [],
  );
  assert.deepEqual(secretsOfText('apiVersion: v1\nkind: Secret\ndata:\n  a: b\n', 'a'), []);
  assert.deepEqual(
    secretsOfText('apiVersion: v1\nkind: Secret\nmetadata:\n  name: "{{ .Values.name }}"\n', 'a'),
    [],
  );
  assert.deepEqual(secretsOfText('apiVersion: v1\nkind: Secret\nmetadata: {name: db\n', 'a'), []);
  assert.deepEqual(secretsOfText('kind: Secret\napiVersion: bitnami.com/v1alpha1\n', 'a'), []);
});

test('templated data makes the keys open; Lists and JSON are read', () => {
  const [open] = secretsOfText(
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  a: "{{ .Values.a }}"\ndata: ${DATA}\n',
    'a',
  );
  assert.equal(open?.openKeys, true);
  const [values] = secretsOfText(
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  a: "{{ .Values.a | b64enc }}"\n  b: ${B}\n',
    'a',
  );
  assert.equal(values?.openKeys, false, 'templated values leave the keys known');
  assert.deepEqual(
    values?.keys.map((key) => key.key),
    ['a', 'b'],
  );
  const [keys] = secretsOfText(
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  "{{ .Values.key }}": x\n',
    'a',
  );
  assert.equal(keys?.openKeys, true, 'a templated key may be any key');
  const list = secretsOfText(
    'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Secret, metadata: {name: a}, data: {k: dg==}}\n  - {apiVersion: v1, kind: Secret, metadata: {name: b}}\n',
    'l',
  );
  assert.deepEqual(
    list.map((secret) => [secret.name, secret.keys.map((key) => key.key)]),
    [
      ['a', ['k']],
      ['b', []],
    ],
  );
  const [json] = secretsOfText(
    '{"data": {"k": "dg=="}, "metadata": {"name": "j"}, "kind": "Secret", "apiVersion": "v1"}',
    'j',
  );
  assert.deepEqual(
    json?.keys.map((key) => key.key),
    ['k'],
  );
});

test('namespaces: a missing one on either side matches any', () => {
  assert.equal(namespacesMatch(undefined, 'a'), true);
  assert.equal(namespacesMatch('a', undefined), true);
  assert.equal(namespacesMatch('a', 'a'), true);
  assert.equal(namespacesMatch('a', 'b'), false);
});

test('the index: lookup, update, remove, and a version that follows what matters', () => {
  const index = new SecretIndex();
  assert.equal(index.version, 0);
  assert.equal(index.update('/ws/db.yaml', DB), true);
  assert.equal(index.update('/ws/empty.yaml', 'kind: ConfigMap\n'), true, 'a new file counts');
  const version = index.version;
  assert.equal(index.lookup('db').length, 1);
  assert.equal(index.lookup('db', 'shop').length, 1);
  assert.equal(index.lookup('db', 'other').length, 0);
  assert.equal(index.lookup('nope').length, 0);
  // Moving text or changing a value changes offsets only: same version, fresh offsets.
  assert.equal(
    index.update('/ws/db.yaml', `# moved\n${DB.replace('password: x', 'password: y')}`),
    false,
  );
  assert.equal(index.version, version);
  assert.deepEqual(index.lookup('db')[0]?.nameSpan.startPosition, { line: 4, character: 8 });
  // A new key changes the answers.
  assert.equal(index.update('/ws/db.yaml', DB.replace('password:', 'token:')), true);
  assert.deepEqual(
    index.lookup('db')[0]?.keys.map((key) => key.key),
    ['username', 'token'],
  );
  assert.equal(index.update('/ws/other/db.yaml', DB), true);
  assert.equal(index.lookup('db').length, 2);
  assert.deepEqual(index.paths().sort(), ['/ws/db.yaml', '/ws/empty.yaml', '/ws/other/db.yaml']);
  assert.equal(index.remove('/ws/db.yaml'), true);
  assert.equal(index.remove('/ws/db.yaml'), false);
  assert.deepEqual(
    index.lookup('db').map((secret) => secret.path),
    ['/ws/other/db.yaml'],
  );
  assert.equal(index.has('/ws/db.yaml'), false);
  assert.equal(index.size, 2);
});

test('a file lookup puts the current text in place of what the index holds for the file', () => {
  const index = new SecretIndex();
  index.update('/ws/db.yaml', DB);
  index.update('/ws/other.yaml', DB.replace('password:', 'token:'));
  const edited = DB.replace('password:', 'api-key:');
  const { lookup, cacheKey } = secretLookupForFile(index, '/ws/db.yaml', edited, parseFile(edited));
  assert.deepEqual(
    lookup.lookup('db').map((secret) => [secret.path, secret.keys.map((key) => key.key)]),
    [
      ['/ws/other.yaml', ['username', 'token']],
      ['/ws/db.yaml', ['username', 'api-key']],
    ],
  );
  const again = secretLookupForFile(index, '/ws/db.yaml', edited, parseFile(edited));
  assert.equal(again.cacheKey, cacheKey);
  const other = secretLookupForFile(index, '/ws/db.yaml', DB, parseFile(DB));
  assert.notEqual(other.cacheKey, cacheKey);
  const noIndex = secretLookupForFile(undefined, undefined, DB, parseFile(DB));
  assert.equal(noIndex.lookup.lookup('db').length, 1);
  assert.equal(noIndex.lookup.lookup('db')[0]?.path, undefined);
});
