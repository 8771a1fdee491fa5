/**
 * Secret keys as Kubernetes reads them. `kubectl` turns YAML into JSON with sigs.k8s.io/yaml,
 * which writes a YAML 1.1 boolean or number key as its JSON text (`yes` becomes `"true"`,
 * `0644` becomes `"420"`) and rejects a null key; the API server then checks each key of the
 * merged `data` with `IsConfigMapKey` (k8s.io/apimachinery/pkg/util/validation).
 */
import { isScalar } from './yaml-nodes';
import type { Node } from './yaml-nodes';

/** A mapping key of `data` or `stringData`, as Kubernetes will see it. */
export interface SecretKeyName {
  /** The key Kubernetes stores (the source text where the conversion is not known exactly). */
  key: string;
  /** Set when YAML 1.1 reads the key as something other than a string. */
  readAs?: 'a boolean' | 'a number' | 'null';
}

/** The key that Kubernetes derives from a mapping key node. */
export function kubernetesKeyOf(keyNode: Node): SecretKeyName {
  if (!isScalar(keyNode)) return { key: '' };
  const value: unknown = keyNode.value;
  const source = keyNode.source ?? String(value);
  if (typeof value === 'string') return { key: value };
  if (typeof value === 'boolean') return { key: value ? 'true' : 'false', readAs: 'a boolean' };
  if (value === null) return { key: source, readAs: 'null' };
  if (typeof value === 'number' || typeof value === 'bigint') {
    // An integer's JSON text is its decimal form. Go formats floats with 'g' at 32-bit
    // precision, which is not reproduced here: the source text stands in for it.
    const integer =
      typeof value === 'bigint' || (Number.isSafeInteger(value) && !/[.eE]/.test(source));
    return { key: integer ? String(value) : source, readAs: 'a number' };
  }
  return { key: source };
}

/**
 * A YAML 1.1 merge key (`<<: *defaults`): go-yaml merges the referenced map's entries in its
 * place, so it is no key of its own. (A quoted `"<<"` is an ordinary key.)
 */
export function isMergeKey(keyNode: Node): boolean {
  return isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.source === '<<';
}

/** The longest key Kubernetes accepts (DNS1123SubdomainMaxLength), in bytes. */
export const MAX_KEY_LENGTH = 253;
const KEY_CHARACTER = /[-._a-zA-Z0-9]/;

/**
 * Why `IsConfigMapKey` rejects a key (empty when it accepts it): longer than 253 bytes,
 * a character outside `[-._a-zA-Z0-9]` (or empty), `.`, `..` or a `..` prefix.
 */
export function secretKeyProblems(key: string): string[] {
  const problems: string[] = [];
  const length = Buffer.byteLength(key, 'utf8');
  if (length > MAX_KEY_LENGTH) {
    problems.push(`it is ${length} characters long, over the limit of ${MAX_KEY_LENGTH}`);
  }
  if (key === '') {
    problems.push('it is empty');
  } else {
    const bad = [...key].findIndex((character) => !KEY_CHARACTER.test(character));
    if (bad !== -1) {
      const character = [...key][bad] ?? '';
      problems.push(
        `character ${bad + 1} is ${describeCharacter(character)}: only letters, digits, '-', '_' and '.' are allowed`,
      );
    }
  }
  if (key === '.') problems.push("it must not be '.'");
  else if (key === '..') problems.push("it must not be '..'");
  else if (key.startsWith('..')) problems.push("it must not start with '..'");
  return problems;
}

function describeCharacter(character: string): string {
  if (character === ' ') return "' ' (a space)";
  if (character === '\t') return 'a tab';
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${character}'`;
}

/** A key for a message, shortened when long (a key is not a secret, but a long one is noise). */
export function shortKey(key: string): string {
  return key.length > 64 ? `${key.slice(0, 48)}…` : key;
}

/** A key for a message, quoted (JSON-style, so that spaces and control characters show). */
export function quotedKey(key: string): string {
  return JSON.stringify(shortKey(key));
}
