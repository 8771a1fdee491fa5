import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { innerBase64Of, namesBase64Content } from '../../../server/src/core/double-base64';
import { rule } from '../../../server/src/core/rules/double-encoded';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';
import { checkFixProperties } from '../../helpers/secret-fix-check';

const ID = 'double-encoded';
const FIX = 'Decode once';
const head = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n';
const data = (entries: string): string => `${head}data:\n${entries}`;
const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');
/** What `echo -n <text> | base64 | base64` stores: the middle layer ends with a newline. */
const viaShell = (text: string): string => b64(`${b64(text)}\n`);

/**
 * Real-world values as their owner meant them: a `data` value holds their base64 once. None of
 * them is double-encoded, even those made only of base64 letters.
 */
const MEANT_AS_IS: readonly [string, string][] = [
  ['English word', 'password'],
  ['English word', 'username'],
  ['placeholder', 'changeme'],
  ['letters', 'abcdefgh'],
  ['digits', '12345678'],
  ['capitalised', 'Password'],
  ['leet', 'P4ssw0rd'],
  ['hex', 'deadbeefcafebabe'],
  ['hex key', createHash('sha256').update('k').digest('hex')],
  ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
  ['AWS secret key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  [
    'random 32-byte key, base64 (openssl rand -base64 32)',
    b64(createHash('sha256').update('x').digest()),
  ],
  ['random 16-byte key, base64', b64(createHash('md5').update('y').digest())],
  ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
  ['GitHub token', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['base64 without its padding', 'dGVzdA'],
  ['non-canonical base64 (trailing bits set)', 'YWJjZB=='],
  ['base64 of binary', b64(Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0x00, 0x01]))],
];

/** Values that were encoded twice: the text, and how it was encoded. */
const ENCODED_TWICE: readonly [string, string][] = [
  ['admin', b64(b64('admin'))],
  ['secret (8 characters, no padding)', b64(b64('secret'))],
  ['password', b64(b64('password'))],
  ['s3cr3t!', b64(b64('s3cr3t!'))],
  ['a URL with credentials', b64(b64('postgres://app:pw@db:5432/app'))],
  ['a docker config', b64(b64('{"auths":{}}'))],
  [
    'a PEM certificate',
    b64(b64('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n')),
  ],
  ['the shell pipeline, newline included', viaShell('pass')],
];

ruleTester(ID, {
  valid: [
    ...MEANT_AS_IS.map(([name, value]) => ({ name, code: data(`  value: ${b64(value)}\n`) })),
    { name: 'short base64 text (under 8 characters)', code: data(`  pin: ${b64('MTIz')}\n`) },
    {
      name: 'a key that says base64',
      code: data(`  ca.b64: ${b64(b64('admin'))}\n  key_base64: ${b64(b64('admin'))}\n`),
    },
    { name: 'stringData is not decoded', code: `${head}stringData:\n  a: ${b64('admin')}\n` },
    { name: 'templated', code: data('  a: "{{ .Values.a | b64enc | b64enc }}"\n') },
    { name: 'invalid base64', code: data('  a: WVdSdGFXND0 \n') },
    {
      name: 'not a Secret',
      code: `apiVersion: v1\nkind: ConfigMap\ndata:\n  a: ${b64(b64('admin'))}\n`,
    },
  ],
  invalid: [
    ...ENCODED_TWICE.map(([name, value]) => ({
      name: `encoded twice: ${name}`,
      code: data(`  value: ${value}\n`),
      errors: [
        {
          line: 6,
          column: 10,
          endLine: 6,
          endColumn: 10 + value.length,
          severity: 'warning' as const,
          fixes: {
            [FIX]: data(`  value: ${Buffer.from(value, 'base64').toString().replace(/\n/g, '')}\n`),
          },
        },
      ],
    })),
    {
      name: 'a middle layer wrapped at 76 columns is joined',
      code: data(`  cert: ${b64(`${b64('x'.repeat(80))}`.replace(/(.{76})/g, '$1\n'))}\n`),
      errors: [
        {
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 9 + b64(`${b64('x'.repeat(80))}`.replace(/(.{76})/g, '$1\n')).length,
          fixes: { [FIX]: data(`  cert: ${b64('x'.repeat(80))}\n`) },
        },
      ],
    },
    {
      name: 'quoted and block values keep their style',
      code: data(`  a: "${b64(b64('admin'))}"\n  b: |\n    ${b64(b64('root'))}\n  c: eA==\n`),
      errors: [
        {
          line: 6,
          column: 6,
          endLine: 6,
          endColumn: 20,
          fixes: {
            [FIX]: data(`  a: "${b64('admin')}"\n  b: |\n    ${b64(b64('root'))}\n  c: eA==\n`),
          },
        },
        {
          line: 7,
          column: 6,
          endLine: 8,
          endColumn: 17,
          fixes: { [FIX]: data(`  a: "${b64(b64('admin'))}"\n  b: ${b64('root')}\n  c: eA==\n`) },
        },
      ],
    },
    {
      name: 'JSON manifest, kind last',
      code: `{"data": {"password": "${b64(b64('hunter2'))}"}, "apiVersion": "v1", "kind": "Secret"}`,
      errors: [
        {
          line: 1,
          column: 23,
          endLine: 1,
          endColumn: 41,
          fixes: {
            [FIX]: `{"data": {"password": "${b64('hunter2')}"}, "apiVersion": "v1", "kind": "Secret"}`,
          },
        },
      ],
    },
    {
      name: 'every document',
      code: `${data(`  a: ${b64(b64('admin'))}\n`)}---\n${data(`  b: ${b64(b64('secret'))}\n`)}`,
      errors: [
        { line: 6, column: 6, endLine: 6, endColumn: 18 },
        { line: 13, column: 6, endLine: 13, endColumn: 18 },
      ],
    },
  ],
});

