import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EXPIRY_WARNING_DAYS,
  describeCertificate,
  formatKeyInfo,
  formatUtcDate,
  isBase64OfPem,
  isDerSequence,
  parseCertificateDer,
  parseOpenSslDate,
  readPrivateKey,
  scanPem,
  validityOf,
} from '../../server/src/core/pem';
import { chain, generateKey, issue, keyPem, selfSigned, toPem } from '../helpers/x509';

const DAY = 86_400_000;
const notBefore = new Date(Date.UTC(2030, 0, 1, 0, 0, 0));
const notAfter = new Date(Date.UTC(2030, 5, 1, 12, 0, 0));
const key = generateKey();
const fixed = issue({
  subject: 'fixed.example.com',
  key,
  signingKey: key,
  notBefore,
  notAfter,
  dnsNames: ['fixed.example.com', 'www.fixed.example.com'],
});

test('the writer builds certificates that X509Certificate parses, with exact dates', () => {
  assert.equal(fixed.x509.validFrom, 'Jan  1 00:00:00 2030 GMT');
  assert.equal(fixed.x509.validTo, 'Jun  1 12:00:00 2030 GMT');
  assert.ok(fixed.x509.checkPrivateKey(key));
  const century = selfSigned('c', { notAfter: new Date(Date.UTC(2126, 2, 3, 4, 5, 6)) }, 'rsa');
  assert.equal(century.x509.validTo, 'Mar  3 04:05:06 2126 GMT');
  const { root, intermediate, leaf } = chain('leaf.example.com', notAfter);
  assert.ok(leaf.x509.checkIssued(intermediate.x509));
  assert.ok(intermediate.x509.checkIssued(root.x509));
  assert.ok(leaf.x509.verify(intermediate.x509.publicKey));
  assert.equal(intermediate.x509.ca, true);
  assert.equal(leaf.x509.ca, false);
});

test('validity at the edges: expired only after notAfter, expiring within 30 days inclusive', () => {
  const at = (ms: number) => validityOf(fixed.x509, new Date(ms));
  assert.equal(EXPIRY_WARNING_DAYS, 30);
  assert.deepEqual(at(notBefore.getTime() - 1)?.state, 'not-yet-valid');
  assert.deepEqual(at(notBefore.getTime())?.state, 'valid');
  assert.deepEqual(at(notAfter.getTime() - 30 * DAY - 1000)?.state, 'valid');
  assert.deepEqual(at(notAfter.getTime() - 30 * DAY)?.state, 'expiring');
  assert.deepEqual(at(notAfter.getTime())?.state, 'expiring');
  assert.deepEqual(at(notAfter.getTime() + 1)?.state, 'expired');
  assert.equal(at(notAfter.getTime() - 12 * DAY - 1)?.days, 12);
  assert.equal(at(notAfter.getTime() - 12 * DAY + 1)?.days, 11);
  assert.equal(at(notAfter.getTime() + 3 * DAY + 1)?.days, 3);
  assert.equal(at(notAfter.getTime() + 1000)?.days, 0);
  assert.equal(at(notBefore.getTime() - 2.5 * DAY)?.days, 2);
});

test('describeCertificate gives names, dates, key and self-signature', () => {
  const info = describeCertificate(fixed.x509, new Date(notAfter.getTime() - 10 * DAY));
  assert.equal(info.subject, 'O=secret-guard tests, CN=fixed.example.com');
  assert.equal(info.issuer, info.subject);
  assert.deepEqual(info.subjectAltNames, ['DNS:fixed.example.com', 'DNS:www.fixed.example.com']);
  assert.deepEqual(info.notBefore, notBefore);
  assert.deepEqual(info.notAfter, notAfter);
  assert.equal(info.validity?.state, 'expiring');
  assert.equal(info.validity?.days, 10);
  assert.equal(info.selfSigned, true);
  assert.equal(info.isCA, false);
  assert.deepEqual(info.publicKey, { type: 'ec', bits: 256, curve: 'prime256v1' });
  const { leaf } = chain('leaf.example.com', notAfter);
  assert.equal(describeCertificate(leaf.x509, notBefore).selfSigned, false);
});

test('OpenSSL dates parse exactly, other text does not', () => {
  assert.deepEqual(
    parseOpenSslDate('Dec  9 23:59:59 2049 GMT'),
    new Date(Date.UTC(2049, 11, 9, 23, 59, 59)),
  );
  assert.deepEqual(parseOpenSslDate('Jan 10 00:00:00 0099 GMT')?.getUTCFullYear(), 99);
  assert.equal(parseOpenSslDate('2030-01-01'), undefined);
  assert.equal(formatUtcDate(new Date(Date.UTC(2030, 0, 2, 3, 4, 5))), '2030-01-02 03:04 UTC');
});

