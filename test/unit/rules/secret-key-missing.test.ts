import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFile } from '../../../server/src/core/parse';
import { closestKey, osaDistance } from '../../../server/src/core/rules/secret-key-missing';
import { SecretIndex } from '../../../server/src/core/secret-index';
import { applyEdits } from '../../helpers/apply-edits';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

/** The Secret `db` with keys username and password (its values must never be printed). */
const DB_SECRET =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  username: YWRtaW4=\nstringData:\n  password: hunter2-Secret\n';

/** A Deployment whose container takes key `key` of Secret `name` (key on line 15). */
const deployment = (name: string, key: string, extra = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: ${name}\n                  key: ${key}\n${extra}`;

/** An index holding `files` (path -> text), as the adapters build it. */
function indexOf(files: Record<string, string>): SecretIndex {
  const index = new SecretIndex();
  for (const [path, text] of Object.entries(files)) index.update(path, text);
  return index;
}

const workspace = indexOf({ '/ws/secrets/db.yaml': DB_SECRET });
const fixedDeployment = (key: string): string => `${DB_SECRET}---\n${deployment('db', key)}`;

ruleTester('secret-key-missing', {
  valid: [
    {
      name: 'the key exists (same file)',
      code: `${DB_SECRET}---\n${deployment('db', 'password')}`,
    },
    {
      name: 'a data key exists (same file)',
      code: `${DB_SECRET}---\n${deployment('db', 'username')}`,
    },
    {
      name: 'the key exists in another file of the workspace',
      code: deployment('db', 'password'),
      path: '/ws/apps/api.yaml',
      secrets: workspace,
    },
    { name: 'the Secret is not defined in the workspace', code: deployment('db', 'pasword') },
    {
      name: 'optional references tolerate a missing key',
      code: `${DB_SECRET}---\n${deployment('db', 'pasword').replace('key: pasword', 'key: pasword\n                  optional: true')}`,
    },
    {
      name: 'a templated key',
      code: `${DB_SECRET}---\n${deployment('db', '"{{ .Values.key }}"')}`,
    },
    {
      name: 'a templated name',
      code: `${DB_SECRET}---\n${deployment('"{{ .Values.db }}"', 'pasword')}`,
    },
    {
      name: 'a Secret with templated data may have any key',
      code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  "{{ .Values.key }}": x\n---\n${deployment('db', 'anything')}`,
    },
    {
      name: 'overlays: one of the Secrets named db has the key',
      code: deployment('db', 'api-token'),
      path: '/ws/apps/api.yaml',
      secrets: indexOf({
        '/ws/base/db.yaml': DB_SECRET,
        '/ws/overlays/prod/db.yaml': DB_SECRET.replace('password:', 'api-token:'),
      }),
    },
    {
      name: 'a Secret in another namespace is another Secret',
      code: deployment('db', 'pasword').replace(
        '  name: api\n',
        '  name: api\n  namespace: shop\n',
      ),
      path: '/ws/apps/api.yaml',
      secrets: indexOf({
        '/ws/db.yaml': DB_SECRET.replace('  name: db\n', '  name: db\n  namespace: billing\n'),
      }),
    },
    {
      name: 'envFrom takes the whole Secret: no key to check',
      code: `${DB_SECRET}---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      envFrom:\n        - secretRef:\n            name: db\n`,
    },
    {
      name: 'a Secret in a document that does not parse is not a definition',
      code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata: [\n---\n${deployment('db', 'pasword')}`,
    },
  ],
  invalid: [
    {
      name: 'a typo in secretKeyRef.key, Secret in the same file',
      code: `${DB_SECRET}---\n${deployment('db', 'pasword')}`,
      errors: [
        {
          line: 25,
          column: 24,
          endLine: 25,
          endColumn: 31,
          severity: 'warning',
          fixes: { "Replace with 'password'": fixedDeployment('password') },
        },
      ],
    },
    {
      name: 'the Secret in another file of the workspace; a transposition',
      code: deployment('db', 'usernmae'),
      path: '/ws/apps/api.yaml',
      secrets: workspace,
      errors: [
        {
          line: 16,
          column: 24,
          endLine: 16,
          endColumn: 32,
          fixes: { "Replace with 'username'": deployment('db', 'username') },
        },
      ],
    },
    {
      name: 'nothing close: no suggestion and no fix',
      code: deployment('db', 'api-token'),
      path: '/ws/apps/api.yaml',
      secrets: workspace,
      errors: [{ line: 16, column: 24, endLine: 16, endColumn: 33, fixes: {} }],
    },
    {
      name: 'a workload without namespace matches a Secret with one',
      code: deployment('db', 'pass'),
      path: '/ws/apps/api.yaml',
      secrets: indexOf({
        '/ws/db.yaml': DB_SECRET.replace('  name: db\n', '  name: db\n  namespace: shop\n'),
      }),
      errors: [
        {
          line: 16,
          column: 24,
          endLine: 16,
          endColumn: 28,
          fixes: { "Replace with 'password'": deployment('db', 'password') },
        },
      ],
    },
    {
      name: 'secret volume items and projected secret items',
      code: `${DB_SECRET}---\napiVersion: v1\nkind: Pod\nspec:\n  volumes:\n    - name: a\n      secret:\n        secretName: db\n        items:\n          - key: password\n            path: p\n          - key: Username\n            path: u\n    - name: b\n      projected:\n        sources:\n          - secret:\n              name: db\n              items:\n                - {key: passwd, path: q}\n`,
      errors: [
        { line: 20, column: 18, endLine: 20, endColumn: 26 },
        { line: 28, column: 25, endLine: 28, endColumn: 31 },
      ],
    },
    {
      name: 'several Secrets of that name, none with the key',
      code: deployment('db', 'token'),
      path: '/ws/apps/api.yaml',
      secrets: indexOf({ '/ws/a/db.yaml': DB_SECRET, '/ws/b/db.yaml': DB_SECRET }),
      errors: [{ line: 16, column: 24, endLine: 16, endColumn: 29 }],
    },
    {
      name: 'a JSON manifest, kind last: the fix keeps JSON quoting',
      code: '{"spec": {"containers": [{"name": "a", "env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pasword"}}}]}]}, "apiVersion": "v1", "kind": "Pod"}',
      path: '/ws/pod.json',
      secrets: workspace,
      errors: [
        {
          line: 1,
          column: 114,
          endLine: 1,
          endColumn: 123,
          fixes: {
            "Replace with 'password'":
              '{"spec": {"containers": [{"name": "a", "env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]}]}, "apiVersion": "v1", "kind": "Pod"}',
          },
        },
      ],
    },
    {
      name: 'an init container of a CronJob',
      code: `${DB_SECRET}---\napiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: i\n              env:\n                - {name: X, valueFrom: {secretKeyRef: {name: db, key: 'passw0rd'}}}\n`,
      errors: [
        {
          line: 20,
          column: 71,
          endLine: 20,
          endColumn: 81,
          fixes: {
            "Replace with 'password'": `${DB_SECRET}---\napiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: i\n              env:\n                - {name: X, valueFrom: {secretKeyRef: {name: db, key: 'password'}}}\n`,
          },
        },
      ],
    },
  ],
});

test('messages name the Secret, the key and the suggestion, never a value', () => {
  const message = (code: string, secrets?: SecretIndex): string | undefined =>
    findingsOf('secret-key-missing', { code, path: '/ws/apps/api.yaml', secrets })[0]?.message;
  assert.equal(
    message(`${DB_SECRET}---\n${deployment('db', 'pasword')}`),
    'Secret "db" has no key "pasword": the container cannot start; did you mean "password"?',
  );
  assert.equal(
    message(deployment('db', 'token'), indexOf({ '/a.yaml': DB_SECRET, '/b.yaml': DB_SECRET })),
    'Secret "db" has no key "token": the container cannot start',
  );
  assert.equal(
    message(
      `${DB_SECRET}---\napiVersion: v1\nkind: Pod\nspec:\n  volumes:\n    - secret:\n        secretName: db\n        items: [{key: usrname, path: u}]\n`,
    ),
    'Secret "db" has no key "usrname": the volume cannot be mounted; did you mean "username"?',
  );
  for (const text of [message(`${DB_SECRET}---\n${deployment('db', 'pasword')}`)]) {
    assert.ok(!/YWRtaW4|admin|hunter2/.test(text ?? ''), text);
  }
});

test('the fix re-parses, removes the finding and leaves the Secret byte-identical', () => {
  const code = `${DB_SECRET}---\n${deployment('db', 'pasword')}`;
  const [finding] = findingsOf('secret-key-missing', { code });
  const fix = finding?.fixes?.[0];
  assert.ok(fix);
  const after = applyEdits(code, fix.edits);
  assert.ok(parseFile(after).every((document) => document.ok));
  assert.deepEqual(findingsOf('secret-key-missing', { code: after }), []);
  assert.ok(after.startsWith(DB_SECRET));
});

test('a new key in the workspace clears the finding: the cache follows the index version', () => {
  const index = indexOf({ '/ws/db.yaml': DB_SECRET });
  const options = { code: deployment('db', 'token'), path: '/ws/api.yaml', secrets: index };
  assert.equal(findingsOf('secret-key-missing', options).length, 1);
  index.update('/ws/db.yaml', DB_SECRET.replace('password:', 'token:'));
  assert.equal(findingsOf('secret-key-missing', options).length, 0);
});

test('closestKey: small edits, transpositions, prefixes; stable on ties', () => {
  const keys = ['password', 'username', 'tls.crt', 'tls.key'];
  assert.equal(closestKey('pasword', keys), 'password');
  assert.equal(closestKey('usernmae', keys), 'username');
  assert.equal(closestKey('tls.kye', keys), 'tls.key');
  assert.equal(closestKey('pass', keys), 'password');
  assert.equal(closestKey('password-file', keys), 'password');
  assert.equal(closestKey('tls.cr', keys), 'tls.crt');
  assert.equal(closestKey('api-token', keys), undefined);
  assert.equal(closestKey('a', ['b', 'c']), undefined);
  assert.equal(closestKey('ab', ['ac', 'ad']), 'ac');
  assert.equal(osaDistance('ca', 'abc'), 3);
  assert.equal(osaDistance('abcd', 'acbd'), 1);
  assert.equal(osaDistance('', 'abc'), 3);
});
