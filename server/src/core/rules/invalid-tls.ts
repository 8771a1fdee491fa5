import type { KeyObject, X509Certificate } from 'node:crypto';
import { isSecret, secretValuesOf } from '../model';
import type { K8sObject, SecretValue } from '../model';
import {
  CERTIFICATE_TYPE,
  formatKeyInfo,
  formatUtcDate,
  isBase64OfPem,
  isDerSequence,
  isPrivateKeyType,
  parseCertificateDer,
  readPrivateKey,
  scanPem,
  validityOf,
} from '../pem';
import type { MalformedPemBlock, PemScan, PrivateKeyProblem } from '../pem';
import { isPlaceholder } from '../placeholders';
import { resolveSecretValue } from '../secret-values';
import { stringAt } from '../yaml-nodes';
import type { Rule, RuleReport } from './types';

const TLS_TYPE = 'kubernetes.io/tls';
const CERT_KEY = 'tls.crt';
const PRIVATE_KEY_KEY = 'tls.key';
const CA_KEY = 'ca.crt';

/** Key types Go's `crypto/tls` can serve with (`x509.ParsePKCS8PrivateKey` and friends). */
const GO_TLS_KEY_TYPES = new Set(['rsa', 'ec', 'ed25519']);

/**
 * The API server only checks that a `kubernetes.io/tls` Secret has `tls.crt` and `tls.key`;
 * their contents are read later by Go's `crypto/tls.X509KeyPair` (kubectl create secret tls,
 * ingress-nginx, Traefik, cert-manager, webhooks), which fails on the problems reported here:
 * an ingress controller then quietly serves its default, untrusted certificate.
 *
 * Checked: Secrets of that type and any Secret holding `tls.crt` or `tls.key`, on the value
 * Kubernetes stores (`stringData` wins over `data`). Empty, templated and placeholder values
 * (a bare one, or one inside PEM armour) are stand-ins and are skipped, as are values other
 * rules reject (bad base64, non-strings).
 *
 * Time: the pure helpers in pem.ts take `now` as a parameter (that is what the tests pin);
 * the rule passes `Date.now()`, since a file context carries no clock.
 */
export const rule: Rule = {
  id: 'invalid-tls',
  severity: 'error',
  summary:
    'tls.crt / tls.key / ca.crt that are not PEM, a key that does not match its certificate, or an expired or expiring certificate.',
  check({ document, objects, report }) {
    const now = new Date(Date.now());
    for (const secret of objects.filter(isSecret)) {
      const values = effectiveValues(secret);
      const isTls = stringAt(secret.root, 'type') === TLS_TYPE;
      if (!isTls && !values.has(CERT_KEY) && !values.has(PRIVATE_KEY_KEY)) continue;
      const certificate = valueOf(values.get(CERT_KEY), document.text);
      const privateKey = valueOf(values.get(PRIVATE_KEY_KEY), document.text);
      const ca = valueOf(values.get(CA_KEY), document.text);

      const chain = certificate
        ? checkCertificates(CERT_KEY, certificate, (message, severity) =>
            report(at(certificate, message, severity)),
          )
        : [];
      const leaf = chain[0];
      if (certificate && leaf) {
        const expiry = expiryReport(leaf, now);
        if (expiry) report(at(certificate, expiry.message, expiry.severity));
      }

      if (privateKey) {
        const reading = readPrivateKey(scanPem(privateKey.bytes));
        if (!reading.ok) {
          report(at(privateKey, describeKeyProblem(reading.problem, privateKey.bytes)));
        } else if (!GO_TLS_KEY_TYPES.has(reading.info.type)) {
          report(
            at(
              privateKey,
              `${PRIVATE_KEY_KEY} holds a key of type ${formatKeyInfo(reading.info)}: Go's crypto/tls (kubectl, ingress controllers) accepts RSA, ECDSA and Ed25519 keys only`,
            ),
          );
        } else if (certificate && leaf && !matches(leaf, reading.key)) {
          const index = chain.findIndex((cert) => cert && matches(cert, reading.key));
          if (index > 0) {
            report(
              at(
                certificate,
                `${PRIVATE_KEY_KEY} matches certificate ${index + 1} of ${chain.length} in ${CERT_KEY}, not the first: the server certificate must come first, followed by its intermediates`,
              ),
            );
          } else {
            report(
              at(
                privateKey,
                `${PRIVATE_KEY_KEY} does not match the certificate in ${CERT_KEY} (the first one, the server certificate)`,
              ),
            );
          }
        }
      }

      if (ca) {
        checkCertificates(CA_KEY, ca, (message, severity) => report(at(ca, message, severity)));
      }
    }
  },
};

