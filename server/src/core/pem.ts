/**
 * PEM and X.509 as the consumers of a TLS Secret read them. Blocks are found with the rules
 * of Go's `encoding/pem` `Decode` (ported below: text before, between and after blocks is
 * skipped; a block whose END line or base64 body is wrong is skipped), which is what
 * `crypto/tls.X509KeyPair` in kubectl, ingress-nginx and most controllers uses. What a block
 * holds is parsed by Node's `X509Certificate` and `createPrivateKey` (OpenSSL).
 *
 * Shared by the `invalid-tls` rule and the hovers. Pure: no I/O and no clock; whatever
 * depends on the time takes `now` as a parameter.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { decodeGoBase64 } from './base64';
import { trimEnd } from './trim';

/** A PEM block that `pem.Decode` accepts. Offsets are byte offsets into the scanned input. */
export interface PemBlock {
  /** The label: `CERTIFICATE`, `PRIVATE KEY`, `RSA PRIVATE KEY`, ... */
  type: string;
  /** RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED`, in order. */
  headers: ReadonlyMap<string, string>;
  /** The decoded body (DER for certificates and keys). */
  bytes: Buffer;
  start: number;
  end: number;
}

/** A `-----BEGIN <type>-----` line that `pem.Decode` skipped, and why. */
export interface MalformedPemBlock {
  type: string;
  reason: 'no-end-line' | 'invalid-base64';
  start: number;
}

/** Every block of an input, in order, and the BEGIN lines that led nowhere. */
export interface PemScan {
  blocks: PemBlock[];
  malformed: MalformedPemBlock[];
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

/** Go's `getLine`: the line from `from` without its `\r\n` and trailing blanks, and the next. */
function lineAt(text: string, from: number): { line: string; next: number } {
  const newline = text.indexOf('\n', from);
  let lineEnd = newline === -1 ? text.length : newline;
  const next = newline === -1 ? text.length : newline + 1;
  if (newline > from && text[newline - 1] === '\r') lineEnd--;
  // A loop, not /[ \t]+$/ (quadratic over a long run of blanks inside the line).
  return { line: trimEnd(text.slice(from, lineEnd), ' \t'), next };
}

/**
 * Scans an input for PEM blocks exactly as repeated calls of Go's `pem.Decode` do. Binary
 * input is read byte for byte (latin1), so offsets are byte offsets.
 */
export function scanPem(input: Uint8Array | string): PemScan {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const blocks: PemBlock[] = [];
  const malformed: MalformedPemBlock[] = [];
  let rest = 0;
  scanning: while (rest < text.length) {
    // A BEGIN line counts at the very start or after a newline only.
    let typeStart: number;
    if (text.startsWith(BEGIN, rest)) {
      typeStart = rest + BEGIN.length;
    } else {
      const found = text.indexOf(`\n${BEGIN}`, rest);
      if (found === -1) break;
      typeStart = found + 1 + BEGIN.length;
    }
    const start = typeStart - BEGIN.length;
    const typeLine = lineAt(text, typeStart);
    rest = typeLine.next;
    if (!typeLine.line.endsWith(DASHES)) continue;
    const type = typeLine.line.slice(0, -DASHES.length);
    const headers = new Map<string, string>();
    for (;;) {
      // Go gives up on the whole input when it runs out inside the headers.
      if (rest >= text.length) {
        malformed.push({ type, reason: 'no-end-line', start });
        break scanning;
      }
      const header = lineAt(text, rest);
      const colon = header.line.indexOf(':');
      if (colon === -1) break;
      headers.set(header.line.slice(0, colon).trim(), header.line.slice(colon + 1).trim());
      rest = header.next;
    }
    let endIndex: number;
    let trailerStart: number;
    if (headers.size === 0 && text.startsWith(END, rest)) {
      endIndex = rest;
      trailerStart = rest + END.length;
    } else {
      const found = text.indexOf(`\n${END}`, rest);
      endIndex = found === -1 ? -1 : found + 1;
      trailerStart = endIndex + END.length;
    }
    const trailer = `${type}${DASHES}`;
    if (
      endIndex === -1 ||
      !text.startsWith(trailer, trailerStart) ||
      lineAt(text, trailerStart + trailer.length).line !== ''
    ) {
      malformed.push({ type, reason: 'no-end-line', start });
      continue;
    }
    // Go strips spaces and tabs; its base64 decoder skips CR and LF.
    const body = text.slice(rest, endIndex).replace(/[ \t]/g, '');
    const decoded = decodeGoBase64(body);
    if (!decoded.ok) {
      malformed.push({ type, reason: 'invalid-base64', start });
      continue;
    }
    rest = lineAt(text, trailerStart).next;
    blocks.push({ type, headers, bytes: decoded.bytes, start, end: rest });
  }
  return { blocks, malformed };
}

/** `-----BEGIN CERTIFICATE-----`. */
export const CERTIFICATE_TYPE = 'CERTIFICATE';

/** Go's test for a private key block: `PRIVATE KEY` or any `<X> PRIVATE KEY` label. */
export function isPrivateKeyType(type: string): boolean {
  return type === 'PRIVATE KEY' || type.endsWith(' PRIVATE KEY');
}

/** The length a DER SEQUENCE at the start of `bytes` claims (header included), if any. */
function derSequenceLength(bytes: Uint8Array): number | undefined {
  if (bytes[0] !== 0x30 || bytes.length < 2) return undefined;
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || bytes.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
  return 2 + count + length;
}

/** True for bytes that are exactly one DER SEQUENCE: a binary certificate or key, not PEM. */
export function isDerSequence(bytes: Uint8Array): boolean {
  return derSequenceLength(bytes) === bytes.length;
}

/** True when the bytes are base64 text of PEM (`LS0tLS1CRUdJTi...`): encoded one time too many. */
export function isBase64OfPem(bytes: Uint8Array): boolean {
  return /^\s*LS0tLS1CRUdJTi/.test(Buffer.from(bytes.subarray(0, 64)).toString('latin1'));
}

export type CertificateParse =
  | { ok: true; certificate: X509Certificate }
  /** `trailing-data`: bytes after the certificate, which Go's `x509.ParseCertificate` rejects. */
  | { ok: false; reason: 'not-x509' | 'trailing-data' };

/** Parses one DER certificate, as strictly as Go about bytes after it. */
export function parseCertificateDer(der: Uint8Array): CertificateParse {
  const claimed = derSequenceLength(der);
  if (claimed === undefined || claimed > der.length) return { ok: false, reason: 'not-x509' };
  try {
    const certificate = new X509Certificate(Buffer.from(der));
    return claimed < der.length
      ? { ok: false, reason: 'trailing-data' }
      : { ok: true, certificate };
  } catch {
    return { ok: false, reason: 'not-x509' };
  }
}

/** The type and size of a public or private key. */
export interface KeyInfo {
  /** Node's `asymmetricKeyType`: `rsa`, `ec`, `ed25519`, `rsa-pss`, `dsa`, ... */
  type: string;
  /** Key size in bits, where it has one. */
  bits: number | undefined;
  /** The named curve of an EC key, as OpenSSL names it (`prime256v1`). */
  curve: string | undefined;
}

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime256v1: 256,
  secp256k1: 256,
  secp224r1: 224,
  secp384r1: 384,
  secp521r1: 521,
};

