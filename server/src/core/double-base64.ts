/**
 * Recognising a `data` value that was base64-encoded twice: Kubernetes decodes it once, so the
 * application receives base64 text instead of the value. Shared by `double-encoded` (which
 * reports it) and `trailing-newline` (which leaves such values to it: decoding once also drops
 * the newline that `… | base64 | base64` leaves behind).
 *
 * The question "is this text base64 of something readable?" has false positives: a random
 * 8-character alphanumeric password is always canonical base64, and its 6 decoded bytes are
 * printable UTF-8 about one time in 100. The gates below were measured on random alphanumeric
 * passwords (3 million per length, see docs/rules/double-encoded.md) and bring that down to
 * about 4 in 100,000 for 8 characters, 1 in 70,000 for 16, 1 in a million for 20 and none seen
 * at 24, while still catching the usual double-encoded values (the misses are in the docs).
 */
import { decodeGoBase64, isPrintableUtf8 } from './base64';
import type { SecretValue } from './model';
import { resolveSecretValue } from './secret-values';
import type { ResolvedValue } from './secret-values';
import { isScalar } from './yaml-nodes';

/** What a twice-encoded value holds once its bytes are decoded a second time. */
export interface InnerBase64 {
  /** The middle layer, canonical base64 with line breaks removed: the value to store in `data`. */
  base64: string;
  /** The text that was meant to be stored. */
  inner: Buffer;
}

const MIN_LENGTH = 8;
/** Below this length an unpadded middle layer must decode to a "simple" word (see below). */
const SHORT_LENGTH = 16;
const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e\t\r\n]+$/;
/**
 * Short inner values that people actually double-encode: `secret`, `admin1`, `123456`, `ROOT`,
 * `Admin1`. Random 6- or 9-byte decodings almost never take one of these shapes.
 */
const SIMPLE_WORD = /^(?:[a-z0-9._@-]+|[A-Z0-9._@-]+|[A-Z][a-z]+[0-9]*)$/;

/**
 * The inner value when `bytes` (a decoded `data` value) are themselves base64 of readable text,
 * by these gates, all required:
 * 1. the bytes are base64 alphabet, `=` padding and CR/LF only (Go ignores CR and LF, and the
 *    `base64` tool ends its output with LF and wraps it at 76 columns);
 * 2. without CR/LF they are at least 8 characters of *canonical* base64: Go's `StdEncoding`
 *    accepts them and re-encoding the result gives back exactly the same text;
 * 3. the decoded inner bytes are printable UTF-8 (no control characters but TAB, CR, LF);
 * 4. and the middle text carries evidence of being base64 rather than a password that happens
 *    to fit: it ends with `=` padding; or it is 16+ characters and the inner text is printable
 *    ASCII; or (8 or 12 characters) the inner text is one simple word — lower case, upper case,
 *    or capitalised, with digits and `._@-`.
 */
export function innerBase64Of(bytes: Uint8Array): InnerBase64 | undefined {
  // Cheap rejections first: most values are not base64 text at all.
  if (bytes.length < MIN_LENGTH) return undefined;
  // The first group alone rules out most values (and megabyte ones) before any full pass.
  const head = decodedEdge(Buffer.from(bytes.subarray(0, 16)).toString('latin1'), 'first');
  // eslint-disable-next-line no-control-regex
  if (!head || /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|^[\x80-\xbf]/.test(head.toString('latin1'))) {
    return undefined;
  }
  const text = Buffer.from(bytes).toString('latin1');
  const base64 = text.replace(/[\r\n]/g, '');
  if (base64.length < MIN_LENGTH || base64.length % 4 !== 0 || !BASE64_TEXT.test(base64)) {
    return undefined;
  }
  // The shape test above makes the text valid for Go, so the native decoder agrees with it.
  const inner = Buffer.from(base64, 'base64');
  if (inner.length === 0 || inner.toString('base64') !== base64) return undefined;
  if (!isPrintableUtf8(inner)) return undefined;
  if (base64.endsWith('=')) return { base64, inner };
  const innerText = inner.toString('utf8');
  if (!PRINTABLE_ASCII.test(innerText)) return undefined;
  if (base64.length >= SHORT_LENGTH || SIMPLE_WORD.test(innerText)) return { base64, inner };
  return undefined;
}

/**
 * Keys that say their value is base64 text on purpose (`ca-bundle.b64`, `key_base64`): the
 * application decodes it itself, so a second layer is expected.
 */
export function namesBase64Content(key: string): boolean {
  return /base64|b64/i.test(key);
}

/**
 * The inner value of a `data` entry that `double-encoded` reports: twice-encoded readable text
 * ({@link innerBase64Of}) under a key that does not announce base64 content.
 */
export function doubleEncodedInner(key: string, bytes: Uint8Array): InnerBase64 | undefined {
  return namesBase64Content(key) ? undefined : innerBase64Of(bytes);
}

/**
 * The bytes that the first or last 4-character group of a base64 text decodes to (CR and LF
 * skipped), or undefined when that group does not decode. When the whole text is valid, these
 * are its first or last decoded bytes: rules use them to skip large values without decoding
 * them all.
 */
export function decodedEdge(text: string, edge: 'first' | 'last'): Buffer | undefined {
  let group = '';
  const step = edge === 'first' ? 1 : -1;
  for (
    let i = edge === 'first' ? 0 : text.length - 1;
    i >= 0 && i < text.length && group.length < 4;
    i += step
  ) {
    const character = text[i] ?? '';
    if (character === '\n' || character === '\r') continue;
    group = edge === 'first' ? group + character : character + group;
  }
  const decoded = decodeGoBase64(group);
  return decoded.ok ? decoded.bytes : undefined;
}

const BASE64_TEXT_BYTE = /^[A-Za-z0-9+/=\r\n]*$/;

/**
 * False when a `data` value (its base64 text) certainly does not decode to base64 text: its
 * first group does not decode to base64 characters. A cheap filter before a full decode.
 */
export function mayHoldBase64Text(value: string): boolean {
  const first = decodedEdge(value, 'first');
  return first !== undefined && BASE64_TEXT_BYTE.test(first.toString('latin1'));
}

const WELL_FORMED = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * What Kubernetes stores for an entry, as {@link resolveSecretValue} says, decoding a `data`
 * value of the usual shape (alphabet, final padding, CR/LF anywhere, a multiple of 4
 * characters) with the native decoder: that shape is valid for Go's `StdEncoding`, and both
 * decoders then give the same bytes, at a fraction of the cost on megabyte values.
 */
export function resolveStoredValue(entry: SecretValue, source: string): ResolvedValue {
  const node = entry.value;
  if (entry.field === 'data' && isScalar(node) && typeof node.value === 'string') {
    const text = /[\r\n]/.test(node.value) ? node.value.replace(/[\r\n]/g, '') : node.value;
    // Base64 characters only: no template (`{{`, `${`) can hide in it.
    if (text.length % 4 === 0 && WELL_FORMED.test(text)) {
      const scalar = node as typeof node & { value: string };
      return { state: 'bytes', scalar, bytes: Buffer.from(text, 'base64') };
    }
  }
  return resolveSecretValue(entry, source);
}
