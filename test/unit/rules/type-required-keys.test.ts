import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rule } from '../../../server/src/core/rules/type-required-keys';
import { findingsOf, rangeOf, ruleTester } from '../../helpers/rule-tester';
import { checkFixProperties } from '../../helpers/secret-fix-check';

const ID = 'type-required-keys';
const ADD_KEYS = 'Add the missing keys';
const ADD_ANNOTATION = 'Add the missing annotation';
const head = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n';
const typed = (type: string, rest = ''): string => `${head}type: ${type}\n${rest}`;
/** The range of the `type` value on line 5. */
const typeRange = (type: string) => ({
  line: 5,
  column: 7,
  endLine: 5,
  endColumn: 7 + type.length,
});
const TLS = 'kubernetes.io/tls';
const SA = 'kubernetes.io/service-account-token';

ruleTester(ID, {
  valid: [
    { name: 'no type', code: `${head}data:\n  a: eA==\n` },
    { name: 'Opaque', code: typed('Opaque') },
    { name: 'a custom type', code: typed('example.com/thing') },
    { name: 'types are case-sensitive', code: typed('Kubernetes.io/tls') },
    { name: 'tls in data', code: typed(TLS, 'data:\n  tls.crt: eA==\n  tls.key: eA==\n') },
    {
      name: 'tls split across data and stringData',
      code: typed(TLS, 'data:\n  tls.crt: eA==\nstringData:\n  tls.key: x\n'),
    },
    {
      name: 'tls keys present but empty: the API server only wants them present',
      code: typed(TLS, 'data:\n  tls.crt: ""\n  tls.key:\n'),
    },
    {
      name: 'basic-auth with a password only',
      code: typed('kubernetes.io/basic-auth', 'stringData:\n  password: x\n'),
    },
    { name: 'ssh-auth', code: typed('kubernetes.io/ssh-auth', 'data:\n  ssh-privatekey: eA==\n') },
    {
      name: 'dockerconfigjson in stringData',
      code: typed('kubernetes.io/dockerconfigjson', "stringData:\n  .dockerconfigjson: '{}'\n"),
    },
    { name: 'dockercfg', code: typed('kubernetes.io/dockercfg', 'data:\n  .dockercfg: e30=\n') },
    {
      name: 'bootstrap token',
      code: typed(
        'bootstrap.kubernetes.io/token',
        'stringData:\n  token-id: abcdef\n  token-secret: 0123456789abcdef\n',
      ),
    },
    {
      name: 'service-account-token with its annotation',
      code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    kubernetes.io/service-account.name: build-bot\ntype: ${SA}\n`,
    },
    {
      name: 'service-account-token with a templated annotation',
      code: `apiVersion: v1\nkind: Secret\nmetadata:\n  annotations:\n    kubernetes.io/service-account.name: "{{ .Values.sa }}"\ntype: ${SA}\n`,
    },
    { name: 'templated data', code: typed(TLS, 'data: ${TLS_DATA}\n') },
    { name: 'a templated key', code: typed(TLS, 'data:\n  "{{ .Values.certKey }}": eA==\n') },
    { name: 'a templated type', code: typed('"{{ .Values.type }}"') },
    { name: 'not a Secret', code: 'apiVersion: v1\nkind: ConfigMap\ntype: kubernetes.io/tls\n' },
    '{"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": ""}}',
  ],
  invalid: [
    {
      name: 'tls without tls.key: added to data',
      code: typed(TLS, 'data:\n  tls.crt: eA==\n'),
      errors: [
        {
          ...typeRange(TLS),
          severity: 'error',
          fixes: { [ADD_KEYS]: typed(TLS, 'data:\n  tls.crt: eA==\n  tls.key: ""\n') },
        },
      ],
    },
    {
      name: 'tls with neither key and no data: data is created after type',
      code: typed(TLS, 'immutable: true\n'),
      errors: [
        {
          ...typeRange(TLS),
          fixes: {
            [ADD_KEYS]: typed(TLS, 'data:\n  tls.crt: ""\n  tls.key: ""\nimmutable: true\n'),
          },
        },
      ],
    },
    {
      name: 'a Secret kept in stringData gets the keys there',
      code: typed(TLS, 'stringData:\n    tls.crt: |\n      -----BEGIN CERTIFICATE-----\n'),
      errors: [
        {
          ...typeRange(TLS),
          fixes: {
            [ADD_KEYS]: typed(
              TLS,
              'stringData:\n    tls.crt: |\n      -----BEGIN CERTIFICATE-----\n    tls.key: ""\n',
            ),
          },
        },
      ],
    },
    {
      name: 'an empty data map is replaced',
      code: typed(TLS, 'data: {}\n'),
      errors: [
        {
          ...typeRange(TLS),
          fixes: { [ADD_KEYS]: typed(TLS, 'data:\n  tls.crt: ""\n  tls.key: ""\n') },
        },
      ],
    },
    {
      name: 'basic-auth with neither username nor password gets both',
      code: typed('kubernetes.io/basic-auth', 'data:\n  user: eA==\n'),
      errors: [
        {
          ...typeRange('kubernetes.io/basic-auth'),
          fixes: {
            [ADD_KEYS]: typed(
              'kubernetes.io/basic-auth',
              'data:\n  user: eA==\n  username: ""\n  password: ""\n',
            ),
          },
        },
      ],
    },
    {
      name: 'ssh-auth with an empty key: reported on the empty value, no fix',
      code: typed('kubernetes.io/ssh-auth', 'data:\n  ssh-privatekey: ""\n'),
      errors: [{ line: 7, column: 19, endLine: 7, endColumn: 21, fixes: {} }],
    },
    {
      name: 'ssh-auth with a null key: reported on the key',
      code: typed('kubernetes.io/ssh-auth', 'stringData:\n  ssh-privatekey:\n'),
      errors: [{ line: 7, column: 3, endLine: 7, endColumn: 17 }],
    },
    {
      name: 'bootstrap token: token-secret missing, token-id empty',
      code: typed('bootstrap.kubernetes.io/token', 'stringData:\n  token-id: ""\n'),
      errors: [
        {
          ...typeRange('bootstrap.kubernetes.io/token'),
          fixes: {
            [ADD_KEYS]: typed(
              'bootstrap.kubernetes.io/token',
              'stringData:\n  token-id: ""\n  token-secret: ""\n',
            ),
          },
        },
        { line: 7, column: 13, endLine: 7, endColumn: 15, fixes: {} },
      ],
    },
    {
      name: 'dockerconfigjson, JSON manifest',
      code: '{"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson", "data": {"config.json": "e30="}}',
      errors: [
        {
          line: 1,
          column: 48,
          endLine: 1,
          endColumn: 80,
          fixes: {
            [ADD_KEYS]:
              '{"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson", "data": {"config.json": "e30=", ".dockerconfigjson": ""}}',
          },
        },
      ],
    },
    {
      name: 'dockercfg, JSON manifest without data, kind last',
      code: '{"apiVersion": "v1", "type": "kubernetes.io/dockercfg", "kind": "Secret"}',
      errors: [
        {
          line: 1,
          column: 30,
          endLine: 1,
          endColumn: 55,
          fixes: {
            [ADD_KEYS]:
              '{"apiVersion": "v1", "type": "kubernetes.io/dockercfg", "data": {".dockercfg": ""}, "kind": "Secret"}',
          },
        },
      ],
    },
    {
      name: 'service-account-token without annotations',
      code: `${head}  namespace: ci\ntype: ${SA}\n`,
      errors: [
        {
          line: 6,
          column: 7,
          endLine: 6,
          endColumn: 7 + SA.length,
          fixes: {
            [ADD_ANNOTATION]: `${head}  namespace: ci\n  annotations:\n    kubernetes.io/service-account.name: ""\ntype: ${SA}\n`,
          },
        },
      ],
    },
    {
      name: 'service-account-token with other annotations',
      code: `${head}  annotations:\n    team: ci\ntype: ${SA}\n`,
      errors: [
        {
          line: 7,
          column: 7,
          endLine: 7,
          endColumn: 7 + SA.length,
          fixes: {
            [ADD_ANNOTATION]: `${head}  annotations:\n    team: ci\n    kubernetes.io/service-account.name: ""\ntype: ${SA}\n`,
          },
        },
      ],
    },
    {
      name: 'service-account-token without metadata',
      code: `apiVersion: v1\nkind: Secret\ntype: ${SA}\n`,
      errors: [
        {
          line: 3,
          column: 7,
          endLine: 3,
          endColumn: 7 + SA.length,
          fixes: {
            [ADD_ANNOTATION]: `apiVersion: v1\nkind: Secret\nmetadata:\n  annotations:\n    kubernetes.io/service-account.name: ""\ntype: ${SA}\n`,
          },
        },
      ],
    },
    {
      name: 'service-account-token with an empty annotation',
      code: `${head}  annotations:\n    kubernetes.io/service-account.name: ""\ntype: ${SA}\n`,
      errors: [{ line: 6, column: 41, endLine: 6, endColumn: 43, fixes: {} }],
    },
    {
      name: 'every document; type before kind',
      code: `type: ${TLS}\nkind: Secret\napiVersion: v1\n---\n${typed('kubernetes.io/ssh-auth')}`,
      errors: [
        { line: 1, column: 7, endLine: 1, endColumn: 24 },
        { line: 9, column: 7, endLine: 9, endColumn: 29 },
      ],
    },
  ],
});

describe(`${ID}: rule data, messages and fixes`, () => {
  test('id, severity and a one-line summary', () => {
    assert.equal(rule.id, ID);
    assert.equal(rule.severity, 'error');
    assert.ok(rule.summary.length > 0 && !rule.summary.includes('\n'));
  });

  test('messages name the type and keys, never a value', () => {
    const code = typed(TLS, 'data:\n  tls.crt: aHVudGVyMg==\n');
    const [finding] = findingsOf(ID, { code });
    assert.ok(finding);
    assert.match(finding.message, /kubernetes\.io\/tls needs the keys tls\.crt and tls\.key/);
    assert.match(finding.message, /missing: tls\.key/);
    assert.doesNotMatch(finding.message, /aHVudGVyMg|hunter2/);
    const [bootstrap] = findingsOf(ID, { code: typed('bootstrap.kubernetes.io/token') });
    assert.match(bootstrap?.message ?? '', /bootstrap token authenticator/);
    const [basic] = findingsOf(ID, { code: typed('kubernetes.io/basic-auth') });
    assert.match(basic?.message ?? '', /username or password/);
  });

  test('adding keys keeps every stored value and removes the finding', () => {
    const code = typed(
      TLS,
      'data:\n  # the chain\n  tls.crt: eA==  # leaf first\n  ca.crt: eQ==\n',
    );
    const fixed = checkFixProperties({
      ruleId: ID,
      code,
      title: ADD_KEYS,
      changes: ['0/0/tls.key'],
    });
    assert.equal(
      fixed,
      typed(
        TLS,
        'data:\n  # the chain\n  tls.crt: eA==  # leaf first\n  ca.crt: eQ==\n  tls.key: ""\n',
      ),
    );
  });

  test('a created data map keeps the other documents', () => {
    const code = `${head}stringData:\n  a: x\n---\n${typed(TLS, 'stringData: {}\n')}`;
    checkFixProperties({
      ruleId: ID,
      code,
      title: ADD_KEYS,
      changes: ['1/0/tls.crt', '1/0/tls.key'],
    });
  });

  test('where the API server wants a non-empty value, the empty one added is then reported', () => {
    const code = typed('kubernetes.io/ssh-auth', 'data:\n  known_hosts: eA==\n');
    const fixed = checkFixProperties({
      ruleId: ID,
      code,
      title: ADD_KEYS,
      changes: ['0/0/ssh-privatekey'],
      remaining: 1,
    });
    const findings = findingsOf(ID, { code: fixed });
    assert.deepEqual(
      findings.map((finding) => rangeOf(fixed, finding)),
      [{ line: 8, column: 19, endLine: 8, endColumn: 21 }],
    );
    assert.match(findings[0]?.message ?? '', /non-empty ssh-privatekey/);
  });

  test('the service-account annotation: added empty, then asked for', () => {
    const code = `${head}type: ${SA}\n`;
    const fixed = checkFixProperties({ ruleId: ID, code, title: ADD_ANNOTATION, remaining: 1 });
    const findings = findingsOf(ID, { code: fixed });
    assert.match(findings[0]?.message ?? '', /non-empty kubernetes\.io\/service-account\.name/);
  });
});
