/** Small, typed accessors over the `yaml` package's node tree. */
import { isAlias, isMap, isScalar, isSeq, isPair } from 'yaml';
import { aliasTarget } from './parse';
import type { Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

export type { Node, Pair, Scalar, YAMLMap, YAMLSeq };
export { isMap, isScalar, isSeq, isPair };

/** A mapping entry whose key is a scalar, with the key's text. */
export interface Entry {
  pair: Pair<Node, Node | null>;
  key: string;
  keyNode: Scalar;
  value: Node | null;
}

/** The text of a scalar key (numbers and booleans as their source text), else undefined. */
export function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  if (typeof key.value === 'string') return key.value;
  return key.source ?? String(key.value);
}

/** The entries of a mapping whose keys are scalars, in source order (duplicates included). */
export function entriesOf(map: unknown): Entry[] {
  if (!isMap(map)) return [];
  const entries: Entry[] = [];
  for (const pair of map.items as Pair<Node, Node | null>[]) {
    const entry = entryOfPair(pair);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** A pair as an entry, when its key is a scalar. */
function entryOfPair(pair: Pair<Node, Node | null>): Entry | undefined {
  const key = keyText(pair.key);
  if (key === undefined || !isScalar(pair.key)) return undefined;
  return { pair, key, keyNode: pair.key, value: resolveAlias(pair.value ?? null) };
}

/**
 * The last entry for `key` (later duplicates win, as when Kubernetes decodes the object). Reads
 * the pairs themselves: a lookup in a mapping of many keys builds one entry, not one per key.
 */
export function entryOf(map: unknown, key: string): Entry | undefined {
  if (!isMap(map)) return undefined;
  const pairs = map.items as Pair<Node, Node | null>[];
  for (let i = pairs.length - 1; i >= 0; i--) {
    const pair = pairs[i];
    if (pair && isScalar(pair.key) && keyText(pair.key) === key) return entryOfPair(pair);
  }
  return undefined;
}

/** The value node under `key`, or undefined. */
export function valueOf(map: unknown, key: string): Node | undefined {
  return entryOf(map, key)?.value ?? undefined;
}

/** The value under a path of keys, or undefined where any step is missing. */
export function valueAt(map: unknown, ...path: string[]): Node | undefined {
  let current: unknown = map;
  for (const key of path) {
    current = valueOf(current, key);
    if (current === undefined) return undefined;
  }
  return current as Node;
}

/** The string value of a scalar that YAML resolved to a string, else undefined. */
export function stringOf(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** The string under `key` in a mapping, else undefined. */
export function stringAt(map: unknown, ...path: string[]): string | undefined {
  return stringOf(valueAt(map, ...path));
}

/** The items of a sequence node (empty for anything else), aliases read as their targets. */
export function itemsOf(node: unknown): Node[] {
  return isSeq(node) ? (node.items as Node[]).map((item) => resolveAlias(item) ?? item) : [];
}

/** An alias (`*name`) is read as the node it names, as Kubernetes reads it. */
function resolveAlias(node: Node | null): Node | null {
  return isAlias(node) ? (aliasTarget(node) ?? node) : node;
}

/** `[start, end)` of a node's value, without trailing comments. */
export function rangeOf(node: Node | null | undefined): [number, number] | undefined {
  const range = node?.range;
  return range ? [range[0], range[1]] : undefined;
}