test('scanPem follows Go: text around blocks, headers, CRLF, malformed blocks skipped', () => {
  const text = `junk before\n${fixed.pem}between\r\n${keyPem(key).replace(/\n/g, '\r\n')}after`;
  const scan = scanPem(text);
  assert.deepEqual(
    scan.blocks.map((block) => block.type),
    ['CERTIFICATE', 'PRIVATE KEY'],
  );
  assert.deepEqual(scan.blocks[0]?.bytes, fixed.der);
  assert.equal(text.slice(scan.blocks[0]?.start, scan.blocks[0]?.end), fixed.pem);
  assert.deepEqual(scan.malformed, []);

  // BEGIN must start a line; an END with another label does not close the block.
  assert.deepEqual(scanPem(`x ${fixed.pem}`).blocks, []);
  const mismatched = scanPem(fixed.pem.replace('END CERTIFICATE', 'END PRIVATE KEY'));
  assert.deepEqual(mismatched.blocks, []);
  assert.deepEqual(mismatched.malformed, [
    { type: 'CERTIFICATE', reason: 'no-end-line', start: 0 },
  ]);

  // A block with a bad body is skipped; the next one is still found.
  const bad = scanPem(`${fixed.pem.replace(/\n(.)/, '\n*$1')}${fixed.pem}`);
  assert.equal(bad.blocks.length, 1);
  assert.deepEqual(bad.malformed, [{ type: 'CERTIFICATE', reason: 'invalid-base64', start: 0 }]);

  // Headers (legacy encryption) are kept.
  const headed = scanPem(
    '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n',
  );
  assert.equal(headed.blocks[0]?.headers.get('Proc-Type'), '4,ENCRYPTED');
  // Binary input is scanned byte for byte.
  assert.deepEqual(scanPem(fixed.der).blocks, []);
});

test('DER and doubly encoded input are recognised', () => {
  assert.equal(isDerSequence(fixed.der), true);
  assert.equal(isDerSequence(Buffer.concat([fixed.der, Buffer.from([0])])), false);
  assert.equal(isDerSequence(Buffer.from(fixed.pem)), false);
  assert.equal(isBase64OfPem(Buffer.from(Buffer.from(fixed.pem).toString('base64'))), true);
  assert.equal(isBase64OfPem(Buffer.from(fixed.pem)), false);
});

test('parseCertificateDer rejects what Go rejects: garbage and trailing bytes', () => {
  assert.equal(parseCertificateDer(fixed.der).ok, true);
  assert.deepEqual(parseCertificateDer(Buffer.concat([fixed.der, Buffer.from([0])])), {
    ok: false,
    reason: 'trailing-data',
  });
  assert.deepEqual(parseCertificateDer(Buffer.from([0x30, 0x03, 2, 1, 5])), {
    ok: false,
    reason: 'not-x509',
  });
  assert.deepEqual(parseCertificateDer(fixed.der.subarray(0, 40)), {
    ok: false,
    reason: 'not-x509',
  });
});

test('readPrivateKey: PKCS#1, PKCS#8, SEC 1, whatever the label; problems named', () => {
  const rsa = generateKey('rsa');
  const pkcs1 = readPrivateKey(scanPem(keyPem(rsa, 'pkcs1')));
  assert.ok(pkcs1.ok);
  assert.equal(pkcs1.format, 'pkcs1');
  assert.equal(formatKeyInfo(pkcs1.info), 'RSA 2048-bit');
  const sec1 = readPrivateKey(scanPem(keyPem(key, 'sec1')));
  assert.ok(sec1.ok);
  assert.equal(sec1.format, 'sec1');
  assert.equal(formatKeyInfo(sec1.info), 'ECDSA P-256');
  // Go parses the DER whatever the label says.
  const relabelled = readPrivateKey(scanPem(keyPem(key).replace(/PRIVATE KEY/g, 'EC PRIVATE KEY')));
  assert.ok(relabelled.ok);
  assert.equal(relabelled.format, 'pkcs8');
  const ed = readPrivateKey(scanPem(keyPem(generateKey('ed25519'))));
  assert.ok(ed.ok);
  assert.equal(formatKeyInfo(ed.info), 'Ed25519');

  const problem = (text: string) => {
    const reading = readPrivateKey(scanPem(text));
    return reading.ok ? undefined : reading.problem;
  };
  assert.deepEqual(problem(fixed.pem), {
    kind: 'no-private-key',
    found: ['CERTIFICATE'],
    malformed: [],
  });
  assert.deepEqual(
    problem(
      key.export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-128-cbc',
        passphrase: 'p',
      }) as string,
    ),
    { kind: 'encrypted', type: 'ENCRYPTED PRIVATE KEY' },
  );
  assert.deepEqual(problem(toPem('OPENSSH PRIVATE KEY', Buffer.from('openssh-key-v1'))), {
    kind: 'openssh',
  });
  assert.deepEqual(problem(toPem('RSA PRIVATE KEY', Buffer.from([0x30, 0]))), {
    kind: 'unparsable',
    type: 'RSA PRIVATE KEY',
  });
});
