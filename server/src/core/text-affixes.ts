/**
 * How much two texts share at their start and end, found with the engine's own string
 * comparison: a binary search over slices (a slice shares its text's memory, and comparing two
 * strings of one length is a memory comparison), so that comparing a 4 MB text with itself
 * after a keystroke reads it about once, natively, instead of character by character in a loop.
 */

/** The length of the longest common prefix of `a` and `b`. */
export function commonPrefixLength(a: string, b: string): number {
  let low = 0; // a and b agree on [0, low)
  let high = Math.min(a.length, b.length);
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (a.slice(low, middle) === b.slice(low, middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * The length of the longest common suffix of `a` and `b` that does not reach into their first
 * `prefix` characters (pass {@link commonPrefixLength}'s answer, so that the two never overlap).
 */
export function commonSuffixLength(a: string, b: string, prefix = 0): number {
  let low = 0; // a and b agree on their last `low` characters
  let high = Math.min(a.length, b.length) - prefix;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (a.slice(a.length - middle, a.length - low) === b.slice(b.length - middle, b.length - low)) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

/** The common prefix and suffix lengths of two texts (see {@link commonSuffixLength}). */
export interface SharedAffixes {
  prefix: number;
  suffix: number;
}

let lastAffixes: { a: string; b: string; affixes: SharedAffixes } | undefined;

/**
 * {@link commonPrefixLength} and {@link commonSuffixLength} of `a` and `b`, the last answer
 * kept: on a keystroke the file checks (limits.ts) and the re-split (incremental-split.ts)
 * both compare the previous text with the new one, and strings compare by reference first.
 */
export function sharedAffixes(a: string, b: string): SharedAffixes {
  if (lastAffixes && lastAffixes.a === a && lastAffixes.b === b) return lastAffixes.affixes;
  const prefix = commonPrefixLength(a, b);
  const affixes = { prefix, suffix: commonSuffixLength(a, b, prefix) };
  lastAffixes = { a, b, affixes };
  return affixes;
}

/**
 * Tells {@link sharedAffixes} what an editor's change kept of `before` in `after`: the first
 * `prefix` and the last `suffix` characters. An adapter that receives changes as ranges
 * knows them, which saves comparing two large texts on each keystroke. They need not be the
 * longest shared ones (their users only need what lies outside them to be unchanged), but
 * they must be true: `before` and `after` agree on them, and they do not overlap.
 */
export function noteSharedAffixes(before: string, after: string, affixes: SharedAffixes): void {
  lastAffixes = { a: before, b: after, affixes };
}
