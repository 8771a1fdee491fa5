/**
 * The smallest set of text edits that turns one text into another: a line diff (Myers), each
 * changed run of lines then narrowed to the characters that differ. Used where a change is
 * computed as a whole new text (several primitives applied one after the other) but must reach
 * the editor as edits that leave every untouched byte alone.
 */
import type { TextEdit } from './types';

/** Lines with their line breaks, so that joining them gives the text back. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** A run of lines `[beforeStart, beforeEnd)` replaced by `[afterStart, afterEnd)`. */
interface Hunk {
  beforeStart: number;
  beforeEnd: number;
  afterStart: number;
  afterEnd: number;
}

/**
 * Myers' O(ND) diff over two arrays of lines, as hunks in order. `maxCost` bounds the work:
 * beyond it the whole middle is one hunk (still correct, just not minimal).
 */
function diffLines(a: readonly string[], b: readonly string[], maxCost: number): Hunk[] {
  // Common head and tail first: most edits touch a few lines of a long text.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n === 0 && m === 0) return [];
  const whole: Hunk = {
    beforeStart: head,
    beforeEnd: head + n,
    afterStart: head,
    afterEnd: head + m,
  };
  if (n === 0 || m === 0) return [whole];
  const max = Math.min(n + m, maxCost);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))) {
        x = v[offset + k + 1] ?? 0;
      } else {
        x = (v[offset + k - 1] ?? 0) + 1;
      }
      let y = x - k;
      while (x < n && y < m && a[head + x] === b[head + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) return [whole];
  // Walk the trace back from (n, m), collecting the edit script as matched line pairs.
  const matches: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const previous = trace[d];
    if (!previous) break;
    const k = x - y;
    let previousK: number;
    if (
      k === -d ||
      (k !== d && (previous[offset + k - 1] ?? 0) < (previous[offset + k + 1] ?? 0))
    ) {
      previousK = k + 1;
    } else {
      previousK = k - 1;
    }
    const previousX = d === 0 ? 0 : (previous[offset + previousK] ?? 0);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      matches.push([x, y]);
    }
    if (d === 0) break;
    x = previousX;
    y = previousY;
  }
  matches.reverse();
  const hunks: Hunk[] = [];
  let ai = 0;
  let bi = 0;
  for (const [ma, mb] of [...matches, [n, m] as [number, number]]) {
    if (ma > ai || mb > bi) {
      hunks.push({
        beforeStart: head + ai,
        beforeEnd: head + ma,
        afterStart: head + bi,
        afterEnd: head + mb,
      });
    }
    ai = ma + 1;
    bi = mb + 1;
  }
  return hunks;
}

/**
 * Edits (offsets into `before`) that turn `before` into `after`, each as small as the line
 * diff allows and then trimmed of common leading and trailing characters.
 */
export function diffTexts(before: string, after: string, maxCost = 500): TextEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  const aOffsets = [0];
  for (const line of a) aOffsets.push((aOffsets[aOffsets.length - 1] ?? 0) + line.length);
  const bOffsets = [0];
  for (const line of b) bOffsets.push((bOffsets[bOffsets.length - 1] ?? 0) + line.length);
  const edits: TextEdit[] = [];
  for (const hunk of diffLines(a, b, maxCost)) {
    let start = aOffsets[hunk.beforeStart] ?? 0;
    let end = aOffsets[hunk.beforeEnd] ?? before.length;
    let newStart = bOffsets[hunk.afterStart] ?? 0;
    let newEnd = bOffsets[hunk.afterEnd] ?? after.length;
    while (start < end && newStart < newEnd && before[start] === after[newStart]) {
      start++;
      newStart++;
    }
    while (end > start && newEnd > newStart && before[end - 1] === after[newEnd - 1]) {
      end--;
      newEnd--;
    }
    edits.push({ start, end, newText: after.slice(newStart, newEnd) });
  }
  return edits;
}
