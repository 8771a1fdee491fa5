/**
 * The editor's open documents, kept by `TextDocuments` as usual, noting for each incremental
 * change what it kept of the text before it (see `noteSharedAffixes`): the re-analysis of a
 * keystroke in a 4 MB file then need not compare the old and the new text to find the edit.
 */
import type { TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { noteSharedAffixes } from '../core/text-affixes';
import type { SharedAffixes } from '../core/text-affixes';

export const trackedTextDocuments: TextDocumentsConfiguration<TextDocument> = {
  create(uri, languageId, version, content) {
    const document = TextDocument.create(uri, languageId, version, content);
    seedLineOffsets(document, content);
    return document;
  },
  update(document, changes, version) {
    const before = document.getText();
    const kept = changes.length === 1 ? keptAffixes(document, changes[0]) : undefined;
    const updated = TextDocument.update(document, changes, version);
    if (kept) noteSharedAffixes(before, updated.getText(), kept);
    return updated;
  },
};

/**
 * The text before and after a ranged change, as `TextDocument.update` applies it (positions
 * clamped to the text, a reversed range swapped).
 */
function keptAffixes(
  document: TextDocument,
  change: TextDocumentContentChangeEvent | undefined,
): SharedAffixes | undefined {
  if (!change || !('range' in change)) return undefined;
  const from = document.offsetAt(change.range.start);
  const to = document.offsetAt(change.range.end);
  const start = Math.min(from, to);
  const end = Math.max(from, to);
  return { prefix: start, suffix: document.getText().length - end };
}

/**
 * Gives a new document its table of line starts, found with native searches. The library
 * builds it on the first position asked for, character by character: 40 ms for a 4 MB file
 * the first time, in one block of the event loop, when its first diagnostics are converted.
 * Done only where the library's field is there to take it and the text has no lone CR (a
 * line break to LSP, not to a search for line feeds); otherwise the library builds it.
 * test/unit/text-documents.test.ts checks that positions are the library's either way.
 */
function seedLineOffsets(document: TextDocument, content: string): void {
  const fields = document as unknown as { _lineOffsets?: number[] };
  if (!('_lineOffsets' in fields) || fields._lineOffsets !== undefined) return;
  if (LONE_CR.test(content)) return;
  const starts = [0];
  for (let at = content.indexOf('\n'); at !== -1; at = content.indexOf('\n', at + 1)) {
    starts.push(at + 1);
  }
  fields._lineOffsets = starts;
}

const LONE_CR = /\r(?!\n)/;
