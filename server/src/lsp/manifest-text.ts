import { readFileSync, statSync } from 'node:fs';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isTrusted } from './trust';
import { pathOfUri } from './uri';

/** A manifest larger than this is not read for a hover (a Secret is at most 1 MiB). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** A manifest's current text: the open document's (unsaved edits included), else the disk's. */
export function manifestText(
  documents: TextDocuments<TextDocument>,
  path: string,
): string | undefined {
  const open = documents.all().find((document) => pathOfUri(document.uri) === path);
  if (open) return open.getText();
  if (!isTrusted()) return undefined; // Restricted Mode reads no file (trust.ts)
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
