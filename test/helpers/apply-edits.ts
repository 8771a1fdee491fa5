import assert from 'node:assert/strict';
import type { TextEdit } from '../../server/src/core/types';

/** Applies non-overlapping edits to a text, as an editor would; fails on overlapping edits. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    assert.ok(previous && current && previous.end <= current.start, 'edits overlap');
  }
  let result = text;
  for (const edit of sorted.reverse()) {
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  }
  return result;
}
