import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoverAt } from '../../server/src/core/hover';

const text = [
  'apiVersion: v1',
  'kind: Secret',
  'data:',
  '  user: YWRtaW4=',
  '  config: eyJhIjoxLCJiIjpbMiwzXX0=',
  '  blob: AAEC/w==',
  '  bad: not base64',
  '  empty: ""',
  '  fence: YGBgCmNvZGUKYGBg',
  'stringData:',
  '  password: hunter2',
  '',
].join('\n');

const at = (needle: string, reveal: 'hover' | 'inline' | 'never' = 'hover') =>
  hoverAt(text, text.indexOf(needle) + 1, reveal);

test('a data value hovers decoded, with its size', () => {
  const hover = at('YWRtaW4=');
  assert.ok(hover);
  assert.equal(hover.markdown, '**data.user**: decoded, text, 5 bytes\n\n```text\nadmin\n```');
  assert.equal(text.slice(hover.start, hover.end), 'user: YWRtaW4=');
});

test('hovering the key works too', () => {
  assert.equal(at('user:')?.markdown, at('YWRtaW4=')?.markdown);
});

test('JSON is pretty-printed; binary shows size and hex', () => {
  assert.equal(
    at('eyJh')?.markdown,
    '**data.config**: decoded, JSON, 17 bytes\n\n```json\n{\n  "a": 1,\n  "b": [\n    2,\n    3\n  ]\n}\n```',
  );
  assert.equal(
    at('AAEC')?.markdown,
    '**data.blob**: decoded, binary, 4 bytes\n\n```\n00 01 02 ff\n```',
  );
});

test('invalid and empty values say so without showing the value', () => {
  assert.equal(
    at('not base64')?.markdown,
    "**data.bad**: not valid base64 (character 4 is ' ' (a space))",
  );
  assert.equal(at('empty:')?.markdown, '**data.empty**: decoded, text, 0 bytes\n\n```text\n\n```');
});

test('a decoded value cannot break out of its code block', () => {
  const markdown = at('YGBg')?.markdown ?? '';
  assert.ok(markdown.includes('````text\n```\ncode\n```\n````'), markdown);
});

test('stringData shows its base64', () => {
  assert.equal(
    at('hunter2')?.markdown,
    '**stringData.password**: plain text, 7 bytes. As base64 in `data`:\n\n```\naHVudGVyMg==\n```',
  );
});

test('reveal "never" shows size and kind only', () => {
  assert.equal(at('YWRtaW4=', 'never')?.markdown, '**data.user**: decoded, text, 5 bytes');
  assert.equal(
    at('hunter2', 'never')?.markdown,
    '**stringData.password**: plain text, 7 bytes; stored base64-encoded',
  );
});

test('nothing to say outside Secret values', () => {
  assert.equal(hoverAt(text, 2, 'hover'), undefined);
  assert.equal(hoverAt('kind: ConfigMap\ndata:\n  a: YWRtaW4=\n', 25, 'hover'), undefined);
});
