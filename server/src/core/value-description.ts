/**
 * What a stored Secret value is, for hovers: its kind (PEM certificate, private key, JWT,
 * Docker config, JSON, text, binary) and, as far as the reveal mode allows, what it holds:
 * certificate subject, issuer, SANs, validity and days left, key type and size; JWT header,
 * claims and expiry; registries and users of a Docker config with passwords masked; JSON
 * pretty-printed; text as is; binary as size and a short hex preview.
 *
 * Private keys are described, never shown (their text is of no use in a hover), and a Docker
 * config is shown as its registries, never as its JSON (which holds the passwords). Pure: the
 * time is a parameter.
 */
import { isPrintableUtf8 } from './base64';
import { readDockerConfig, registryLabel } from './docker-config';
import type { DockerConfigFormat } from './docker-config';
import {
  CERTIFICATE_TYPE,
  describeCertificate,
  formatKeyInfo,
  formatUtcDate,
  isDerSequence,
  isPrivateKeyType,
  parseCertificateDer,
  readPrivateKey,
  scanPem,
} from './pem';
import type { CertificateInfo } from './pem';
import type { RevealMode } from './settings';

/** How a value is described. */
export interface ValueDescription {
  /** `text`, `JSON`, `binary`, `PEM certificate`, `JWT`, `Docker config`, ... */
  kind: string;
  /** Markdown after the title line; empty when the reveal mode shows nothing (`never`). */
  body: string;
}

export interface DescribeOptions {
  /** The entry's key: `.dockerconfigjson` and `.dockercfg` say what the value is. */
  key: string;
  reveal: RevealMode;
  now: Date;
}

/** A fenced block whose fence is longer than any backtick run inside, so text cannot escape it. */
export function codeBlock(text: string, language: string): string {
  const longestRun = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** Inline code that backticks inside cannot end early. */
function inlineCode(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  const longestRun = Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

function prettyJson(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return undefined;
  }
}

const DAY_MS = 86_400_000;

function days(count: number): string {
  return `${count} ${count === 1 ? 'day' : 'days'}`;
}

function certificateLines(info: CertificateInfo): string[] {
  const lines = [`- Subject: ${inlineCode(info.subject || '(empty)')}`];
  lines.push(
    `- Issuer: ${inlineCode(info.issuer || '(empty)')}${info.selfSigned ? ' (self-signed)' : ''}`,
  );
  if (info.subjectAltNames.length > 0) {
    const shown = info.subjectAltNames.slice(0, 10).map(inlineCode).join(', ');
    const more =
      info.subjectAltNames.length > 10 ? `, … (${info.subjectAltNames.length} in all)` : '';
    lines.push(`- SANs: ${shown}${more}`);
  }
  if (info.notBefore && info.notAfter) {
    lines.push(`- Valid: ${formatUtcDate(info.notBefore)} to ${formatUtcDate(info.notAfter)}`);
  }
  const validity = info.validity;
  if (validity) {
    const state =
      validity.state === 'expired'
        ? `**expired ${days(validity.days)} ago**`
        : validity.state === 'not-yet-valid'
          ? `not valid yet (in ${days(validity.days)})`
          : `${days(validity.days)} left${validity.state === 'expiring' ? ' (expires soon)' : ''}`;
    lines.push(`- Status: ${state}`);
  }
  if (info.publicKey) lines.push(`- Key: ${formatKeyInfo(info.publicKey)}`);
  if (info.isCA) lines.push('- CA certificate');
  return lines;
}

/** A PEM value: certificates described, private keys named by type, other blocks by label. */
function describePem(bytes: Buffer, options: DescribeOptions): ValueDescription | undefined {
  if (!bytes.includes('-----BEGIN ')) return undefined;
  const scan = scanPem(bytes);
  if (scan.blocks.length === 0) return undefined;
  const certificates = scan.blocks.filter((block) => block.type === CERTIFICATE_TYPE);
  const keys = scan.blocks.filter((block) => isPrivateKeyType(block.type));
  const parts: string[] = [];
  if (certificates.length === 1) parts.push('certificate');
  if (certificates.length > 1)
    parts.push(`certificate chain (${certificates.length} certificates)`);
  if (keys.length > 0) parts.push('private key');
  if (parts.length === 0) parts.push(scan.blocks.map((block) => block.type).join(', '));
  const kind = `PEM ${parts.join(' and ')}`;
  if (options.reveal === 'never') return { kind, body: '' };
  const sections: string[] = [];
  certificates.forEach((block, index) => {
    const parsed = parseCertificateDer(block.bytes);
    const heading = certificates.length > 1 ? `Certificate ${index + 1}` : 'Certificate';
    if (!parsed.ok) {
      sections.push(`${heading}: not a readable X.509 certificate`);
      return;
    }
    const info = describeCertificate(parsed.certificate, options.now);
    sections.push(`${heading}:\n${certificateLines(info).join('\n')}`);
  });
  if (keys.length > 0) {
    const reading = readPrivateKey(scan);
    if (reading.ok) {
      sections.push(
        `Private key: ${formatKeyInfo(reading.info)} (${reading.format.toUpperCase()}); not shown`,
      );
    } else if (reading.problem.kind === 'encrypted') {
      sections.push('Private key: encrypted (a passphrase protects it); not shown');
    } else if (reading.problem.kind === 'openssh') {
      sections.push('Private key: OpenSSH format; not shown');
    } else {
      sections.push('Private key: not readable as PKCS#1, PKCS#8 or SEC 1; not shown');
    }
  }
  const others = scan.blocks.filter(
    (block) => block.type !== CERTIFICATE_TYPE && !isPrivateKeyType(block.type),
  );
  if (others.length > 0)
    sections.push(`Other blocks: ${others.map((b) => inlineCode(b.type)).join(', ')}`);
  return { kind, body: sections.join('\n\n') };
}

/** A DER (binary) X.509 certificate. */
function describeDer(bytes: Buffer, options: DescribeOptions): ValueDescription | undefined {
  if (!isDerSequence(bytes)) return undefined;
  const parsed = parseCertificateDer(bytes);
  if (!parsed.ok) return undefined;
  const kind = 'DER certificate';
  if (options.reveal === 'never') return { kind, body: '' };
  const info = describeCertificate(parsed.certificate, options.now);
  return { kind, body: certificateLines(info).join('\n') };
}

function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON Web Token: header and claims decoded, expiry in words. */
function describeJwt(text: string, options: DescribeOptions): ValueDescription | undefined {
  const token = text.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) return undefined;
  const [headerPart = '', claimsPart = ''] = token.split('.');
  const header = decodeSegment(headerPart);
  const claims = decodeSegment(claimsPart);
  if (!isRecord(header) || typeof header.alg !== 'string' || !isRecord(claims)) return undefined;
  const kind = 'JWT';
  if (options.reveal === 'never') return { kind, body: '' };
  const lines: string[] = [];
  const time = (name: string): Date | undefined => {
    const value = claims[name];
    return typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : undefined;
  };
  const expiry = time('exp');
  if (expiry) {
    const left = expiry.getTime() - options.now.getTime();
    const state =
      left < 0
        ? `**expired ${days(Math.floor(-left / DAY_MS))} ago**`
        : `${days(Math.floor(left / DAY_MS))} left`;
    lines.push(`- Expires: ${formatUtcDate(expiry)} (${state})`);
  } else {
    lines.push('- Expires: never (no `exp` claim)');
  }
  const issued = time('iat');
  if (issued) lines.push(`- Issued: ${formatUtcDate(issued)}`);
  const notBefore = time('nbf');
  if (notBefore) lines.push(`- Not before: ${formatUtcDate(notBefore)}`);
  return {
    kind,
    body: [
      lines.join('\n'),
      `Header:\n\n${codeBlock(JSON.stringify(header, null, 2), 'json')}`,
      `Claims:\n\n${codeBlock(JSON.stringify(claims, null, 2), 'json')}`,
    ].join('\n\n'),
  };
}

