/**
 * The file checks of limits.ts read a long text once, then only what a keystroke changed: the
 * incremental answers must be those of a full read, whatever the order of texts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANALYSIS_LIMITS, fileLimitOf } from '../../server/src/core/limits';

/** A text past the length below which node starts are not counted, under the node limit. */
function longText(lines: number): string {
  return 'key: value with words\n'.repeat(lines);
}

const insert = (text: string, at: number, what: string): string =>
  text.slice(0, at) + what + text.slice(at);

test('a NUL typed into a long text is found, and its removal is seen too', () => {
  const clean = longText(30_000);
  assert.ok(clean.length > ANALYSIS_LIMITS.maxNodeStarts);
  assert.equal(fileLimitOf(clean), undefined);
  const middle = clean.length >> 1;
  assert.equal(fileLimitOf(insert(clean, middle, '\u0000'))?.kind, 'binary');
  // After a binary text, the next one is read whole (its NUL may be anywhere).
  assert.equal(fileLimitOf(insert(clean, middle, 'x')), undefined);
  assert.equal(fileLimitOf(insert(clean, 5, '\u0000'))?.kind, 'binary');
  assert.equal(fileLimitOf(clean), undefined);
});

test('node starts are counted across keystrokes as a full count would', () => {
  const limit = ANALYSIS_LIMITS.maxNodeStarts;
  // Each line has two node starts (`:` and the line feed): just under the limit.
  const line = 'k: v\n';
  const under = line.repeat(Math.floor(limit / 2));
  assert.equal(fileLimitOf(under), undefined);
  // One keystroke adds a third `:` and passes it.
  const over = insert(under, under.length >> 1, '::');
  assert.equal(fileLimitOf(over)?.kind, 'node-starts');
  // Deleting it again, and an unrelated long text after it, are counted right too.
  assert.equal(fileLimitOf(under), undefined);
  assert.equal(fileLimitOf('-'.repeat(limit + 1))?.kind, 'node-starts');
  assert.equal(fileLimitOf(longText(30_000)), undefined);
});
