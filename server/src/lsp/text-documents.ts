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
  create: (uri, languageId, version, content) =>
    TextDocument.create(uri, languageId, version, content),
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
