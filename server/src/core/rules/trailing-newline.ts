import { encodeBase64, isPrintableUtf8 } from '../base64';
import { decodedEdge, doubleEncodedInner, resolveStoredValue } from '../double-base64';
import { replaceWithBase64 } from '../fixes/scalar-text';
import { contentRange, replaceScalar } from '../fixes/yaml-edit';
import { isSecret, secretValuesOf } from '../model';
import type { SecretValue } from '../model';
import { isPlaceholder } from '../placeholders';
import type { Fix, TextEdit } from '../types';
import { isScalar } from '../yaml-nodes';
import type { Scalar } from '../yaml-nodes';
import type { Rule } from './types';

/** Extensions of files whose content conventionally ends with a newline. */
const FILE_EXTENSIONS: readonly string[] = [
  '.pem',
  '.crt',
  '.cert',
  '.cer',
  '.csr',
  '.key',
  '.pub',
  '.asc',
  '.gpg',
  '.json',
  '.conf',
  '.cfg',
  '.cnf',
  '.ini',
  '.yaml',
  '.yml',
  '.toml',
  '.properties',
  '.env',
  '.txt',
  '.sh',
  '.xml',
  '.htpasswd',
  '.netrc',
  '.pgpass',
  '.npmrc',
  '.pypirc',
  '.gitconfig',
];

/** Whole key names that are files, or hold what files hold (keys, certificates, configs). */
const FILE_NAMES: ReadonlySet<string> = new Set([
  'ssh-privatekey',
  'ssh-publickey',
  'tls.crt',
  'tls.key',
  'ca.crt',
  '.dockerconfigjson',
  '.dockercfg',
  'known_hosts',
  'config',
  'authorized_keys',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'htpasswd',
  'auth',
  'kubeconfig',
  'credentials',
  'netrc',
  'pgpass',
]);

/** True when the key names a file: its content may end with a newline, as files do. */
export function namesFile(key: string): boolean {
  const lower = key.toLowerCase();
  // A dotfile (`.netrc`, `.git-credentials`) is a file whatever it is called.
  if (lower.startsWith('.')) return true;
  return FILE_NAMES.has(lower) || FILE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * `echo secret | base64` encodes `secret\n`: Kubernetes stores the newline and the application
 * reads it as part of the password (a classic "authentication failed" with the right password).
 * Fires when a value, as stored (decoded `data`, or `stringData`), is printable UTF-8 text of
 * one line followed by exactly one line break (`\n`, or `\r\n`). Not raised when:
 * - the key names a file (`tls.crt`, `config.json`, `id_rsa`, dotfiles…), where a final newline
 *   is normal;
 * - a `stringData` block scalar says `|+`/`>+` (keep): the newline is asked for explicitly;
 * - the line is a placeholder, empty or white space;
 * - the `data` value is double-encoded: `double-encoded` reports it, and decoding once also
 *   drops this newline (`echo -n x | base64 | base64` ends the middle layer with one).
 * A `stringData` value written as a `|` (clip) block of one line does end in a newline by YAML's
 * rules, and is reported: the application receives it all the same.
 */
export const rule: Rule = {
  id: 'trailing-newline',
  severity: 'warning',
  summary: 'A one-line value that ends with a newline (echo without -n).',
  check({ document, objects, report }) {
    for (const secret of objects.filter(isSecret)) {
      for (const entry of secretValuesOf(secret)) {
        if (namesFile(entry.key) || !mayEndWithLineBreak(entry)) continue;
        const resolved = resolveStoredValue(entry, document.text);
        if (resolved.state !== 'bytes') continue;
        const { scalar, bytes } = resolved;
        const newline = trailingLineBreak(bytes);
        if (!newline) continue;
        if (!isPrintableUtf8(bytes)) continue;
        const line = bytes.subarray(0, bytes.length - newline.length);
        const text = line.toString('utf8');
        if (/[\r\n]/.test(text) || text.trim() === '' || isPlaceholder(text)) continue;
        if (entry.field === 'data' && doubleEncodedInner(entry.key, bytes)) continue;
        const raw = sourceOf(document.text, scalar);
        if (entry.field === 'stringData' && /^[|>][1-9]?\+/.test(raw)) continue;
        const fix = removeNewlineFix(document.text, entry, scalar, line, raw);
        const [start, end] = contentRange(document.text, scalar);
        report({
          start,
          end,
          message: `${entry.field}.${entry.key} is one line of text followed by a line break, which the application receives as part of the value ${hintFor(entry, scalar)}`,
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
    }
  },
};

/** Where the line break most likely came from. */
function hintFor(entry: SecretValue, scalar: Scalar): string {
  if (entry.field === 'data') return '(encoded with echo without -n?)';
  if (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') {
    return '(a block scalar keeps its last line break unless written |- or >-)';
  }
  return '(written into the value)';
}

/**
 * Whether the stored value can end with a line break, known without decoding a whole `data`
 * value: only its last group is decoded (values can be megabytes, and most do not qualify).
 */
function mayEndWithLineBreak(entry: SecretValue): boolean {
  const node = entry.value;
  if (!isScalar(node) || typeof node.value !== 'string') return false;
  if (entry.field === 'stringData') return node.value.endsWith('\n');
  const last = decodedEdge(node.value, 'last');
  return last !== undefined && last[last.length - 1] === 0x0a;
}

/** `\n` or `\r\n` when the bytes end with one line break (not two). */
function trailingLineBreak(bytes: Uint8Array): '\n' | '\r\n' | undefined {
  const length = bytes.length;
  if (length < 2 || bytes[length - 1] !== 0x0a) return undefined;
  return bytes[length - 2] === 0x0d ? '\r\n' : '\n';
}

function sourceOf(source: string, scalar: Scalar): string {
  const [start, end] = scalar.range ?? [0, 0];
  return source.slice(start, end);
}

/**
 * `data`: the value re-encoded without the line break, in the scalar's quoting style.
 * `stringData`: a clip block (`|`, `>`) gets the strip indicator (`|-`), which keeps every
 * character of its text; any other scalar is rewritten without the line break.
 */
function removeNewlineFix(
  source: string,
  entry: SecretValue,
  scalar: Scalar<string>,
  line: Uint8Array,
  raw: string,
): Fix | undefined {
  let edits: TextEdit[];
  if (entry.field === 'data') {
    edits = [replaceWithBase64(source, scalar, encodeBase64(line))];
  } else if (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') {
    // The header is `|` or `>`, then an optional indentation digit; no chomping indicator
    // (clip), or the value could not end with exactly one line break.
    if (!/^[|>][1-9]?(?:[ \t#\r\n]|$)/.test(raw)) return undefined;
    const [start] = scalar.range ?? [0, 0];
    edits = [{ start: start + 1, end: start + 1, newText: '-' }];
  } else {
    edits = replaceScalar(source, scalar, Buffer.from(line).toString('utf8'));
  }
  return { title: 'Remove the trailing newline', edits, isPreferred: true };
}