const FIXED_BITS: Readonly<Record<string, number>> = {
  ed25519: 256,
  ed448: 456,
  x25519: 255,
  x448: 448,
};

/** The type, size and curve of a key. */
export function keyInfoOf(key: KeyObject): KeyInfo {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  const curve = details.namedCurve;
  const bits = details.modulusLength ?? (curve ? CURVE_BITS[curve] : undefined) ?? FIXED_BITS[type];
  return { type, bits, curve };
}

const CURVE_NAMES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp224r1: 'P-224',
};

/** `RSA 2048-bit`, `ECDSA P-256`, `Ed25519`: a key as people name it. */
export function formatKeyInfo(info: KeyInfo): string {
  switch (info.type) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
      return `${info.type.toUpperCase()}${info.bits ? ` ${info.bits}-bit` : ''}`;
    case 'ec':
      return `ECDSA ${info.curve ? (CURVE_NAMES[info.curve] ?? info.curve) : ''}`.trim();
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return info.type;
  }
}

/** The DER encodings Go's `tls.X509KeyPair` tries, in its order. */
export type PrivateKeyFormat = 'pkcs1' | 'pkcs8' | 'sec1';
const KEY_FORMATS: readonly PrivateKeyFormat[] = ['pkcs1', 'pkcs8', 'sec1'];

export type PrivateKeyProblem =
  /** No `... PRIVATE KEY` block; `found` lists the labels of the blocks there were. */
  | { kind: 'no-private-key'; found: string[]; malformed: MalformedPemBlock[] }
  /** `ENCRYPTED PRIVATE KEY` (PKCS#8) or a `Proc-Type: 4,ENCRYPTED` header (legacy). */
  | { kind: 'encrypted'; type: string }
  /** `OPENSSH PRIVATE KEY`: ssh-keygen's own format, not a TLS key. */
  | { kind: 'openssh' }
  /** The block is not PKCS#1, PKCS#8 or SEC 1 DER. */
  | { kind: 'unparsable'; type: string };

export type PrivateKeyReading =
  | { ok: true; key: KeyObject; block: PemBlock; format: PrivateKeyFormat; info: KeyInfo }
  | { ok: false; problem: PrivateKeyProblem };

/**
 * The private key of a PEM input as `tls.X509KeyPair` finds it: the first `PRIVATE KEY` or
 * `<X> PRIVATE KEY` block, parsed as PKCS#1, then PKCS#8, then SEC 1, whatever its label.
 */
