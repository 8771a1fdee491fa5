import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyze } from '../../server/src/core/analyze';
import {
  forgetFiles,
  placeDocument,
  rememberFile,
  rememberedFiles,
  splitFile,
} from '../../server/src/core/incremental-split';
import { parseFile, parseSegment, splitDocuments } from '../../server/src/core/parse';
import { noteSharedAffixes } from '../../server/src/core/text-affixes';

const BASE = [
  '# leading comment',
  '%YAML 1.1',
  '---',
  'apiVersion: v1',
  'kind: Secret',
  'data:',
  '  a: YQ==',
  '---',
  '# a comment that belongs to the next document',
  '--- # marker with a comment',
  'kind: ConfigMap',
  'data:',
  '  x: |',
  '    ---not a marker',
  '...',
  '# after an end marker',
  '---',
  'kind: Pod',
  '---x',
  '---\r',
  'a: 1\r',
  '',
].join('\n');

const SNIPPETS = [
  '---\n',
  '\n---\n',
  '...\n',
  '\n...',
  '# c\n',
  'a: 1\n',
  'x',
  '\n',
  '-',
  '.',
  '%YAML 1.1\n',
  '\r\n',
  '--- ',
  '',
  '#',
];

/** A small deterministic generator (LCG), so that a failure can be replayed. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % below;
  };
}

function remember(key: string, text: string): void {
  const { segments, reused } = splitFile(text, key);
  rememberFile(
    key,
    text,
    segments,
    segments.map((segment, index) =>
      placeDocument(reused[index] ?? parseSegment(segment.text), segment.offset, index),
    ),
  );
}

/**
 * Random edits, each checked against a whole-file split. With `noted`, each edit's shared
 * start and end are given as an editor's change gives them (the edit's range: true, not
 * always the longest), instead of found by comparing the texts.
 */
function checkRandomEdits(noted: boolean): void {
  forgetFiles();
  for (const seed of [1, 2, 3, 4, 5]) {
    const next = random(seed);
    let text = BASE;
    remember('file', text);
    for (let step = 0; step < 400; step++) {
      const at = next(text.length + 1);
      const removed = Math.min(next(6), text.length - at);
      const inserted = SNIPPETS[next(SNIPPETS.length)] ?? '';
      const before = text;
      text = text.slice(0, at) + inserted + text.slice(at + removed);
      if (noted) {
        noteSharedAffixes(before, text, { prefix: at, suffix: before.length - at - removed });
      }
      const { segments, reused } = splitFile(text, 'file');
      assert.deepEqual(
        segments.map((s) => [s.offset, s.text]),
        splitDocuments(text).map((s) => [s.offset, s.text]),
        `seed ${seed}, step ${step}: ${JSON.stringify(text)}`,
      );
      reused.forEach((parsed, index) => {
        if (parsed) assert.equal(parsed.text, segments[index]?.text);
      });
      rememberFile(
        'file',
        text,
        segments,
        segments.map((segment, index) =>
          placeDocument(reused[index] ?? parseSegment(segment.text), segment.offset, index),
        ),
      );
    }
  }
}

test('after any edit, the incremental split is the whole-file split', () => {
  checkRandomEdits(false);
});

test('after any edit whose range the editor gave, the split is the whole-file split', () => {
  checkRandomEdits(true);
});

test('an edit inside one document reuses the parses of all the others', () => {
  forgetFiles();
  const documents = Array.from(
    { length: 50 },
    (_, i) => `---\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`,
  );
  const text = documents.join('');
  const before = parseFile(text, '/tmp/many.yaml');
  const edited = text.replace('name: c25', 'name: c25x');
  const after = parseFile(edited, '/tmp/many.yaml');
  assert.equal(after.length, 50);
  const reparsed = after.filter((document, index) => document.document !== before[index]?.document);
  assert.deepEqual(
    reparsed.map((document) => document.index),
    [25],
  );
  assert.deepEqual(
    after.map((document) => document.offset),
    splitDocuments(edited).map((segment) => segment.offset),
  );
});

test('typing in a large file does not keep the whole text of each keystroke alive', () => {
  // A re-split document's text used to be a view into the keystroke's whole text (V8 slices
  // share memory), and the parse cache kept it: 30 keystrokes here held about 120 MB.
  setFlagsFromString('--expose-gc');
  const collectGarbage = runInNewContext('gc') as () => void;
  forgetFiles();
  const path = '/tmp/typing-memory.yaml';
  const document = (i: number): string =>
    `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: ${'v'.repeat(900)}\n`;
  let text = Array.from({ length: 4000 }, (_, i) => document(i)).join('');
  analyze({ text, path });
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const at = text.indexOf('name: c2000') + 'name: c2000'.length;
  for (let keystroke = 0; keystroke < 30; keystroke++) {
    text = `${text.slice(0, at + keystroke)}x${text.slice(at + keystroke)}`;
    analyze({ text, path });
  }
  collectGarbage();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 30e6, `the heap grew by ${Math.round(grown / 1e6)} MB over 30 keystrokes`);
  forgetFiles();
});

test('remembered files are bounded by count and by characters, the latest always kept', () => {
  forgetFiles();
  for (let i = 0; i < 40; i++) rememberFile(`small-${i}`, 'a: b\n', [], []);
  assert.deepEqual(rememberedFiles(), { files: 32, characters: 32 * 5 });
  forgetFiles();
  const sixMillion = 'x'.repeat(6_000_000);
  for (const key of ['a', 'b', 'c']) rememberFile(key, sixMillion, [], []);
  assert.deepEqual(rememberedFiles(), { files: 2, characters: 12_000_000 });
  rememberFile('huge', 'y'.repeat(20_000_000), [], []);
  assert.deepEqual(rememberedFiles(), { files: 1, characters: 20_000_000 });
  // Remembering a file again replaces it, and counts it once.
  rememberFile('huge', 'z'.repeat(10), [], []);
  assert.deepEqual(rememberedFiles(), { files: 1, characters: 10 });
  forgetFiles();
});
