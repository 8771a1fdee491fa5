/** Writing a new scalar value in place of an old one, in a style that fits where it stands. */
import type { Scalar } from '../yaml-nodes';
import type { TextEdit } from '../types';

/** A YAML double-quoted scalar; JSON's escapes are a subset of YAML's, so it also suits JSON. */
export function doubleQuoted(value: string): string {
  return JSON.stringify(value);
}

const PLAIN_SAFE_BASE64 = /^[A-Za-z0-9+/][A-Za-z0-9+/=]*$/;

/**
 * Replaces a scalar's text with a base64 string, keeping its quoting style (so JSON stays
 * JSON) and, for a block scalar, the line break that ended it.
 */
export function replaceWithBase64(source: string, scalar: Scalar, base64: string): TextEdit {
  const [start, end] = scalar.range ?? [0, 0];
  const raw = source.slice(start, end);
  let newText: string;
  switch (scalar.type) {
    case 'QUOTE_DOUBLE':
      newText = doubleQuoted(base64);
      break;
    case 'QUOTE_SINGLE':
      newText = `'${base64}'`;
      break;
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL':
      newText =
        (PLAIN_SAFE_BASE64.test(base64) ? base64 : doubleQuoted(base64)) + lineBreakAtEnd(raw);
      break;
    default:
      newText = PLAIN_SAFE_BASE64.test(base64) ? base64 : doubleQuoted(base64);
  }
  return { start, end, newText };
}

/** The line break (`\n` or `\r\n`) that a block scalar's range ends with, if any. */
export function lineBreakAtEnd(raw: string): string {
  if (raw.endsWith('\r\n')) return '\r\n';
  return raw.endsWith('\n') ? '\n' : '';
}
