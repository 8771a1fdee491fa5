import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rule } from '../../../server/src/core/rules/weak-credential';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'weak-credential';
const b64 = (text: string): string => Buffer.from(text).toString('base64');

const secret = (body: string, type = ''): string => `apiVersion: v1
kind: Secret
metadata:
  name: db
${type}${body}`;

ruleTester(ID, {
  valid: [
    {
      name: 'strong passwords',
      code: secret(
        `stringData:\n  password: "Vq7!kz-3Lm#9wPx2"\ndata:\n  db-password: ${b64('correct horse battery staple')}\n`,
      ),
    },
    {
      name: 'weak values under keys that are not passwords',
      code: secret(
        'stringData:\n  username: admin\n  token: password\n  api-key: "123456"\n  host: postgres\n' +
          '  password-file: admin\n  password_min_length: "123456"\n',
      ),
    },
    ...[
      '"{{ .Values.password }}"',
      '"${DB_PASSWORD}"',
      '"<password>"',
      'REPLACE_ME',
      'TODO',
      'xxx',
      '""',
    ].map((value) => ({
      name: `a placeholder: ${value}`,
      code: secret(`stringData:\n  password: ${value}\n`),
    })),
    {
      name: 'a data value that is not valid base64 is left to invalid-base64',
      code: secret('data:\n  password: admin\n'),
    },
    {
      name: 'a ConfigMap is not a Secret (see secret-in-configmap)',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  password: admin\n',
    },
    {
      name: 'a SealedSecret holds ciphertext',
      code:
        'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: s\n' +
        'spec:\n  encryptedData:\n    password: admin\n',
    },
    {
      name: 'a weak password followed by more text is not in the list',
      code: secret('stringData:\n  password: "admin admin"\n'),
    },
  ],
  invalid: [
    {
      name: 'stringData: changeme is weak when applied; the range is the value',
      code: secret('stringData:\n  password: changeme # TODO rotate\n'),
      errors: [{ line: 6, column: 13, endLine: 6, endColumn: 21, severity: 'warning' }],
    },
    {
      name: 'data is decoded first; case and a trailing newline do not matter',
      code: secret(
        `data:\n  username: ${b64('admin')}\n  password: ${b64('Letmein\n')}\n`,
        'type: kubernetes.io/basic-auth\n',
      ),
      errors: [{ line: 8, column: 13, endLine: 8, endColumn: 25 }],
    },
    {
      name: 'password-like keys',
      code: secret(
        'stringData:\n  db-password: postgres\n  adminPassword: admin\n  secret: secret\n' +
          '  MYSQL_ROOT_PASSWORD: root\n  pwd: "123456"\n  passphrase: qwerty\n',
      ),
      errors: [
        { line: 6, column: 16, endLine: 6, endColumn: 24 },
        { line: 7, column: 18, endLine: 7, endColumn: 23 },
        { line: 8, column: 11, endLine: 8, endColumn: 17 },
        { line: 9, column: 24, endLine: 9, endColumn: 28 },
        { line: 10, column: 8, endLine: 10, endColumn: 16 },
        { line: 11, column: 15, endLine: 11, endColumn: 21 },
      ],
    },
    {
      name: 'a JSON manifest with kind after data, in a multi-document file',
      code: `apiVersion: v1
kind: Secret
metadata: {name: strong}
stringData: {password: "Vq7!kz-3Lm#9wPx2"}
---
{"data": {"password": "${b64('changeit')}"}, "metadata": {"name": "keystore"}, "apiVersion": "v1", "kind": "Secret"}
`,
      errors: [{ line: 6, column: 23, endLine: 6, endColumn: 37 }],
    },
  ],
});

describe(`${ID}: messages`, () => {
  test('metadata', () => {
    assert.equal(rule.id, ID);
    assert.equal(rule.severity, 'warning');
  });

  test('the message names the key and the Secret, never the value', () => {
    const [finding] = findingsOf(ID, {
      code: secret(`data:\n  password: ${b64('harbor12345')}\n`),
    });
    assert.ok(finding);
    assert.match(
      finding.message,
      /^data\.password of Secret db is a common default or breached password/,
    );
    assert.doesNotMatch(finding.message, /harbor12345/i);
    assert.ok(!finding.message.includes(b64('harbor12345')));
    assert.equal(finding.fixes, undefined);
  });
});
