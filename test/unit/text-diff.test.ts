import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffTexts } from '../../server/src/core/text-diff';
import { applyEdits } from '../helpers/apply-edits';

test('one changed line gives one edit of the changed characters only', () => {
  const before = 'a: 1\nb: hello\nc: 3\n';
  const after = 'a: 1\nb: help\nc: 3\n';
  assert.deepEqual(diffTexts(before, after), [{ start: 11, end: 13, newText: 'p' }]);
});

test('insertions and deletions far apart give separate edits; equal texts none', () => {
  const before = ['x', 'a', 'b', 'c', 'd', 'e', 'y', ''].join('\n');
  const after = ['x', 'NEW', 'a', 'b', 'c', 'd', 'y', ''].join('\n');
  const edits = diffTexts(before, after);
  assert.equal(edits.length, 2);
  assert.equal(applyEdits(before, edits), after);
  assert.deepEqual(diffTexts(before, before), []);
});

test('property: applying the edits always gives the new text', () => {
  let seed = 3;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const words = ['a', 'b', 'key: v', '', '  - x', '# c', '\r'];
  const randomText = (): string =>
    Array.from({ length: Math.floor(next() * 12) }, () => words[Math.floor(next() * words.length)])
      .join('\n')
      .concat(next() < 0.5 ? '\n' : '');
  for (let i = 0; i < 2000; i++) {
    const before = randomText();
    const after = randomText();
    assert.equal(
      applyEdits(before, diffTexts(before, after)),
      after,
      JSON.stringify([before, after]),
    );
    // A small cost bound still gives a correct (if coarser) result.
    assert.equal(applyEdits(before, diffTexts(before, after, 1)), after);
  }
});
