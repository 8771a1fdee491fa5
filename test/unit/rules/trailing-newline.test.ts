import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { namesFile, rule } from '../../../server/src/core/rules/trailing-newline';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';
import { checkFixProperties } from '../../helpers/secret-fix-check';

const ID = 'trailing-newline';
const FIX = 'Remove the trailing newline';
const head = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n';
const data = (entries: string): string => `${head}data:\n${entries}`;
const stringData = (entries: string): string => `${head}stringData:\n${entries}`;
/** base64 of a text. */
const b64 = (text: string): string => Buffer.from(text).toString('base64');

ruleTester(ID, {
  valid: [
    { name: 'no newline', code: data(`  password: ${b64('hunter2')}\n`) },
    { name: 'two lines', code: data(`  motd: ${b64('line1\nline2\n')}\n`) },
    { name: 'two line breaks at the end', code: data(`  password: ${b64('hunter2\n\n')}\n`) },
    {
      name: 'keys that name files',
      code: data(
        [
          'tls.crt',
          'config.json',
          'id_rsa',
          '.htpasswd',
          'auth',
          'CA.PEM',
          'known_hosts',
          'app.env',
        ]
          .map((key) => `  ${key}: ${b64('one line\n')}\n`)
          .join(''),
      ),
    },
    {
      name: 'binary bytes ending in 0x0a',
      code: data(`  key: ${Buffer.from([0xff, 0xfe, 0x0a]).toString('base64')}\n`),
    },
    { name: 'a lone line break', code: data(`  a: ${b64('\n')}\n  b: ${b64(' \n')}\n`) },
    { name: 'a placeholder', code: data(`  password: ${b64('changeme\n')}\n`) },
    {
      name: 'double-encoded: left to double-encoded, which also drops the newline',
      code: data(`  password: ${b64('cGFzcw==\n')}\n`),
    },
    { name: 'stringData |- strips the newline', code: stringData('  password: |-\n    hunter2\n') },
    {
      name: 'stringData |+ keeps it on purpose',
      code: stringData('  password: |+\n    hunter2\n'),
    },
    {
      name: 'stringData >2+ keeps it on purpose',
      code: stringData('  password: >2+\n    hunter2\n'),
    },
    { name: 'a stringData block of two lines', code: stringData('  motd: |\n    a\n    b\n') },
    { name: 'a plain stringData value', code: stringData('  password: hunter2\n') },
    { name: 'templated', code: stringData('  password: "{{ .Values.pw }}\\n"\n') },
    { name: 'not a Secret', code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: |\n    b\n' },
    { name: 'invalid base64 is not decoded', code: data('  password: aHVudGVy Mgo=\n') },
  ],
  invalid: [
    {
      name: 'echo without -n, in data',
      code: data(`  user: ${b64('admin')}\n  password: ${b64('hunter2\n')}\n`),
      errors: [
        {
          line: 7,
          column: 13,
          endLine: 7,
          endColumn: 25,
          severity: 'warning',
          fixes: { [FIX]: data(`  user: ${b64('admin')}\n  password: ${b64('hunter2')}\n`) },
        },
      ],
    },
    {
      name: 'a CRLF line break goes whole',
      code: data(`  password: ${b64('hunter2\r\n')}\n`),
      errors: [
        {
          line: 6,
          column: 13,
          endLine: 6,
          endColumn: 25,
          fixes: { [FIX]: data(`  password: ${b64('hunter2')}\n`) },
        },
      ],
    },
    {
      name: 'quoting is kept',
      code: data(`  a: "${b64('abc123\n')}"\n  b: '${b64('admin\n')}'\n`),
      errors: [
        {
          line: 6,
          column: 6,
          endLine: 6,
          endColumn: 20,
          fixes: { [FIX]: data(`  a: "${b64('abc123')}"\n  b: '${b64('admin\n')}'\n`) },
        },
        {
          line: 7,
          column: 6,
          endLine: 7,
          endColumn: 16,
          fixes: { [FIX]: data(`  a: "${b64('abc123\n')}"\n  b: '${b64('admin')}'\n`) },
        },
      ],
    },
    {
      name: 'a data block scalar becomes a plain value',
      code: data(`  password: |\n    ${b64('hunter2\n')}\n  next: eA==\n`),
      errors: [
        {
          line: 6,
          column: 13,
          endLine: 7,
          endColumn: 17,
          fixes: { [FIX]: data(`  password: ${b64('hunter2')}\n  next: eA==\n`) },
        },
      ],
    },
    {
      name: 'a one-line | block in stringData ends with a newline: |-',
      code: stringData('  password: |\n    hunter2\n  user: admin\n'),
      errors: [
        {
          line: 6,
          column: 13,
          endLine: 7,
          endColumn: 12,
          fixes: { [FIX]: stringData('  password: |-\n    hunter2\n  user: admin\n') },
        },
      ],
    },
    {
      name: 'a folded block, and one with an indentation indicator',
      code: stringData('  a: >\n    hunter2\n  b: |2  # indented\n     hunter2\n'),
      errors: [
        {
          line: 6,
          column: 6,
          endLine: 7,
          endColumn: 12,
          fixes: { [FIX]: stringData('  a: >-\n    hunter2\n  b: |2  # indented\n     hunter2\n') },
        },
        {
          line: 8,
          column: 6,
          endLine: 9,
          endColumn: 13,
          fixes: { [FIX]: stringData('  a: >\n    hunter2\n  b: |-2  # indented\n     hunter2\n') },
        },
      ],
    },
    {
      name: 'a double-quoted \\n in stringData',
      code: stringData('  password: "hunter2\\n"\n'),
      errors: [
        {
          line: 6,
          column: 13,
          endLine: 6,
          endColumn: 24,
          fixes: { [FIX]: stringData('  password: "hunter2"\n') },
        },
      ],
    },
    {
      name: 'JSON manifest, kind last',
      code: '{"stringData": {"token": "abc123\\n"}, "data": {"pin": "MTIzNAo="}, "apiVersion": "v1", "kind": "Secret"}',
      errors: [
        {
          line: 1,
          column: 26,
          endLine: 1,
          endColumn: 36,
          fixes: {
            [FIX]:
              '{"stringData": {"token": "abc123"}, "data": {"pin": "MTIzNAo="}, "apiVersion": "v1", "kind": "Secret"}',
          },
        },
        {
          line: 1,
          column: 55,
          endLine: 1,
          endColumn: 65,
          fixes: {
            [FIX]:
              '{"stringData": {"token": "abc123\\n"}, "data": {"pin": "MTIzNA=="}, "apiVersion": "v1", "kind": "Secret"}',
          },
        },
      ],
    },
    {
      name: 'a key that says base64 is not double-encoded: its newline is reported',
      code: data(`  token.b64: ${b64('cGFzcw==\n')}\n`),
      errors: [
        {
          line: 6,
          column: 14,
          endLine: 6,
          endColumn: 26,
          fixes: { [FIX]: data(`  token.b64: ${b64('cGFzcw==')}\n`) },
        },
      ],
    },
    {
      name: 'every document',
      code: `${data(`  a: ${b64('x1\n')}\n`)}---\n${stringData('  b: |\n    y\n')}`,
      errors: [
        { line: 6, column: 6, endLine: 6, endColumn: 10 },
        { line: 13, column: 6, endLine: 14, endColumn: 6 },
      ],
    },
  ],
});

describe(`${ID}: rule data, messages and fixes`, () => {
  test('id, severity and a one-line summary', () => {
    assert.equal(rule.id, ID);
    assert.equal(rule.severity, 'warning');
    assert.ok(rule.summary.length > 0 && !rule.summary.includes('\n'));
  });

  test('file names', () => {
    for (const key of [
      'tls.key',
      'ca.crt',
      'ssh-privatekey',
      '.dockerconfigjson',
      'config',
      'app.properties',
      'Settings.YAML',
      '.pgpass',
    ]) {
      assert.ok(namesFile(key), key);
    }
    for (const key of ['password', 'token', 'username', 'api-key', 'key', 'DB_PASSWORD', 'crt']) {
      assert.ok(!namesFile(key), key);
    }
  });

  test('messages name the key, never the value', () => {
    const code = `${data(`  password: ${b64('hunter2\n')}\n`)}---\n${stringData('  api-token: |\n    s3cr3t-t0ken\n')}`;
    const findings = findingsOf(ID, { code });
    assert.equal(findings.length, 2);
    assert.match(findings[0]?.message ?? '', /data\.password .*echo without -n/);
    assert.match(findings[1]?.message ?? '', /stringData\.api-token .*unless written \|- or >-/);
    for (const finding of findings) {
      assert.doesNotMatch(finding.message, /hunter2|aHVudGVy|s3cr3t/);
    }
  });

  test('the data fix keeps the other values and comments', () => {
    const code = data(
      `  # who\n  user: ${b64('admin')}\n  password: ${b64('hunter2\n')}  # from echo\n  host: ZGI=\n`,
    );
    const fixed = checkFixProperties({ ruleId: ID, code, title: FIX, changes: ['0/0/password'] });
    assert.equal(
      fixed,
      data(
        `  # who\n  user: ${b64('admin')}\n  password: ${b64('hunter2')}  # from echo\n  host: ZGI=\n`,
      ),
    );
  });

  test('the stringData fix stores the line without its break', () => {
    const code = stringData('  password: |\n    hunter2\n  other: |\n    a\n    b\n');
    const fixed = checkFixProperties({ ruleId: ID, code, title: FIX, changes: ['0/0/password'] });
    assert.match(fixed, /password: \|-\n/);
  });

  test('a CRLF file', () => {
    const code = stringData('  password: |\n    hunter2\n').replace(/\n/g, '\r\n');
    const fixed = checkFixProperties({ ruleId: ID, code, title: FIX, changes: ['0/0/password'] });
    assert.equal(fixed, stringData('  password: |-\n    hunter2\n').replace(/\n/g, '\r\n'));
  });
});
