/**
 * Base64 exactly as the Kubernetes API server reads a Secret's `data`: Go's
 * `encoding/base64.StdEncoding` (standard alphabet, `=` padding required, CR and LF skipped
 * anywhere, any other character rejected, non-zero trailing bits tolerated).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SEXTET = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

/** Why a value is not Go-decodable; `index` is 0-based in the given string. */
export type Base64Problem =
  | { kind: 'bad-character'; index: number; character: string }
  | { kind: 'misplaced-padding'; index: number }
  | { kind: 'missing-padding' };

export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; problem: Base64Problem };

const CANONICAL_SHAPE = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes `text` as Go's `base64.StdEncoding.DecodeString` would, or says why it cannot. */
export function decodeGoBase64(text: string): Base64Result {
  // Fast path for the usual well-formed value: Node's decoder agrees with Go's on exactly
  // these strings (it is lenient only on input this shape excludes).
  const compact = text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]/g, '') : text;
  if (compact.length % 4 === 0 && CANONICAL_SHAPE.test(compact)) {
    return { ok: true, bytes: Buffer.from(compact, 'base64') };
  }
  // Every string Go accepts has the shape above, so what follows only locates the problem.
  let quantum = 0; // characters gathered in the current 4-character group
  let padding = 0; // '=' seen at the end of the current group
  let lastPaddingIndex = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || code === 0x0d) continue;
    if (code === 0x3d /* = */) {
      // Padding may only complete a group that already holds two or three characters.
      if (quantum + padding < 2) {
        return { ok: false, problem: { kind: 'misplaced-padding', index: i } };
      }
      padding++;
      lastPaddingIndex = i;
      if (quantum + padding > 4) {
        return { ok: false, problem: { kind: 'misplaced-padding', index: i } };
      }
      continue;
    }
    if (padding > 0) {
      // Data after padding: Go reports the group as corrupt.
      const index = quantum + padding < 4 ? lastPaddingIndex : i;
      return { ok: false, problem: { kind: 'misplaced-padding', index } };
    }
    if ((code < 128 ? (SEXTET[code] ?? -1) : -1) < 0) {
      const character = String.fromCodePoint(text.codePointAt(i) ?? code);
      return { ok: false, problem: { kind: 'bad-character', index: i, character } };
    }
    quantum = (quantum + 1) % 4;
  }
  if (padding > 0 ? quantum + padding !== 4 : quantum !== 0) {
    return { ok: false, problem: { kind: 'missing-padding' } };
  }
  // Unreachable for any input (the fast path takes every valid one); kept so that a future
  // change to the shape above can never turn a valid value into a reported problem.
  return { ok: true, bytes: Buffer.from(compact, 'base64') };
}

/** Standard base64 with padding, as `base64` and Go's `StdEncoding.EncodeToString` write it. */
export function encodeBase64(bytes: Uint8Array | string): string {
  return Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString(
    'base64',
  );
}

/** Describes a problem for a message, naming a position but never the value itself. */
export function describeBase64Problem(problem: Base64Problem): string {
  switch (problem.kind) {
    case 'bad-character':
      return `character ${problem.index + 1} is ${describeCharacter(problem.character)}`;
    case 'misplaced-padding':
      return `character ${problem.index + 1} is '=' before the end of the value`;
    case 'missing-padding':
      return 'missing padding (the length must be a multiple of 4, completed with =)';
  }
}

/**
 * The problem by position only, for values whose every character is secret (encryption
 * keys, registry credentials): not even the offending character is named.
 */
export function describeBase64ProblemByPosition(problem: Base64Problem): string {
  switch (problem.kind) {
    case 'bad-character':
      return `character ${problem.index + 1} is not in the base64 alphabet`;
    case 'misplaced-padding':
      return `character ${problem.index + 1} is '=' before the end`;
    case 'missing-padding':
      return 'missing = padding';
  }
}

function describeCharacter(character: string): string {
  if (character === ' ') return "' ' (a space)";
  if (character === '\t') return 'a tab';
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${character}'`;
}

/** True when the bytes are UTF-8 text without control characters other than tab, CR, LF. */
export function isPrintableUtf8(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}
