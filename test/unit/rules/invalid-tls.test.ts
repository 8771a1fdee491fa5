import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';
import type { ExpectedFinding, InvalidCase } from '../../helpers/rule-tester';
import type { Severity } from '../../../server/src/core/types';
import {
  chain,
  createCertificateDer,
  daysFromNow,
  generateKey,
  keyPem,
  selfSigned,
  toPem,
} from '../../helpers/x509';

// Certificates are generated now, with validity relative to the clock the rule reads. Half
// days keep the whole-day counts in the messages away from a rounding edge.
const valid = selfSigned('shop.example.com', { notAfter: daysFromNow(400.5) });
const other = selfSigned('other.example.com', { notAfter: daysFromNow(400.5) });
const expired = selfSigned('old.example.com', { notAfter: daysFromNow(-10.5) });
const expiring = selfSigned('soon.example.com', { notAfter: daysFromNow(12.5) });
const almost30 = selfSigned('edge.example.com', { notAfter: daysFromNow(29.5) });
const past30 = selfSigned('edge.example.com', { notAfter: daysFromNow(30.5) });
const notYetValid = selfSigned('future.example.com', {
  notBefore: daysFromNow(5.5),
  notAfter: daysFromNow(400),
});
const century = selfSigned('century.example.com', { notAfter: daysFromNow(36500) });
const rsa = selfSigned('rsa.example.com', { notAfter: daysFromNow(400) }, 'rsa');
const ed25519 = selfSigned('ed.example.com', { notAfter: daysFromNow(400) }, 'ed25519');
const chained = chain('api.example.com', daysFromNow(400));
const ed448Key = generateKeyPairSync('ed448').privateKey;

const b64 = (value: string | Uint8Array): string => Buffer.from(value).toString('base64');

/** The 1-based range of `needle`'s first occurrence in `code` (end column exclusive). */
function rangeOfText(code: string, needle: string, severity?: Severity): ExpectedFinding {
  const start = code.indexOf(needle);
  assert.ok(start >= 0, `fixture: ${needle.slice(0, 20)}… is in the code`);
  const position = (offset: number): { line: number; column: number } => {
    const before = code.slice(0, offset);
    return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
  };
  const from = position(start);
  const to = position(start + needle.length);
  return {
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
    ...(severity ? { severity } : {}),
  };
}

/** A `kubernetes.io/tls` Secret with base64 `data` (strings are PEM text, buffers raw bytes). */
function tls(crt: string | Uint8Array, key: string | Uint8Array, more = ''): string {
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(crt)}\n  tls.key: ${b64(key)}\n${more}`;
}

/** An invalid case whose findings sit on the named values, in order. */
function tlsCase(
  name: string,
  crt: string | Uint8Array,
  key: string | Uint8Array,
  on: ('crt' | 'key' | ['crt' | 'key', Severity])[],
  more = '',
): InvalidCase {
  const code = tls(crt, key, more);
  return {
    name,
    code,
    errors: on.map((target) => {
      const [which, severity] = typeof target === 'string' ? [target, 'error' as const] : target;
      return rangeOfText(code, b64(which === 'crt' ? crt : key), severity);
    }),
  };
}

/** A stringData block scalar holding `text`, indented under `  key: |`. */
const block = (key: string, text: string): string =>
  `  ${key}: |\n${text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')}\n`;

const encryptedPkcs8 = valid.key.export({
  type: 'pkcs8',
  format: 'pem',
  cipher: 'aes-256-cbc',
  passphrase: 'correct horse',
}) as string;
const encryptedLegacy = rsa.key.export({
  type: 'pkcs1',
  format: 'pem',
  cipher: 'aes-256-cbc',
  passphrase: 'correct horse',
}) as string;
const opensshKey =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\n-----END OPENSSH PRIVATE KEY-----\n';
const publicKeyPem = valid.x509.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const notAKey = toPem('PRIVATE KEY', Buffer.from('definitely not DER'));
const notACertificate = toPem('CERTIFICATE', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]));
const trailingData = toPem('CERTIFICATE', Buffer.concat([valid.der, Buffer.from([0, 0])]));
const csr = toPem('CERTIFICATE REQUEST', Buffer.from([0x30, 0x00]));
const withoutEnd = valid.pem.replace('-----END CERTIFICATE-----', '');
const badBody = valid.pem.replace(/\n(.)/, '\n!$1');