const MASK = '••••••••';

/** A Docker config: registries and users, passwords masked; never its JSON. */
function describeDockerConfig(
  bytes: Buffer,
  options: DescribeOptions,
): ValueDescription | undefined {
  let format: DockerConfigFormat | undefined;
  if (options.key === '.dockerconfigjson') format = 'dockerconfigjson';
  else if (options.key === '.dockercfg') format = 'dockercfg';
  else if (/^\s*\{\s*"auths"\s*:/.test(bytes.subarray(0, 64).toString('utf8')))
    format = 'dockerconfigjson';
  if (!format) return undefined;
  const reading = readDockerConfig(bytes, format);
  if (reading.problems.some((problem) => problem.kind === 'not-json')) return undefined;
  const count = reading.registries.length;
  const kind = `Docker config (${count} ${count === 1 ? 'registry' : 'registries'})`;
  if (options.reveal === 'never') return { kind, body: '' };
  const lines = reading.registries.map((registry) => {
    const user =
      registry.username === undefined ? 'no user' : `user ${inlineCode(registry.username)}`;
    const password = registry.password === undefined ? 'no password' : `password ${MASK}`;
    const email = registry.email === undefined ? '' : `, email ${inlineCode(registry.email)}`;
    return `- ${registryLabel(registry.registry)}: ${user}, ${password}${email}`;
  });
  if (reading.credentialHelper)
    lines.push('- Credential helper configured (`credsStore`/`credHelpers`)');
  if (lines.length === 0) lines.push('- No registries');
  return { kind, body: lines.join('\n') };
}

/** Describes a stored value (the bytes Kubernetes stores) for a hover. */
export function describeStoredValue(bytes: Buffer, options: DescribeOptions): ValueDescription {
  const special =
    describeDockerConfig(bytes, options) ??
    describePem(bytes, options) ??
    (isPrintableUtf8(bytes) ? describeJwt(bytes.toString('utf8'), options) : undefined) ??
    describeDer(bytes, options);
  if (special) return special;
  if (!isPrintableUtf8(bytes)) {
    if (options.reveal === 'never') return { kind: 'binary', body: '' };
    const preview = bytes.subarray(0, 16).toString('hex').replace(/(..)/g, '$1 ').trim();
    const more = bytes.length > 16 ? ' …' : '';
    return { kind: 'binary', body: codeBlock(preview + more, '') };
  }
  const text = bytes.toString('utf8');
  const json = prettyJson(text);
  if (options.reveal === 'never') return { kind: json === undefined ? 'text' : 'JSON', body: '' };
  return json === undefined
    ? { kind: 'text', body: codeBlock(text, 'text') }
    : { kind: 'JSON', body: codeBlock(json, 'json') };
}
