/**
 * Builds X.509 certificates at test time without openssl or any child process: a minimal
 * ASN.1 DER writer assembles a v3 TBSCertificate, which `crypto.sign` signs with the issuer's
 * key. That gives exact validity dates (expired, expiring, valid), chains and mismatched pairs.
 */
import {
  X509Certificate,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';

// --- DER primitives -------------------------------------------------------------------------

function lengthOf(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A tag-length-value triple. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthOf(content.length), content]);
}

export const sequence = (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items));
/** `[n] EXPLICIT`: a constructed context-specific tag around `content`. */
export const explicit = (n: number, content: Uint8Array): Buffer => tlv(0xa0 | n, content);
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
export const octetString = (content: Uint8Array): Buffer => tlv(0x04, content);
export const bitString = (content: Uint8Array): Buffer =>
  tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));

/** A non-negative INTEGER in minimal two's complement form. */
export function integer(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first = 0n, second = 0n, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const groups: number[] = [];
    let remaining = arc;
    do {
      groups.unshift(Number(remaining & 0x7fn));
      remaining >>= 7n;
    } while (remaining > 0n);
    groups.forEach((group, i) => bytes.push(i < groups.length - 1 ? group | 0x80 : group));
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime for 1950-2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5); seconds precision. */
export function time(date: Date): Buffer {
  const year = date.getUTCFullYear();
  const two = (n: number): string => String(n).padStart(2, '0');
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  return year >= 1950 && year < 2050
    ? tlv(0x17, Buffer.from(`${two(year % 100)}${rest}`, 'ascii'))
    : tlv(0x18, Buffer.from(`${String(year).padStart(4, '0')}${rest}`, 'ascii'));
}

// --- Certificates ---------------------------------------------------------------------------

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ed25519: '1.3.101.112',
};

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(oid(OID.organization), utf8String('secret-guard tests'))),
    set(sequence(oid(OID.commonName), utf8String(commonName))),
  );
}

function signatureAlgorithm(key: KeyObject): { identifier: Buffer; digest: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { identifier: sequence(oid(OID.sha256WithRsa), nullValue()), digest: 'sha256' };
    case 'ec':
      return { identifier: sequence(oid(OID.ecdsaWithSha256)), digest: 'sha256' };
    case 'ed25519':
      return { identifier: sequence(oid(OID.ed25519)), digest: null };
    default:
      throw new Error(`no signature algorithm for ${key.asymmetricKeyType ?? 'this key'}`);
  }
}

export interface CertificateOptions {
  /** Common name of the subject. */
  subject: string;
  /** Common name of the issuer; defaults to the subject (self-signed). */
  issuer?: string;
  /** The certified public key (or the private key whose public half is certified). */
  publicKey: KeyObject;
  /** The issuer's private key, which signs the certificate. */
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  dnsNames?: string[];
  /** Adds basicConstraints CA:TRUE. */
  isCA?: boolean;
  serial?: bigint;
}

/** A DER-encoded v3 certificate. */
export function createCertificateDer(options: CertificateOptions): Buffer {
  const algorithm = signatureAlgorithm(options.signingKey);
  const spki = createPublicKey(options.publicKey).export({ type: 'spki', format: 'der' });
  const extensions: Buffer[] = [];
  if (options.dnsNames && options.dnsNames.length > 0) {
    const names = options.dnsNames.map((dns) => tlv(0x82, Buffer.from(dns, 'ascii')));
    extensions.push(sequence(oid(OID.subjectAltName), octetString(sequence(...names))));
  }
  if (options.isCA) {
    extensions.push(
      sequence(oid(OID.basicConstraints), boolean(true), octetString(sequence(boolean(true)))),
    );
  }
  const serial = options.serial ?? BigInt(`0x${randomBytes(8).toString('hex')}`) + 1n;
  const tbs = sequence(
    explicit(0, integer(2n)),
    integer(serial),
    algorithm.identifier,
    name(options.issuer ?? options.subject),
    sequence(time(options.notBefore), time(options.notAfter)),
    name(options.subject),
    spki,
    ...(extensions.length > 0 ? [explicit(3, sequence(...extensions))] : []),
  );
  const signature = sign(algorithm.digest, tbs, options.signingKey);
  return sequence(tbs, algorithm.identifier, bitString(signature));
}

