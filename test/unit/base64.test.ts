import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeGoBase64, describeBase64Problem, encodeBase64 } from '../../server/src/core/base64';

// Expectations follow Go's encoding/base64 StdEncoding.DecodeString (decode.go): the offset of
// the CorruptInputError for each input, or the decoded text.
const decodes: [string, string][] = [
  ['', ''],
  ['aGVsbG8=', 'hello'],
  ['aGVsbG8h', 'hello!'],
  ['aGVsbA==', 'hell'],
  ['aGVs\nbG8=', 'hello'],
  ['aGVs\r\nbG8=\n', 'hello'],
  ['\naGVsbA=\n=', 'hell'], // newlines are skipped inside padding too
  ['aGVsbG9=', 'hello'], // non-zero trailing bits: StdEncoding is not Strict
];

for (const [input, expected] of decodes) {
  test(`decodes ${JSON.stringify(input)}`, () => {
    const result = decodeGoBase64(input);
    assert.ok(result.ok);
    assert.equal(result.bytes.toString('utf8'), expected);
  });
}

const rejects: [string, ReturnType<typeof problemOf>][] = [
  ['aGVs bG8=', { kind: 'bad-character', index: 4, character: ' ' }],
  ['aGVs\tbG8=', { kind: 'bad-character', index: 4, character: '\t' }],
  ['aGVs-bG8', { kind: 'bad-character', index: 4, character: '-' }],
  ['aGVs_bG8', { kind: 'bad-character', index: 4, character: '_' }],
  ['hello', { kind: 'missing-padding' }],
  ['aGVsbG8', { kind: 'missing-padding' }],
  ['aGVsbA=', { kind: 'missing-padding' }],
  ['a===', { kind: 'misplaced-padding', index: 1 }],
  ['=', { kind: 'misplaced-padding', index: 0 }],
  ['aG=s', { kind: 'misplaced-padding', index: 2 }],
  ['aGV==', { kind: 'misplaced-padding', index: 4 }],
  ['aGVsbA==aGVs', { kind: 'misplaced-padding', index: 8 }],
  ['aGVsbG8=\u00e9', { kind: 'misplaced-padding', index: 8 }],
  ['aGVs\u00e9bG8', { kind: 'bad-character', index: 4, character: '\u00e9' }],
];

function problemOf(input: string) {
  const result = decodeGoBase64(input);
  return result.ok ? undefined : result.problem;
}

for (const [input, expected] of rejects) {
  test(`rejects ${JSON.stringify(input)}`, () => {
    assert.deepEqual(problemOf(input), expected);
  });
}

test('round-trips every byte value', () => {
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  for (let length = 0; length < 40; length++) {
    const slice = bytes.subarray(0, length);
    const result = decodeGoBase64(encodeBase64(slice));
    assert.ok(result.ok);
    assert.deepEqual(result.bytes, slice);
  }
});

test('problem descriptions name positions, not values', () => {
  assert.equal(
    describeBase64Problem({ kind: 'bad-character', index: 6, character: ' ' }),
    "character 7 is ' ' (a space)",
  );
  assert.match(describeBase64Problem({ kind: 'missing-padding' }), /^missing padding/);
});
