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

/** Decodes `text` as Go's `base64.StdEncoding.DecodeString` would, or says why it cannot. */
export function decodeGoBase64(text: string): Base64Result {
  const bytes: number[] = [];
  let quantum = 0; // sextets gathered in the current 4-character group
  let bits = 0;
  let padding = 0; // '=' seen at the end of the current group
  let lastPaddingIndex = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || code === 0x0d) continue;
    if (code === 0x3d /* = */) {
      // Padding may only complete a group that already holds two or three characters.
      if (quantum + padding < 2)
        return { ok: false, problem: { kind: 'misplaced-padding', index: i } };
      padding++;
      lastPaddingIndex = i;
      if (quantum + padding > 4)
        return { ok: false, problem: { kind: 'misplaced-padding', index: i } };
      continue;
    }
    if (padding > 0) {
      // Data after padding: Go reports the group as corrupt.
      const index = quantum + padding < 4 ? lastPaddingIndex : i;
      return { ok: false, problem: { kind: 'misplaced-padding', index } };
    }
    const sextet = code < 128 ? (SEXTET[code] ?? -1) : -1;
    if (sextet < 0) {
      const character = String.fromCodePoint(text.codePointAt(i) ?? code);
      return { ok: false, problem: { kind: 'bad-character', index: i, character } };
    }
    bits = (bits << 6) | sextet;
    quantum++;
    if (quantum === 4) {
      bytes.push((bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff);
      quantum = 0;
      bits = 0;
    }
  }
  if (padding > 0) {
    if (quantum + padding !== 4) return { ok: false, problem: { kind: 'missing-padding' } };
    if (quantum === 2) bytes.push((bits >> 4) & 0xff);
    else bytes.push((bits >> 10) & 0xff, (bits >> 2) & 0xff);
  } else if (quantum !== 0) {
    return { ok: false, problem: { kind: 'missing-padding' } };
  }
  return { ok: true, bytes: Buffer.from(bytes) };
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