/** A value to check: its bytes as Kubernetes stores them and the node to report on. */
interface CheckedValue {
  bytes: Buffer;
  range: [number, number];
}

/** The entry Kubernetes keeps per key: the last one, `stringData` over `data`. */
function effectiveValues(secret: K8sObject): Map<string, SecretValue> {
  const values = new Map<string, SecretValue>();
  for (const entry of secretValuesOf(secret)) values.set(entry.key, entry);
  return values;
}

function valueOf(entry: SecretValue | undefined, text: string): CheckedValue | undefined {
  if (!entry) return undefined;
  const resolved = resolveSecretValue(entry, text);
  if (resolved.state !== 'bytes' || resolved.bytes.length === 0) return undefined;
  const stored = resolved.bytes.toString('utf8');
  if (isPlaceholder(stored)) return undefined;
  const range = resolved.scalar.range;
  return range ? { bytes: resolved.bytes, range: [range[0], range[1]] } : undefined;
}

function at(value: CheckedValue, message: string, severity?: RuleReport['severity']): RuleReport {
  return { start: value.range[0], end: value.range[1], message, ...(severity ? { severity } : {}) };
}

type Reporter = (message: string, severity?: RuleReport['severity']) => void;

/**
 * Reports what is wrong with a PEM certificate (bundle) and returns its certificates in
 * order (undefined where one does not parse); empty when there is no certificate block.
 */
function checkCertificates(
  key: string,
  value: CheckedValue,
  problem: Reporter,
): (X509Certificate | undefined)[] {
  const scan = scanPem(value.bytes);
  const blocks = scan.blocks.filter((block) => block.type === CERTIFICATE_TYPE);
  // Go skips a malformed block: next to readable ones, it silently drops out of the chain.
  const ignored = blocks.length > 0 ? '; it is ignored' : '';
  for (const malformed of scan.malformed.filter((m) => m.type === CERTIFICATE_TYPE)) {
    problem(`${key}: ${describeMalformed(malformed, value.bytes)}${ignored}`);
  }
  if (blocks.length === 0) {
    if (scan.malformed.some((m) => m.type === CERTIFICATE_TYPE)) return [];
    problem(describeMissingCertificate(key, scan, value.bytes));
    return [];
  }
  return blocks.map((block, index) => {
    const parsed = parseCertificateDer(block.bytes);
    if (parsed.ok) return parsed.certificate;
    const which = `certificate ${index + 1} of ${blocks.length}`;
    problem(
      parsed.reason === 'trailing-data'
        ? `${key}: ${which} has bytes after its end, which Go's x509 parser rejects`
        : `${key}: ${which} is not a valid X.509 certificate`,
    );
    return undefined;
  });
}

function describeMissingCertificate(key: string, scan: PemScan, bytes: Buffer): string {
  const found = [...new Set(scan.blocks.map((block) => block.type))];
  // A truncated key pasted here still says what it was meant to be.
  if ([...found, ...scan.malformed.map((m) => m.type)].some(isPrivateKeyType)) {
    return `${key} holds a private key and no certificate: ${CERT_KEY} and ${PRIVATE_KEY_KEY} look swapped`;
  }
  if (found.length > 0) return `${key} holds no CERTIFICATE block (found: ${found.join(', ')})`;
  if (isDerSequence(bytes)) {
    return `${key} is a DER (binary) certificate, not PEM: convert it with openssl x509 -inform der -outform pem`;
  }
  if (isBase64OfPem(bytes)) {
    return `${key} is base64-encoded twice: its decoded value is base64 text, not PEM`;
  }
  return `${key} is not PEM: it has no -----BEGIN CERTIFICATE----- block`;
}