// A certificate signed by one key but carrying another's public key: a wrong pair that
// X509Certificate still parses.
const reissued = toPem(
  'CERTIFICATE',
  createCertificateDer({
    subject: 'shop.example.com',
    publicKey: generateKey(),
    signingKey: valid.key,
    notBefore: daysFromNow(-1),
    notAfter: daysFromNow(400),
  }),
);

ruleTester('invalid-tls', {
  valid: [
    { name: 'an EC key (PKCS#8) and its certificate', code: tls(valid.pem, valid.keyPem) },
    { name: 'RSA, PKCS#1 key', code: tls(rsa.pem, keyPem(rsa.key, 'pkcs1')) },
    { name: 'EC, SEC 1 key', code: tls(valid.pem, keyPem(valid.key, 'sec1')) },
    { name: 'Ed25519', code: tls(ed25519.pem, ed25519.keyPem) },
    {
      name: 'leaf then intermediate, the key matches the leaf, ca.crt holds the root',
      code: tls(
        chained.leaf.pem + chained.intermediate.pem,
        chained.leaf.keyPem,
        `  ca.crt: ${b64(chained.root.pem)}\n`,
      ),
    },
    { name: 'valid for a century (GeneralizedTime)', code: tls(century.pem, century.keyPem) },
    {
      name: 'expires in 30.5 days: outside the 30-day window',
      code: tls(past30.pem, past30.keyPem),
    },
    {
      name: 'text around the blocks (openssl output) is skipped, as Go does',
      code: tls(
        `subject=CN = shop.example.com\nissuer=CN = shop.example.com\n${valid.pem}\n`,
        `Key:\n${valid.keyPem}`,
      ),
    },
    {
      name: 'CRLF line endings',
      code: tls(valid.pem.replace(/\n/g, '\r\n'), valid.keyPem.replace(/\n/g, '\r\n')),
    },
    {
      name: 'stringData block scalars',
      code: `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nstringData:\n${block('tls.crt', valid.pem)}${block('tls.key', valid.keyPem)}`,
    },
    {
      name: 'stringData wins over data: the data key is the wrong one',
      code: tls(valid.pem, other.keyPem, `stringData:\n${block('tls.key', valid.keyPem)}`),
    },
    {
      name: 'templates and placeholders',
      code: 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: "{{ .Values.tls.crt | b64enc }}"\n  tls.key: ${TLS_KEY_B64}\n  ca.crt: <base64-ca>\n',
    },
    {
      name: 'placeholder text in stringData, empty and null values',
      code: 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: changeme\n  tls.key: ""\n  ca.crt:\n',
    },
    {
      name: 'placeholders inside PEM armour (documentation snippets) are stand-ins too',
      code: `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nstringData:\n${block(
        'tls.crt',
        '-----BEGIN CERTIFICATE-----\n<your-client-certificate>\n-----END CERTIFICATE-----',
      )}${block('tls.key', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----')}${block(
        'ca.crt',
        '-----BEGIN CERTIFICATE-----\nxxxxxxxx\n-----END CERTIFICATE-----',
      )}`,
    },
    {
      name: 'values other rules reject (bad base64, a number) are left to them',
      code: 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: not base64!\nstringData:\n  tls.key: 42\n',
    },
    {
      name: 'a certificate without a key: the missing key is type-required-keys business',
      code: `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(valid.pem)}\n`,
    },
    {
      name: 'not a Secret',
      code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  tls.crt: not a certificate\n',
    },
    {
      name: 'ca.crt is only read in Secrets holding TLS material',
      code: `apiVersion: v1\nkind: Secret\ndata:\n  ca.crt: ${b64('not a certificate')}\n`,
    },
  ],
  invalid: [
    tlsCase('a key that does not match the certificate', valid.pem, other.keyPem, ['key']),
    tlsCase('a certificate carrying another public key', reissued, valid.keyPem, ['key']),
    tlsCase('expired 10 days ago: warning', expired.pem, expired.keyPem, [['crt', 'warning']]),
    tlsCase('expires in 12 days: info', expiring.pem, expiring.keyPem, [['crt', 'info']]),
    tlsCase('expires in 29.5 days: info', almost30.pem, almost30.keyPem, [['crt', 'info']]),
    tlsCase('not valid yet: warning', notYetValid.pem, notYetValid.keyPem, [['crt', 'warning']]),
    tlsCase('expired and the wrong key: both', expired.pem, other.keyPem, [
      ['crt', 'warning'],
      'key',
    ]),
    tlsCase('tls.crt and tls.key swapped', valid.keyPem, valid.pem, ['crt', 'key']),
    tlsCase('garbage', 'not a certificate', 'not a key', ['crt', 'key']),
    tlsCase('DER instead of PEM', valid.der, valid.key.export({ type: 'pkcs8', format: 'der' }), [
      'crt',
      'key',
    ]),
    tlsCase('base64 twice', b64(valid.pem), b64(valid.keyPem), ['crt', 'key']),
    tlsCase('an encrypted PKCS#8 key', valid.pem, encryptedPkcs8, ['key']),
    tlsCase('a legacy encrypted RSA key (Proc-Type)', rsa.pem, encryptedLegacy, ['key']),
    tlsCase('an OpenSSH key', valid.pem, opensshKey, ['key']),
    tlsCase('a public key', valid.pem, publicKeyPem, ['key']),
    tlsCase('a PRIVATE KEY block that is not a key', valid.pem, notAKey, ['key']),
    tlsCase('a key type Go cannot serve (Ed448)', valid.pem, keyPem(ed448Key), ['key']),
    tlsCase('a CERTIFICATE block that is not X.509', notACertificate, valid.keyPem, ['crt']),
    tlsCase('bytes after the certificate', trailingData, valid.keyPem, ['crt']),
    tlsCase('a certificate request', csr, valid.keyPem, ['crt']),
    tlsCase('no END line', withoutEnd, valid.keyPem, ['crt']),
    tlsCase('a truncated certificate as the key', valid.pem, withoutEnd, ['key']),
    tlsCase('a body that is not base64', badBody, valid.keyPem, ['crt']),
    tlsCase(
      'a placeholder line beside other text in PEM armour is not a stand-in',
      '-----BEGIN CERTIFICATE-----\n<your-certificate>\nMIIB!\n-----END CERTIFICATE-----\n',
      valid.keyPem,
      ['crt'],
    ),
    tlsCase(
      'intermediate first: the key matches the second certificate',
      chained.intermediate.pem + chained.leaf.pem,
      chained.leaf.keyPem,
      ['crt'],
    ),
    tlsCase('a broken intermediate after a good leaf', valid.pem + notACertificate, valid.keyPem, [
      'crt',
    ]),
    (() => {
      const code = tls(
        valid.pem,
        valid.keyPem,
        `  ca.crt: ${b64('-----BEGIN CERTIFICATE-----\n')}\n`,
      );
      return {
        name: 'ca.crt that is not a certificate',
        code,
        errors: [rangeOfText(code, b64('-----BEGIN CERTIFICATE-----\n'))],
      };
    })(),
    (() => {
      const code = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: opaque\ndata:\n  tls.crt: ${b64('garbage')}\n`;
      return {
        name: 'an untyped Secret holding tls.crt',
        code,
        errors: [rangeOfText(code, b64('garbage'))],
      };
    })(),
    (() => {
      const code = `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nstringData:\n${block('tls.crt', expired.pem)}${block('tls.key', expired.keyPem)}`;
      // A block scalar's range runs from the indicator to the start of the next line.
      const start = code.indexOf('|');
      const end = code.indexOf('  tls.key:');
      return {
        name: 'stringData block scalar, expired',
        code,
        errors: [{ ...rangeOfText(code, code.slice(start, end)), severity: 'warning' as const }],
      };
    })(),
    (() => {
      const code = `data:\n  tls.key: ${b64(other.keyPem)}\n  tls.crt: ${b64(valid.pem)}\ntype: kubernetes.io/tls\nkind: Secret\napiVersion: v1\n`;
      return {
        name: 'kind and type after data',
        code,
        errors: [rangeOfText(code, b64(other.keyPem))],
      };
    })(),
    (() => {
      const code = JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': b64(expired.pem), 'tls.key': b64(expired.keyPem) },
      });
      return {
        name: 'JSON manifest',
        code,
        errors: [rangeOfText(code, `"${b64(expired.pem)}"`, 'warning')],
      };
    })(),
    (() => {
      const code = `${tls(valid.pem, valid.keyPem)}---\n${tls(valid.pem, other.keyPem)}`;
      const second = code.lastIndexOf(b64(other.keyPem));
      const line = code.slice(0, second).split('\n').length;
      return {
        name: 'the second document of a multi-document file',
        code,
        errors: [{ line, column: 12, endLine: line, endColumn: 12 + b64(other.keyPem).length }],
      };
    })(),
  ],
});

/** Messages of the rule for a text. */
const messagesOf = (code: string): string[] =>
  findingsOf('invalid-tls', { code }).map((finding) => finding.message);

const utcDate = (date: Date): string => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

test('expiry messages give the date and the whole days', () => {
  const notAfter = new Date(expired.x509.validTo);
  assert.deepEqual(messagesOf(tls(expired.pem, expired.keyPem)), [
    `tls.crt: the certificate expired on ${utcDate(notAfter)} (10 days ago)`,
  ]);
  assert.deepEqual(messagesOf(tls(expiring.pem, expiring.keyPem)), [
    `tls.crt: the certificate expires on ${utcDate(new Date(expiring.x509.validTo))} (in 12 days)`,
  ]);
  assert.match(
    messagesOf(tls(notYetValid.pem, notYetValid.keyPem))[0] ?? '',
    /not valid before .* \(in 5 days\)/,
  );
});

test('messages name the problem', () => {
  assert.deepEqual(messagesOf(tls(valid.keyPem, valid.pem)), [
    'tls.crt holds a private key and no certificate: tls.crt and tls.key look swapped',
    'tls.key holds a certificate and no private key: tls.crt and tls.key look swapped',
  ]);
  assert.match(messagesOf(tls(valid.pem, encryptedPkcs8))[0] ?? '', /encrypted/);
  assert.match(messagesOf(tls(rsa.pem, encryptedLegacy))[0] ?? '', /encrypted/);
  assert.match(messagesOf(tls(valid.pem, opensshKey))[0] ?? '', /OpenSSH/);
  assert.match(messagesOf(tls(valid.pem, keyPem(ed448Key)))[0] ?? '', /Ed448/);
  assert.match(messagesOf(tls(valid.pem, other.keyPem))[0] ?? '', /does not match/);
  assert.match(
    messagesOf(tls(chained.intermediate.pem + chained.leaf.pem, chained.leaf.keyPem))[0] ?? '',
    /matches certificate 2 of 2/,
  );
  assert.match(
    messagesOf(tls(valid.pem + notACertificate, valid.keyPem))[0] ?? '',
    /certificate 2 of 2/,
  );
  assert.match(messagesOf(tls(csr, valid.keyPem))[0] ?? '', /found: CERTIFICATE REQUEST/);
  assert.match(messagesOf(tls(valid.der, valid.keyPem))[0] ?? '', /DER/);
  assert.match(messagesOf(tls(b64(valid.pem), valid.keyPem))[0] ?? '', /base64-encoded twice/);
  assert.match(
    messagesOf(tls(withoutEnd, valid.keyPem))[0] ?? '',
    /at line 1 has no matching END line/,
  );
  // A truncated certificate pasted as the key still reads as swapped.
  assert.deepEqual(messagesOf(tls(valid.pem, withoutEnd)), [
    'tls.key holds a certificate and no private key: tls.crt and tls.key look swapped',
  ]);
});

test('messages never contain PEM text, base64 or key material', () => {
  const fixtures = [valid, other, expired, rsa, chained.leaf, chained.intermediate];
  const codes = [
    tls(valid.keyPem, valid.pem),
    tls(valid.pem, other.keyPem),
    tls(expired.pem, expired.keyPem),
    tls(rsa.pem, encryptedLegacy),
    tls(chained.intermediate.pem + chained.leaf.pem, chained.leaf.keyPem),
    tls(valid.pem + notACertificate, valid.keyPem),
    tls(withoutEnd, valid.keyPem),
    tls(b64(valid.pem), b64(valid.keyPem)),
  ];
  // Every 16-character run of the PEM bodies and of the base64 written in the manifests.
  const secrets = fixtures.flatMap((fixture) => [fixture.pem, fixture.keyPem, encryptedLegacy]);
  const fragments = new Set<string>();
  for (const text of [...secrets, ...secrets.map(b64)]) {
    const body = text.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');
    for (let i = 0; i + 16 <= body.length; i += 8) fragments.add(body.slice(i, i + 16));
  }
  let checked = 0;
  for (const code of codes) {
    for (const message of messagesOf(code)) {
      checked++;
      for (const fragment of fragments) assert.ok(!message.includes(fragment), message);
      assert.ok(!/-----BEGIN (?:EC |RSA )?PRIVATE KEY-----/.test(message), message);
    }
  }
  assert.ok(checked >= 9);
});
