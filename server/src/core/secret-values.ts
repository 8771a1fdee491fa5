/**
 * A Secret value as Kubernetes will store it: the bytes of a `data` entry after Go's base64
 * decoding, or the UTF-8 of a `stringData` entry. Shared by the rules and the hovers.
 */
import { decodeGoBase64 } from './base64';
import type { Base64Problem } from './base64';
import type { SecretValue } from './model';
import { isTemplated } from './placeholders';
import { isScalar } from './yaml-nodes';
import type { Scalar } from './yaml-nodes';

export type ResolvedValue =
  /** A string scalar whose bytes are known. */
  | { state: 'bytes'; scalar: Scalar<string>; bytes: Buffer }
  /** A `data` string that Go's decoder rejects. */
  | { state: 'invalid-base64'; scalar: Scalar<string>; problem: Base64Problem }
  /** Templated (`{{ }}`, `${}`): its real value is only known at render time. */
  | { state: 'templated' }
  /** Null: Kubernetes stores an empty value. */
  | { state: 'empty' }
  /** A number, boolean, map or sequence: the API server rejects it. */
  | { state: 'not-a-string' };

/** Resolves a `data`/`stringData` entry's value; `source` is the document's text. */
export function resolveSecretValue(entry: SecretValue, source: string): ResolvedValue {
  const node = entry.value;
  if (node === null || (isScalar(node) && node.value === null)) {
    const raw = node?.range ? source.slice(node.range[0], node.range[1]) : '';
    return isTemplated(raw) ? { state: 'templated' } : { state: 'empty' };
  }
  const raw = node.range ? source.slice(node.range[0], node.range[1]) : '';
  if (isTemplated(raw)) return { state: 'templated' };
  if (!isScalar(node) || typeof node.value !== 'string') return { state: 'not-a-string' };
  const scalar = node as Scalar<string>;
  if (entry.field === 'stringData') {
    return { state: 'bytes', scalar, bytes: Buffer.from(scalar.value, 'utf8') };
  }
  const decoded = decodeGoBase64(scalar.value);
  return decoded.ok
    ? { state: 'bytes', scalar, bytes: decoded.bytes }
    : { state: 'invalid-base64', scalar, problem: decoded.problem };
}
