import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'encryption-invalid-key';
const KEY16 = 'QUJDREVGR0hJSktMTU5PUA==';
const KEY20 = 'QUJDREVGR0hJSktMTU5PUFFSU1Q=';
const KEY24 = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldY';
const KEY32 = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpbXF1eX2A=';

const config = (resources: string): string =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n${resources}`;
/** One entry for secrets with one provider holding one key, block style. */
const withKey = (provider: string, secret: string): string =>
  config(
    `  - resources: [secrets]\n    providers:\n      - ${provider}:\n          keys:\n            - name: key1\n              secret: ${secret}\n`,
  );

ruleTester(ID, {
  valid: [
    { name: 'aescbc 32 bytes', code: withKey('aescbc', KEY32) },
    { name: 'aescbc 16 bytes (AES-128 is accepted)', code: withKey('aescbc', KEY16) },
    { name: 'aesgcm 24 bytes', code: withKey('aesgcm', KEY24) },
    { name: 'secretbox 32 bytes', code: withKey('secretbox', KEY32) },
    {
      name: 'a line break inside the base64 is skipped by Go',
      code: withKey(
        'aescbc',
        `|\n                QUJDREVGR0hJSktMTU5PUFFSU1RV\n                VldYWVpbXF1eX2A=`,
      ),
    },
    { name: 'the documentation placeholder', code: withKey('aescbc', '<BASE 64 ENCODED SECRET>') },
    {
      name: 'templates and variables',
      code:
        withKey('aesgcm', '"{{ .Values.encryptionKey }}"') +
        '---\n' +
        withKey('secretbox', '${ENCRYPTION_KEY}'),
    },
    { name: 'an empty secret is a template to fill', code: withKey('aescbc', '""') },
    {
      name: 'kms and identity have no keys',
      code: config(
        '  - resources: [secrets]\n    providers:\n      - kms: {apiVersion: v2, name: k, endpoint: "unix:///k"}\n      - identity: {}\n',
      ),
    },
    {
      name: 'a SOPS-encrypted file holds ciphertext',
      code:
        withKey('aescbc', 'ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]') +
        'sops:\n  mac: ENC[AES256_GCM,data:x]\n  version: 3.8.1\n',
    },
    {
      name: 'not an EncryptionConfiguration',
      code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  aescbc: "not base64!"\n',
    },
  ],
  invalid: [
    {
      name: 'aescbc key of 20 bytes',
      code: withKey('aescbc', KEY20),
      errors: [{ line: 9, column: 23, endLine: 9, endColumn: 51, severity: 'error' }],
    },
    {
      name: 'secretbox needs exactly 32 bytes',
      code: withKey('secretbox', KEY16),
      errors: [{ line: 9, column: 23, endLine: 9, endColumn: 47 }],
    },
    {
      name: 'not base64: a space, URL-safe characters, missing padding',
      code: config(
        '  - resources: [configmaps]\n    providers:\n      - aesgcm:\n          keys:\n' +
          '            - {name: a, secret: "QUJDREVGR0hJ SktMTU5PUA=="}\n' +
          '            - {name: b, secret: QUJDREVGR0hJSktMTU5PUFFSU1RVVldY-_==}\n' +
          '            - {name: c, secret: QUJDREVGR0hJSktMTU5PUA}\n',
      ),
      errors: [
        { line: 8, column: 33, endLine: 8, endColumn: 60 },
        { line: 9, column: 33, endLine: 9, endColumn: 69 },
        { line: 10, column: 33, endLine: 10, endColumn: 55 },
      ],
    },
    {
      name: 'a number is not a string under YAML 1.1',
      code: withKey('aescbc', '12345678'),
      errors: [{ line: 9, column: 23, endLine: 9, endColumn: 31 }],
    },
    {
      name: 'a map is not a string either',
      code: withKey('secretbox', '{value: x}'),
      errors: [{ line: 9, column: 23, endLine: 9, endColumn: 33 }],
    },
    {
      name: 'every provider of every entry, JSON, kind last',
      code: `{"apiVersion": "apiserver.config.k8s.io/v1", "resources": [{"resources": ["secrets"], "providers": [{"identity": {}}, {"aescbc": {"keys": [{"name": "k", "secret": "${KEY20}"}]}}]}], "kind": "EncryptionConfiguration"}`,
      errors: [{ line: 1, column: 164, endLine: 1, endColumn: 194 }],
    },
  ],
});

test('messages give the provider, the key name, positions and lengths, never the key', () => {
  const cases: [string, RegExp][] = [
    [
      withKey('aescbc', KEY20),
      /^aescbc key "key1": the secret decodes to 20 bytes, aescbc needs 16, 24 or 32 bytes/,
    ],
    [
      withKey('secretbox', KEY16),
      /^secretbox key "key1": the secret decodes to 16 bytes, secretbox needs 32 bytes/,
    ],
    [
      withKey('aesgcm', '"QUJD REVG"'),
      /^aesgcm key "key1": the secret is not valid base64 \(character 5 is not in the base64 alphabet\)/,
    ],
    [withKey('aesgcm', 'QUJDRA'), /missing = padding/],
  ];
  for (const [code, pattern] of cases) {
    const [finding] = findingsOf(ID, { code });
    assert.ok(finding, code);
    assert.match(finding.message, pattern);
    for (const secret of [KEY20, KEY16, 'QUJD', 'REVG', 'QUJDRA', 'ABCD']) {
      assert.ok(!finding.message.includes(secret), `the message holds ${secret}`);
    }
  }
});
