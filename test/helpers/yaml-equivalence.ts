/**
 * Is the fast path's document the one `yaml` builds? A deep structural comparison: the same
 * constructor and the same own enumerable properties at every level (source tokens aside),
 * Documents, nodes, ranges, comments, directives, options and schema alike. The answer is the
 * path to the first difference with a short description of it, never a whole value (the
 * documents hold manifests, and secrets in them).
 */
import { fastParse } from '../../server/src/core/fast-yaml';
import { inspectDocument, parseYamlDocument } from '../../server/src/core/limits';
import { PARSE_OPTIONS } from '../../server/src/core/parse-options';
import { splitDocuments } from '../../server/src/core/parse';

/** Properties `yaml` may set that say where a node came from, not what it is. */
const IGNORED = new Set(['srcToken']);

/** The path to the first difference between `a` and `b`, or undefined when they agree. */
export function firstDifference(a: unknown, b: unknown): string | undefined {
  return differ(a, b, '$', new Map());
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value}`;
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'null-prototype'} object`;
  return typeof value;
}

function differ(
  a: unknown,
  b: unknown,
  path: string,
  seen: Map<object, object>,
): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    if (typeof a === 'number' && typeof b === 'number') {
      return `${path}: the numbers differ (${Number.isNaN(a) ? 'NaN' : 'a number'} vs ${Number.isNaN(b) ? 'NaN' : 'another'})`;
    }
    if (typeof a === 'string' && typeof b === 'string') {
      const at = firstDifferentIndex(a, b);
      return `${path}: strings of ${a.length} and ${b.length} characters differ at index ${at}`;
    }
    return `${path}: ${describe(a)} vs ${describe(b)}`;
  }
  const objA = a as Record<string, unknown>;
  const objB = b as Record<string, unknown>;
  if (seen.get(objA) === objB) return undefined;
  seen.set(objA, objB);
  if (Object.getPrototypeOf(objA) !== Object.getPrototypeOf(objB)) {
    return `${path}: ${describe(a)} vs ${describe(b)}`;
  }
  if (objA instanceof RegExp && objB instanceof RegExp) {
    return String(objA) === String(objB) ? undefined : `${path}: different regular expressions`;
  }
  const keysA = Object.keys(objA).filter((key) => !IGNORED.has(key));
  const keysB = Object.keys(objB).filter((key) => !IGNORED.has(key));
  const setB = new Set(keysB);
  for (const key of keysA) {
    if (!setB.has(key)) return `${path}.${key}: only in the first (${describe(objA[key])})`;
  }
  const setA = new Set(keysA);
  for (const key of keysB) {
    if (!setA.has(key)) return `${path}.${key}: only in the second (${describe(objB[key])})`;
  }
  for (const key of keysA) {
    const difference = differ(objA[key], objB[key], `${path}.${key}`, seen);
    if (difference) return difference;
  }
  return undefined;
}

function firstDifferentIndex(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** The result of checking one document's text. */
export type FastPathCheck =
  { accepted: true } | { accepted: false } | { accepted: true; difference: string };

/**
 * Parses a document's text both ways: declined, or accepted with no difference, or the
 * difference (path first: `$.contents.items.3.value.range.2: …`).
 */
export function checkFastPath(text: string): FastPathCheck {
  const parse = fastParse(text);
  if (!parse) return { accepted: false };
  const fast = parse.document;
  const slow = parseYamlDocument(text, PARSE_OPTIONS);
  if (slow.errors.length > 0 || slow.warnings.length > 0) {
    return {
      accepted: true,
      difference: `$.errors: yaml reports ${slow.errors.length} errors and ${slow.warnings.length} warnings, the fast path none`,
    };
  }
  const difference = firstDifference(fast, slow);
  if (difference) return { accepted: true, difference };
  // The count stands for limits.ts's walk of the document, which the fast path skips.
  const inspection = inspectDocument(slow, text);
  if (inspection.nodes !== parse.nodes || inspection.limit || inspection.aliasTargets.length > 0) {
    return {
      accepted: true,
      difference: `$: the fast path counts ${parse.nodes} nodes, limits.ts ${inspection.nodes}${inspection.limit ? ' and a limit' : ''}`,
    };
  }
  return { accepted: true };
}

/**
 * Checks every document of a file's text; the first difference found, with its document.
 * Documents whose text is in `checked` are skipped, and the others are added to it.
 */
export function checkFastPathOnFile(
  text: string,
  checked?: Set<string>,
): {
  documents: number;
  accepted: number;
  acceptedBytes: number;
  bytes: number;
  difference?: string;
} {
  let accepted = 0;
  let acceptedBytes = 0;
  let bytes = 0;
  const segments = splitDocuments(text);
  for (const [index, segment] of segments.entries()) {
    bytes += segment.text.length;
    if (checked?.has(segment.text)) continue;
    checked?.add(segment.text);
    const check = checkFastPath(segment.text);
    if (!check.accepted) continue;
    accepted++;
    acceptedBytes += segment.text.length;
    if ('difference' in check) {
      return {
        documents: segments.length,
        accepted,
        acceptedBytes,
        bytes,
        difference: `document ${index}: ${check.difference}`,
      };
    }
  }
  return { documents: segments.length, accepted, acceptedBytes, bytes };
}
