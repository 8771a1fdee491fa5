/**
 * `# secret-guard-disable-next-line <id>[, <id>...]` silences the next line;
 * `# secret-guard-disable <id>[, <id>...]` among a document's leading comments silences that
 * document. Unknown ids are reported so that a typo never silently disables nothing.
 */
import type { ParsedSegment } from './parse';

export interface SuppressedId {
  id: string;
  /** Offsets of the id in the document's text. */
  start: number;
  end: number;
}

export interface DocumentSuppressions {
  /** Rule ids disabled for the whole document. */
  documentWide: SuppressedId[];
  /** Rule ids disabled per line of the document's text (0-based line of the comment + 1). */
  byLine: Map<number, SuppressedId[]>;
}

const DIRECTIVE = /#\s*secret-guard-disable(-next-line)?(?=\s)[ \t]+([^\r\n]*)/g;
const ID = /[A-Za-z0-9_-]+/g;

/** Reads the suppression comments of one document. `lineOf` maps a document offset to its line. */
export function suppressionsOf(
  document: ParsedSegment,
  lineOf: (offset: number) => number,
): DocumentSuppressions {
  const result: DocumentSuppressions = { documentWide: [], byLine: new Map() };
  if (!document.text.includes('secret-guard-disable')) return result;
  const contentStart = firstContentOffset(document.text);
  for (const match of document.text.matchAll(DIRECTIVE)) {
    const at = match.index ?? 0;
    if (!isCommentStart(document.text, at)) continue;
    const nextLine = match[1] !== undefined;
    const idsText = match[2] ?? '';
    const idsOffset = at + match[0].length - idsText.length;
    const ids: SuppressedId[] = [];
    for (const id of idsText.matchAll(ID)) {
      const start = idsOffset + (id.index ?? 0);
      ids.push({ id: id[0], start, end: start + id[0].length });
    }
    if (nextLine) {
      const line = lineOf(at) + 1;
      result.byLine.set(line, [...(result.byLine.get(line) ?? []), ...ids]);
    } else if (at < contentStart) {
      // Not push(...ids): a comment of 200,000 ids would overflow the call's arguments.
      for (const id of ids) result.documentWide.push(id);
    }
  }
  return result;
}

/** A `#` starts a comment at the start of a line or after white space. */
function isCommentStart(text: string, at: number): boolean {
  const before = at === 0 ? '\n' : text[at - 1];
  return before === ' ' || before === '\t' || before === '\n' || before === '\r';
}

/** Offset of the first line that is neither blank, a comment, a directive nor `---`. */
function firstContentOffset(text: string): number {
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(lineStart, lineEnd).trim();
    const isHeader =
      line === '' || line.startsWith('#') || line.startsWith('%') || /^---(?:\s|$)/.test(line);
    if (!isHeader) return lineStart;
    lineStart = lineEnd;
  }
  return text.length;
}
