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

const podText = [
  'apiVersion: v1',
  'kind: Pod',
  'spec:',
  '  volumes:',
  '    - name: creds',
  '      secret:',
  '        secretName: db',
  '        defaultMode: 400',
  '        items:',
  '          - key: password',
  '            path: password',
  '            mode: 0440',
  '    - name: conf',
  '      configMap:',
  '        name: app',
  '        defaultMode: 0644',
  '',
].join('\n');

test('a secret volume defaultMode hovers as octal and rwx, with how it was read', () => {
  const offset = podText.indexOf('400');
  const hover = hoverAt(podText, offset + 1, 'never');
  assert.ok(hover);
  assert.equal(
    hover.markdown,
    '**defaultMode**: `0620` (`rw--w----`)\n\nWritten `400`: the number 400, octal 0620.',
  );
  assert.equal(podText.slice(hover.start, hover.end), '400');
});

test('an items[].mode hovers too; an octal literal reads as written', () => {
  const hover = hoverAt(podText, podText.indexOf('0440'), 'hover');
  assert.equal(
    hover?.markdown,
    '**mode**: `0440` (`r--r-----`)\n\nWritten `0440`: the number 288, octal 0440.',
  );
});

test('a mode out of range says the API server rejects it', () => {
  const text = podText.replace('defaultMode: 400', 'defaultMode: 644');
  assert.equal(
    hoverAt(text, text.indexOf('644'), 'hover')?.markdown,
    '**defaultMode**: out of range (0 to 0777): the API server rejects it\n\nWritten `644`: the number 644, octal 01204.',
  );
});

test('modes outside secret volumes, and the mode key itself, have no mode hover', () => {
  assert.equal(hoverAt(podText, podText.indexOf('0644'), 'hover'), undefined);
  assert.equal(hoverAt(podText, podText.indexOf('defaultMode'), 'hover'), undefined);
});

test('a projected volume with a Secret source hovers its defaultMode (JSON)', () => {
  const json =
    '{"kind": "Pod", "apiVersion": "v1", "spec": {"volumes": [{"name": "p", "projected": {"defaultMode": 420, "sources": [{"secret": {"name": "db"}}]}}]}}';
  const hover = hoverAt(json, json.indexOf('420'), 'hover');
  assert.equal(
    hover?.markdown,
    '**defaultMode**: `0644` (`rw-r--r--`)\n\nWritten `420`: the number 420, octal 0644.',
  );
});