describe(`${ID}: the heuristic`, () => {
  test('id, severity and a one-line summary', () => {
    assert.equal(rule.id, ID);
    assert.equal(rule.severity, 'warning');
    assert.ok(rule.summary.length > 0 && !rule.summary.includes('\n'));
  });

  test('English words made of base64 letters are not base64 of text', () => {
    for (const word of [
      'password',
      'username',
      'changeme',
      'abcdefgh',
      '12345678',
      'Password',
      'sunshine',
      'football',
      'TESTTEST',
    ]) {
      // Canonical base64 of 6 bytes, all of them: only the printable gate rejects them.
      assert.equal(Buffer.from(word, 'base64').toString('base64'), word);
      assert.equal(innerBase64Of(Buffer.from(word)), undefined, word);
    }
  });

  test('each gate, at its edge', () => {
    const inner = (text: string) => innerBase64Of(Buffer.from(text))?.inner.toString();
    assert.equal(inner('dGVzdA=='), 'test'); // padded: any printable text
    assert.equal(inner('dGVzdA'), undefined); // padding missing: Go rejects it
    assert.equal(inner('YWJjZB=='), undefined); // not canonical
    assert.equal(inner('Zm9v'), undefined); // under 8 characters
    assert.equal(inner('c2VjcmV0'), 'secret'); // 8, unpadded, a simple word
    assert.equal(inner('SC1tWHFn'), undefined); // 8, unpadded, decodes to "H-mXqg": not a word
    assert.equal(inner('UEBzc3cwcmQh'), undefined); // "P@ssw0rd!": a known miss, see the docs
    assert.equal(inner('eyJhdXRocyI6e319'), '{"auths":{}}'); // 16+: printable ASCII is enough
    assert.equal(inner('cGFzcw==\n'), 'pass'); // the base64 tool's final newline
    assert.equal(inner('cGFz\ncw=='), 'pass'); // and its line wrapping
    assert.equal(inner('cGFz cw=='), undefined); // a space is not base64
    assert.equal(inner(b64('wörte')), undefined); // 8 unpadded, not ASCII
    assert.equal(inner(b64('pässwörd')), 'pässwörd'); // padded, printable UTF-8
  });

  test('random passwords and keys almost never pass', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const password = (length: number): string =>
      Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const hits = (length: number): number =>
      Array.from({ length: 20_000 }, () => password(length)).filter((candidate) =>
        innerBase64Of(Buffer.from(candidate)),
      ).length;
    // Measured rates are about 4 in 100,000 (8 characters) and 1 in 100,000 (16).
    assert.ok(hits(8) <= 2);
    assert.ok(hits(12) <= 2);
    assert.equal(hits(24), 0);
    assert.equal(hits(32), 0);
    for (let i = 0; i < 5_000; i++) {
      const key = createHash('sha256').update(String(i)).digest();
      assert.equal(innerBase64Of(Buffer.from(key.toString('base64'))), undefined);
      assert.equal(innerBase64Of(Buffer.from(key.toString('hex'))), undefined);
    }
  });

  test('keys that announce base64', () => {
    assert.ok(namesBase64Content('ca.b64'));
    assert.ok(namesBase64Content('KEY_BASE64'));
    assert.ok(!namesBase64Content('password'));
  });

  test('the message gives sizes, never the value', () => {
    const code = data(`  password: ${b64(b64('hunter2'))}\n`);
    const [finding] = findingsOf(ID, { code });
    assert.ok(finding);
    assert.match(finding.message, /data\.password is base64-encoded twice/);
    assert.match(finding.message, /12 characters of base64 instead of the 7-byte value/);
    assert.doesNotMatch(
      finding.message,
      new RegExp(`hunter2|${b64('hunter2')}|${b64(b64('hunter2'))}`),
    );
  });

  test('decoding once keeps the other values and comments', () => {
    const code = data(
      `  # login\n  user: ${b64('admin')}\n  password: ${viaShell('hunter2')} # piped twice\n`,
    );
    const fixed = checkFixProperties({ ruleId: ID, code, title: FIX, changes: ['0/0/password'] });
    assert.equal(
      fixed,
      data(`  # login\n  user: ${b64('admin')}\n  password: ${b64('hunter2')} # piped twice\n`),
    );
    // The application now receives the text.
    assert.match(fixed, new RegExp(`password: ${b64('hunter2')}`));
  });
});
