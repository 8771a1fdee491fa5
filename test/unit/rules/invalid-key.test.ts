import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rule } from '../../../server/src/core/rules/invalid-key';
import { secretKeyProblems } from '../../../server/src/core/secret-keys';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';
import { checkFixProperties } from '../../helpers/secret-fix-check';

const ID = 'invalid-key';
const secret = (entries: string, field = 'data'): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n${field}:\n${entries}`;
const longKey = (length: number): string => 'k'.repeat(length);

ruleTester(ID, {
  valid: [
    secret('  tls.crt: eA==\n  ssh-privatekey: eA==\n  a_b-C.9: eA==\n  .dockerconfigjson: eA==\n'),
    secret('  .env: eA==\n  .a..b: eA==\n  x..: eA==\n'),
    { name: 'exactly 253 characters', code: secret(`  ${longKey(253)}: eA==\n`) },
    { name: 'stringData keys too', code: secret('  DB_PASSWORD: hunter2\n', 'stringData') },
    {
      name: 'boolean and number keys whose JSON text is what was typed',
      code: secret('  true: eA==\n  false: eA==\n  420: eA==\n  -5: eA==\n'),
    },
    { name: 'quoted YAML 1.1 words', code: secret('  "yes": eA==\n  \'0644\': eA==\n') },
    { name: 'a templated key', code: secret('  "{{ .Values.key }}": eA==\n') },
    { name: 'a templated key, unquoted', code: secret('  ${KEY_NAME}: eA==\n') },
    { name: 'empty data', code: secret('  {}\n') },
    {
      name: 'a YAML merge key is no key of its own',
      code: secret('  <<: {user: eA==}\n  host: eA==\n'),
    },
    { name: 'not a Secret', code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  "a b": x\n' },
    { name: 'not core/v1', code: 'apiVersion: v2\nkind: Secret\ndata:\n  "a b": eA==\n' },
    '{"apiVersion": "v1", "kind": "Secret", "data": {"a.b-c_d": "eA=="}}',
  ],
  invalid: [
    {
      name: 'a space',
      code: secret('  user name: eA==\n'),
      errors: [{ line: 6, column: 3, endLine: 6, endColumn: 12, severity: 'error', fixes: {} }],
    },
    {
      name: 'a quoted key: the range covers the quotes',
      code: secret('  "a/b": eA==\n  \'c:d\': eA==\n'),
      errors: [
        { line: 6, column: 3, endLine: 6, endColumn: 8 },
        { line: 7, column: 3, endLine: 7, endColumn: 8 },
      ],
    },
    {
      name: "'.', '..' and a '..' prefix",
      code: secret('  .: eA==\n  ..: eA==\n  ..data: eA==\n'),
      errors: [
        { line: 6, column: 3, endLine: 6, endColumn: 4 },
        { line: 7, column: 3, endLine: 7, endColumn: 5 },
        { line: 8, column: 3, endLine: 8, endColumn: 9 },
      ],
    },
    {
      name: '254 characters',
      code: secret(`  ${longKey(254)}: eA==\n`),
      errors: [{ line: 6, column: 3, endLine: 6, endColumn: 257 }],
    },
    {
      name: 'an empty key, a non-ASCII letter, in stringData',
      code: secret('  "": a\n  pässword: b\n', 'stringData'),
      errors: [
        { line: 6, column: 3, endLine: 6, endColumn: 5 },
        { line: 7, column: 3, endLine: 7, endColumn: 11 },
      ],
    },
    {
      name: 'YAML 1.1 booleans and octal numbers are renamed: quote them',
      code: secret('  yes: eA==\n  0644: eA==\n  On: eA==\n'),
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 6,
          fixes: { 'Quote the key': secret('  "yes": eA==\n  0644: eA==\n  On: eA==\n') },
        },
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 7,
          fixes: { 'Quote the key': secret('  yes: eA==\n  "0644": eA==\n  On: eA==\n') },
        },
        { line: 8, column: 3, endLine: 8, endColumn: 5 },
      ],
    },
    {
      name: 'a quoted "<<" is an ordinary key',
      code: secret('  "<<": eA==\n'),
      errors: [{ line: 6, column: 3, endLine: 6, endColumn: 7 }],
    },
    {
      name: 'a null key has no fix',
      code: secret('  ~: eA==\n'),
      errors: [{ line: 6, column: 3, endLine: 6, endColumn: 4, fixes: {} }],
    },
    {
      name: 'JSON manifest with kind after data',
      code: '{"data": {"my key": "eA=="}, "kind": "Secret", "apiVersion": "v1"}',
      errors: [{ line: 1, column: 11, endLine: 1, endColumn: 19 }],
    },
    {
      name: 'every document, and the items of a List',
      code:
        secret('  a b: eA==\n') +
        '---\nnot: a kubernetes object\n---\n' +
        'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  stringData: {"c d": x}\n',
      errors: [
        { line: 6, column: 3, endLine: 6, endColumn: 6 },
        { line: 15, column: 16, endLine: 15, endColumn: 21 },
      ],
    },
  ],
});

describe(`${ID}: semantics and messages`, () => {
  test('id, severity and a one-line summary', () => {
    assert.equal(rule.id, ID);
    assert.equal(rule.severity, 'error');
    assert.ok(rule.summary.length > 0 && !rule.summary.includes('\n'));
  });

  test('IsConfigMapKey, case by case', () => {
    assert.deepEqual(secretKeyProblems('tls.crt'), []);
    assert.deepEqual(secretKeyProblems('.x'), []);
    assert.deepEqual(secretKeyProblems(longKey(253)), []);
    assert.equal(secretKeyProblems(longKey(254)).length, 1);
    // Too long and a bad character: both are reported, as the API server does.
    assert.equal(secretKeyProblems(`${longKey(260)} `).length, 2);
    assert.deepEqual(secretKeyProblems('..'), ["it must not be '..'"]);
    assert.equal(secretKeyProblems('a+b').length, 1);
    assert.equal(secretKeyProblems('a\tb')[0]?.includes('a tab'), true);
  });

  test('messages name the key and the problem, never the value', () => {
    const code = secret(
      '  "db password": aHVudGVyMg==\n  yes: aHVudGVyMg==\n  ..x: aHVudGVyMg==\n',
    );
    const messages = findingsOf(ID, { code }).map((finding) => finding.message);
    assert.equal(messages.length, 3);
    assert.match(messages[0] ?? '', /data key "db password" .*character 3 is ' ' \(a space\)/);
    assert.match(messages[1] ?? '', /boolean under YAML 1\.1.*the key "true"/);
    assert.match(messages[2] ?? '', /must not start with '\.\.'/);
    for (const message of messages) {
      assert.doesNotMatch(message, /hunter2|aHVudGVyMg/);
    }
  });

  test('a long key is shortened in the message', () => {
    const [finding] = findingsOf(ID, { code: secret(`  ${longKey(300)}: eA==\n`) });
    assert.ok(finding);
    assert.match(finding.message, /300 characters long, over the limit of 253/);
    assert.ok(finding.message.length < 200);
  });

  test('quoting the key keeps every value and removes the finding', () => {
    const code = secret('  # the flag\n  on: eA==\n  other: eQ==\n');
    const fixed = checkFixProperties({ ruleId: ID, code, title: 'Quote the key' });
    assert.equal(fixed, secret('  # the flag\n  "on": eA==\n  other: eQ==\n'));
  });
});
