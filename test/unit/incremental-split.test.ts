import assert from 'node:assert/strict';
import { test } from 'node:test';
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
