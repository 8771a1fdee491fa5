import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commonPrefixLength, commonSuffixLength } from '../../server/src/core/text-affixes';

function naivePrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function naiveSuffix(a: string, b: string, prefix: number): number {
  let i = 0;
  while (i < Math.min(a.length, b.length) - prefix && a[a.length - 1 - i] === b[b.length - 1 - i]) {
    i++;
  }
  return i;
}

test('common prefix and suffix lengths agree with a character-by-character comparison', () => {
  let state = 7;
  const next = (below: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % below;
  };
  const alphabet = 'ab\n-';
  for (let round = 0; round < 3000; round++) {
    const a = Array.from({ length: next(40) }, () => alphabet[next(4)]).join('');
    // b: a with an edit (insert, delete or replace) somewhere, or an unrelated text.
    const at = next(a.length + 1);
    const b =
      round % 10 === 0
        ? Array.from({ length: next(40) }, () => alphabet[next(4)]).join('')
        : a.slice(0, at) + 'ab'.slice(0, next(3)) + a.slice(Math.min(a.length, at + next(3)));
    const prefix = commonPrefixLength(a, b);
    assert.equal(prefix, naivePrefix(a, b), JSON.stringify([a, b]));
    assert.equal(
      commonSuffixLength(a, b, prefix),
      naiveSuffix(a, b, prefix),
      JSON.stringify([a, b]),
    );
  }
  assert.equal(commonPrefixLength('', 'abc'), 0);
  assert.equal(commonSuffixLength('abc', 'abc', 3), 0);
  assert.equal(commonSuffixLength('xabc', 'yabc'), 3);
});