/** PEM armour with 64-character lines, as openssl writes it. */
export function toPem(type: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

export type KeyKind = 'ec' | 'rsa' | 'ed25519';

/** A fresh key pair: P-256 by default (fast), RSA 2048 or Ed25519 on request. */
export function generateKey(kind: KeyKind = 'ec'): KeyObject {
  switch (kind) {
    case 'ec':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey;
  }
}

/** The private key as PEM: PKCS#8 by default, or PKCS#1 (RSA) / SEC 1 (EC). */
export function keyPem(key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' = 'pkcs8'): string {
  return key.export({ type, format: 'pem' }) as string;
}

export interface IssuedCertificate {
  key: KeyObject;
  der: Buffer;
  pem: string;
  keyPem: string;
  x509: X509Certificate;
}

const DAY = 86_400_000;

/**
 * A self-signed certificate for `subject`, valid from `notBefore` (default: yesterday, or a
 * year before a `notAfter` in the past) to `notAfter`; checked with Node's X509Certificate.
 */
export function selfSigned(
  subject: string,
  validity: { notAfter: Date; notBefore?: Date },
  kind: KeyKind = 'ec',
): IssuedCertificate {
  const key = generateKey(kind);
  return issue({ subject, key, signingKey: key, ...validity, dnsNames: [subject] });
}

/** Issues a certificate for `key`, signed by `signingKey` (the issuer's). */
export function issue(options: {
  subject: string;
  issuer?: string;
  key: KeyObject;
  signingKey: KeyObject;
  notAfter: Date;
  notBefore?: Date;
  dnsNames?: string[];
  isCA?: boolean;
}): IssuedCertificate {
  // By default valid since yesterday, or for a year before an expiry in the past.
  const yesterday = daysFromNow(-1);
  const notBefore =
    options.notBefore ??
    (options.notAfter > yesterday ? yesterday : new Date(options.notAfter.getTime() - 365 * DAY));
  const der = createCertificateDer({
    subject: options.subject,
    ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
    publicKey: options.key,
    signingKey: options.signingKey,
    notBefore,
    notAfter: options.notAfter,
    ...(options.dnsNames ? { dnsNames: options.dnsNames } : {}),
    ...(options.isCA ? { isCA: true } : {}),
  });
  // Fails loudly here, not in the rule under test, if the writer produced bad DER.
  const x509 = new X509Certificate(der);
  return {
    key: options.key,
    der,
    pem: toPem('CERTIFICATE', der),
    keyPem: keyPem(options.key),
    x509,
  };
}

/** A root CA, an intermediate signed by it, and a leaf signed by the intermediate. */
export function chain(
  leafName: string,
  notAfter: Date,
): {
  root: IssuedCertificate;
  intermediate: IssuedCertificate;
  leaf: IssuedCertificate;
} {
  const rootKey = generateKey();
  const root = issue({
    subject: 'Test Root CA',
    key: rootKey,
    signingKey: rootKey,
    notAfter,
    isCA: true,
  });
  const intermediate = issue({
    subject: 'Test Intermediate CA',
    issuer: 'Test Root CA',
    key: generateKey(),
    signingKey: rootKey,
    notAfter,
    isCA: true,
  });
  const leaf = issue({
    subject: leafName,
    issuer: 'Test Intermediate CA',
    key: generateKey(),
    signingKey: intermediate.key,
    notAfter,
    dnsNames: [leafName],
  });
  return { root, intermediate, leaf };
}

/** `now` shifted by whole days (negative: in the past). */
export function daysFromNow(days: number, now: number = Date.now()): Date {
  return new Date(Math.floor((now + days * DAY) / 1000) * 1000);
}