function describeKeyProblem(problem: PrivateKeyProblem, bytes: Buffer): string {
  switch (problem.kind) {
    case 'encrypted':
      return `${PRIVATE_KEY_KEY} is encrypted (passphrase-protected): Kubernetes and ingress controllers cannot decrypt it; store it unencrypted (openssl pkey -in encrypted.key -out tls.key)`;
    case 'openssh':
      return `${PRIVATE_KEY_KEY} is an OpenSSH private key, not a PEM TLS key (PKCS#1, PKCS#8 or SEC 1)`;
    case 'unparsable':
      return `${PRIVATE_KEY_KEY}: the ${problem.type} block is not a valid PKCS#1, PKCS#8 or SEC 1 private key`;
    case 'no-private-key': {
      const malformedKey = problem.malformed.find((m) => isPrivateKeyType(m.type));
      if (malformedKey) return `${PRIVATE_KEY_KEY}: ${describeMalformed(malformedKey, bytes)}`;
      const found = [...new Set(problem.found)];
      if ([...found, ...problem.malformed.map((m) => m.type)].includes(CERTIFICATE_TYPE)) {
        return `${PRIVATE_KEY_KEY} holds a certificate and no private key: ${CERT_KEY} and ${PRIVATE_KEY_KEY} look swapped`;
      }
      if (found.some((type) => type.endsWith('PUBLIC KEY'))) {
        return `${PRIVATE_KEY_KEY} holds a public key, not a private key`;
      }
      if (found.length > 0) {
        return `${PRIVATE_KEY_KEY} holds no PRIVATE KEY block (found: ${found.join(', ')})`;
      }
      if (isDerSequence(bytes)) {
        return `${PRIVATE_KEY_KEY} is a DER (binary) key, not PEM: convert it with openssl pkey -inform der -outform pem`;
      }
      if (isBase64OfPem(bytes)) {
        return `${PRIVATE_KEY_KEY} is base64-encoded twice: its decoded value is base64 text, not PEM`;
      }
      return `${PRIVATE_KEY_KEY} is not PEM: it has no -----BEGIN PRIVATE KEY----- block`;
    }
  }
}

function describeMalformed(malformed: MalformedPemBlock, bytes: Buffer): string {
  const line = lineOfByte(bytes, malformed.start);
  const what =
    malformed.reason === 'invalid-base64'
      ? 'has a body that is not valid base64'
      : 'has no matching END line';
  return `the ${malformed.type} block at line ${line} ${what}`;
}

function lineOfByte(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function matches(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.checkPrivateKey(key);
  } catch {
    return false; // key and certificate of different algorithms
  }
}

function expiryReport(
  leaf: X509Certificate,
  now: Date,
): { message: string; severity: RuleReport['severity'] } | undefined {
  const validity = validityOf(leaf, now);
  if (!validity) return undefined;
  switch (validity.state) {
    case 'expired':
      return {
        message: `${CERT_KEY}: the certificate expired on ${formatUtcDate(validity.notAfter)} (${ago(validity.days)})`,
        severity: 'warning',
      };
    case 'not-yet-valid':
      return {
        message: `${CERT_KEY}: the certificate is not valid before ${formatUtcDate(validity.notBefore)} (${inDays(validity.days)})`,
        severity: 'warning',
      };
    case 'expiring':
      return {
        message: `${CERT_KEY}: the certificate expires on ${formatUtcDate(validity.notAfter)} (${inDays(validity.days)})`,
        severity: 'info',
      };
    case 'valid':
      return undefined;
  }
}

function days(count: number): string {
  return count === 1 ? '1 day' : `${count} days`;
}

function ago(count: number): string {
  return count === 0 ? 'less than a day ago' : `${days(count)} ago`;
}

function inDays(count: number): string {
  return count === 0 ? 'in less than a day' : `in ${days(count)}`;
}
