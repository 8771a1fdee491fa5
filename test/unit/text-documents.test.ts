/**
 * The language server's documents note what each ranged change kept of the text before it;
 * the re-analysis relies on that being true (see `noteSharedAffixes`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { sharedAffixes } from '../../server/src/core/text-affixes';
import { trackedTextDocuments } from '../../server/src/lsp/text-documents';

function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % below;
  };
}

const INSERTS = ['', 'x', '\n', '\r\n', 'key: value\n', '---\n', 'é', '\n\n  - a\n'];

test('each ranged change notes a true shared start and end, reversed ranges too', () => {
  const next = random(7);
  let document = trackedTextDocuments.create(
    'file:///t.yaml',
    'yaml',
    1,
    'a: b\r\nc: d\n---\ne: f\n',
  );
  for (let step = 0; step < 2000; step++) {
    const before = document.getText();
    const a = document.positionAt(next(before.length + 1));
    const b = document.positionAt(next(before.length + 1));
    const reversed = next(4) === 0;
    // Positions past a line's end or the text's end are clamped, as editors may send them.
    const past = next(10) === 0 ? { line: a.line, character: a.character + 50 } : a;
    const change: TextDocumentContentChangeEvent = {
      range: reversed ? { start: b, end: past } : { start: past, end: b },
      text: INSERTS[next(INSERTS.length)] ?? '',
    };
    document = trackedTextDocuments.update(document, [change], step + 2);
    const after = document.getText();
    const { prefix, suffix } = sharedAffixes(before, after);
    assert.ok(prefix + suffix <= Math.min(before.length, after.length), `step ${step}: overlap`);
    assert.equal(after.slice(0, prefix), before.slice(0, prefix), `step ${step}: prefix`);
    assert.equal(
      after.slice(after.length - suffix),
      before.slice(before.length - suffix),
      `step ${step}: suffix`,
    );
  }
});

test('a whole-text change or several changes note nothing (the texts are compared)', () => {
  const document = trackedTextDocuments.create('file:///t.yaml', 'yaml', 1, 'abcdef');
  const whole = trackedTextDocuments.update(document, [{ text: 'abXdef' }], 2);
  assert.deepEqual(sharedAffixes('abcdef', whole.getText()), { prefix: 2, suffix: 3 });
  const two = trackedTextDocuments.update(
    whole,
    [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'Z' },
      { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: '' },
    ],
    3,
  );
  assert.equal(two.getText(), 'ZabXde');
  assert.deepEqual(sharedAffixes('abXdef', two.getText()), { prefix: 0, suffix: 0 });
});

test('a new document has its line starts at once, and positions are as the library says', () => {
  const texts = [
    '',
    'a',
    'a\nb\n',
    'a\r\nb\r\n\r\nc',
    'no break',
    '\n\n\n',
    'lone\rcarriage\r\nreturn\n',
    'é\n😀 x\r\n',
  ];
  for (const text of texts) {
    const ours = trackedTextDocuments.create('file:///a.yaml', 'yaml', 1, text);
    const fields = ours as unknown as { _lineOffsets?: number[] };
    // The library keeps its table in this field: seeded, unless a lone CR leaves it lazy.
    assert.ok('_lineOffsets' in fields, 'the library still has the field');
    assert.equal(fields._lineOffsets === undefined, /\r(?!\n)/.test(text), JSON.stringify(text));
    const library = TextDocument.create('file:///a.yaml', 'yaml', 1, text);
    assert.equal(ours.lineCount, library.lineCount, JSON.stringify(text));
    for (let offset = 0; offset <= text.length + 1; offset++) {
      assert.deepEqual(ours.positionAt(offset), library.positionAt(offset), `${offset}`);
    }
    for (let line = 0; line <= library.lineCount; line++) {
      for (const character of [0, 1, 2, 50]) {
        assert.equal(
          ours.offsetAt({ line, character }),
          library.offsetAt({ line, character }),
          `${JSON.stringify(text)} ${line}:${character}`,
        );
      }
    }
  }
});