export function readPrivateKey(scan: PemScan): PrivateKeyReading {
  const block = scan.blocks.find((candidate) => isPrivateKeyType(candidate.type));
  if (!block) {
    return {
      ok: false,
      problem: {
        kind: 'no-private-key',
        found: scan.blocks.map((b) => b.type),
        malformed: scan.malformed,
      },
    };
  }
  const procType = block.headers.get('Proc-Type') ?? '';
  if (block.type === 'ENCRYPTED PRIVATE KEY' || procType.includes('ENCRYPTED')) {
    return { ok: false, problem: { kind: 'encrypted', type: block.type } };
  }
  if (block.type === 'OPENSSH PRIVATE KEY') return { ok: false, problem: { kind: 'openssh' } };
  for (const format of KEY_FORMATS) {
    try {
      const key = createPrivateKey({ key: block.bytes, format: 'der', type: format });
      return { ok: true, key, block, format, info: keyInfoOf(key) };
    } catch {
      // Not this encoding: try the next, as Go does.
    }
  }
  return { ok: false, problem: { kind: 'unparsable', type: block.type } };
}

/** Warn this many days before a certificate expires. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * Where `now` stands in a certificate's validity. `days` counts whole days (rounded down)
 * between `now` and the relevant bound: until `notBefore`, since `notAfter`, or until it.
 */
export interface CertificateValidity {
  /** `expiring`: valid, with at most {@link EXPIRY_WARNING_DAYS} days left. */
  state: 'not-yet-valid' | 'expired' | 'expiring' | 'valid';
  notBefore: Date;
  notAfter: Date;
  days: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** OpenSSL's `Mar  1 12:00:00 2030 GMT` (what `validFrom`/`validTo` hold) as a Date. */
export function parseOpenSslDate(text: string): Date | undefined {
  const match = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4}) GMT$/.exec(
    text.trim(),
  );
  if (!match) return undefined;
  const [, month = '', day = '', hours = '', minutes = '', seconds = '', year = ''] = match;
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex === -1) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), monthIndex, Number(day));
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), 0);
  return date;
}

/**
 * The validity of a certificate at `now`. As in Go's `x509.Certificate.Verify`, it is expired
 * only once `now` is after `notAfter`, and not yet valid while `now` is before `notBefore`.
 */
export function validityOf(
  certificate: X509Certificate,
  now: Date,
): CertificateValidity | undefined {
  const notBefore = parseOpenSslDate(certificate.validFrom);
  const notAfter = parseOpenSslDate(certificate.validTo);
  if (!notBefore || !notAfter) return undefined;
  const time = now.getTime();
  const wholeDays = (ms: number): number => Math.floor(ms / DAY_MS);
  if (time < notBefore.getTime()) {
    return {
      state: 'not-yet-valid',
      notBefore,
      notAfter,
      days: wholeDays(notBefore.getTime() - time),
    };
  }
  if (time > notAfter.getTime()) {
    return { state: 'expired', notBefore, notAfter, days: wholeDays(time - notAfter.getTime()) };
  }
  const left = notAfter.getTime() - time;
  return {
    state: left <= EXPIRY_WARNING_DAYS * DAY_MS ? 'expiring' : 'valid',
    notBefore,
    notAfter,
    days: wholeDays(left),
  };
}

/** What a hover or a message may say about a certificate (public data only). */
export interface CertificateInfo {
  /** `CN=app.example.com, O=Example`: OpenSSL's one-line form, joined with commas. */
  subject: string;
  issuer: string;
  /** `DNS:app.example.com`, `IP Address:10.0.0.1`, ... */
  subjectAltNames: string[];
  notBefore: Date | undefined;
  notAfter: Date | undefined;
  validity: CertificateValidity | undefined;
  isCA: boolean;
  /** Subject equals issuer and the certificate's own key signed it. */
  selfSigned: boolean;
  serialNumber: string;
  fingerprint256: string;
  publicKey: KeyInfo | undefined;
}

/** Describes a certificate at `now`: names, validity window, days left, public key. */
export function describeCertificate(certificate: X509Certificate, now: Date): CertificateInfo {
  const validity = validityOf(certificate, now);
  let publicKey: KeyInfo | undefined;
  try {
    publicKey = keyInfoOf(certificate.publicKey);
  } catch {
    publicKey = undefined; // a key algorithm OpenSSL does not know
  }
  let selfSigned = false;
  try {
    selfSigned =
      certificate.subject === certificate.issuer && certificate.verify(certificate.publicKey);
  } catch {
    selfSigned = false;
  }
  return {
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    subjectAltNames: (certificate.subjectAltName ?? '')
      .split(/,\s*(?=[A-Za-z][A-Za-z ]*:)/)
      .map((name) => name.trim())
      .filter((name) => name !== ''),
    notBefore: validity?.notBefore ?? parseOpenSslDate(certificate.validFrom),
    notAfter: validity?.notAfter ?? parseOpenSslDate(certificate.validTo),
    validity,
    isCA: certificate.ca,
    selfSigned,
    serialNumber: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
    publicKey,
  };
}

function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').filter(Boolean).join(', ');
}

/** `2030-03-01 12:00 UTC`: a date for messages and hovers. */
export function formatUtcDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
