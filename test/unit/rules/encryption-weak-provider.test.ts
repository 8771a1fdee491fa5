import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'encryption-weak-provider';
const KEY = 'c2VjcmV0IGlzIHNlY3VyZQ==';
const AESCBC = `{aescbc: {keys: [{name: k, secret: ${KEY}}]}}`;
const KMS2 = '{kms: {apiVersion: v2, name: k2, endpoint: "unix:///k.sock"}}';

const config = (resources: string): string =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n${resources}`;
const entry = (names: string, providers: string): string =>
  `  - resources: ${names}\n    providers: [${providers}]\n`;

ruleTester(ID, {
  valid: [
    {
      name: 'kms v2 first, aescbc as a read fallback',
      code: config(entry('[secrets]', `${KMS2}, ${AESCBC}`)),
    },
    {
      name: 'aesgcm and secretbox',
      code:
        config(entry('[secrets]', `{aesgcm: {keys: [{name: k, secret: ${KEY}}]}}`)) +
        '---\n' +
        config(
          entry(
            '["*."]',
            '{secretbox: {keys: [{name: k, secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=}]}}',
          ),
        ),
    },
    {
      name: 'identity first is encryption-identity-first',
      code: config(entry('[secrets]', `{identity: {}}, ${AESCBC}`)),
    },
    {
      name: 'aescbc for another resource only',
      code: config(entry('[configmaps]', AESCBC) + entry('[secrets]', KMS2)),
    },
    {
      name: 'the first covering entry applies',
      code: config(entry('[secrets]', KMS2) + entry('["*.*"]', AESCBC)),
    },
  ],
  invalid: [
    {
      name: 'aescbc first',
      code: config(entry('[secrets]', `${AESCBC}, {identity: {}}`)),
      errors: [{ line: 5, column: 17, endLine: 5, endColumn: 80, severity: 'warning' }],
    },
    {
      name: 'kms without apiVersion defaults to v1',
      code: config(
        '  - resources:\n      - "*.*"\n    providers:\n      - kms:\n          name: legacy\n          endpoint: unix:///tmp/kms.sock\n          cachesize: 100\n',
      ),
      errors: [{ line: 7, column: 9, endLine: 10, endColumn: 25 }],
    },
    {
      name: 'kms apiVersion v1, and an empty apiVersion',
      code:
        config(entry('[secrets]', '{kms: {apiVersion: v1, name: a, endpoint: "unix:///a"}}')) +
        '---\n' +
        config(entry('[secrets]', '{kms: {apiVersion: "", name: b, endpoint: "unix:///b"}}')),
      errors: [
        { line: 5, column: 17, endLine: 5, endColumn: 72 },
        { line: 11, column: 17, endLine: 11, endColumn: 72 },
      ],
    },
    {
      name: 'JSON manifest through *.',
      code: '{"kind": "EncryptionConfiguration", "apiVersion": "apiserver.config.k8s.io/v1", "resources": [{"resources": ["*."], "providers": [{"aescbc": {"keys": [{"name": "k", "secret": "c2VjcmV0IGlzIHNlY3VyZQ=="}]}}]}]}',
      errors: [{ line: 1, column: 131, endLine: 1, endColumn: 206 }],
    },
  ],
});

test('the messages recommend kms v2 and never hold a key', () => {
  const [cbc] = findingsOf(ID, { code: config(entry('[secrets]', AESCBC)) });
  assert.match(cbc?.message ?? '', /padding-oracle/);
  assert.match(cbc?.message ?? '', /apiVersion v2/);
  assert.ok(!(cbc?.message ?? KEY).includes(KEY));
  const [kms] = findingsOf(ID, {
    code: config(entry('[secrets]', '{kms: {name: a, endpoint: "unix:///a"}}')),
  });
  assert.match(kms?.message ?? '', /^kms v1 .*deprecated/);
});
