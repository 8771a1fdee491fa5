/**
 * "Disable <rule> for this line" and "Disable <rule> for this document": the suppression
 * comments of `suppressions.ts`, written where they apply. An existing comment of the same
 * kind gets the id appended (`, <id>`) rather than a second comment. Not offered in JSON
 * documents (a comment would make the file invalid JSON) nor where a comment line would land
 * inside a multi-line value: the file is parsed again and every document must read the same.
 */
import { lineEnding } from '../fixes/yaml-edit';
import { lineEndOf, lineStartOf } from '../lines';
import { parseFile } from '../parse';
import type { ParsedDocument } from '../parse';
import type { Finding, Fix, TextEdit } from '../types';

function isJsonDocument(document: ParsedDocument): boolean {
  return /^\s*[[{]/.test(document.text.replace(/^(?:\s*#[^\n]*\n)*/, ''));
}

/** Every document reads the same after the edit (the comment landed outside any value). */
function keepsMeaning(text: string, edit: TextEdit): boolean {
  const after = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  const before = parseFile(text);
  const parsed = parseFile(after);
  if (before.length !== parsed.length) return false;
  return before.every((document, index) => {
    const other = parsed[index];
    if (!other || other.ok !== document.ok) return false;
    // A document past a limit of limits.ts (an alias bomb, deep nesting) must not be expanded
    // to JavaScript: only an unchanged text is known to mean the same.
    if (document.limit || other.limit) return document.text === other.text;
    try {
      return (
        JSON.stringify(document.document.toJS({ maxAliasCount: -1 })) ===
        JSON.stringify(other.document.toJS({ maxAliasCount: -1 }))
      );
    } catch {
      // toJS throws on an alias to nothing, a bad merge key, a nesting deeper than the stack.
      return false;
    }
  });
}

const NEXT_LINE = /^([ \t]*)#\s*secret-guard-disable-next-line[ \t]+([^\r\n]*)$/;
const DOCUMENT_WIDE = /^([ \t]*)#\s*secret-guard-disable(?!-)[ \t]+([^\r\n]*)$/;

/** "Disable <id> for this line": a comment on the line above the finding's first line. */
function disableLine(text: string, finding: Finding): Fix | undefined {
  const lineStart = lineStartOf(text, finding.start);
  const line = text.slice(lineStart, lineEndOf(text, lineStart));
  const indent = /^[ \t]*(?:- )*/.exec(line)?.[0].replace(/-/g, ' ') ?? '';
  let edit: TextEdit;
  const aboveStart = lineStart > 0 ? lineStartOf(text, lineStart - 1) : -1;
  const above = aboveStart >= 0 ? text.slice(aboveStart, lineEndOf(text, aboveStart)) : '';
  const existing = NEXT_LINE.exec(above);
  if (existing) {
    if ((existing[2] ?? '').split(/[\s,]+/).includes(finding.ruleId)) return undefined;
    const at = aboveStart + above.trimEnd().length;
    edit = { start: at, end: at, newText: `, ${finding.ruleId}` };
  } else {
    const newText = `${indent}# secret-guard-disable-next-line ${finding.ruleId}${lineEnding(text)}`;
    edit = { start: lineStart, end: lineStart, newText };
  }
  if (!keepsMeaning(text, edit)) return undefined;
  return { title: `Disable ${finding.ruleId} for this line`, edits: [edit] };
}

/** "Disable <id> for this document": a comment among the document's leading comments. */
function disableDocument(
  text: string,
  document: ParsedDocument,
  finding: Finding,
): Fix | undefined {
  // The first line that is not blank, a comment, a directive or `---`: the comment goes before it.
  let cursor = document.offset;
  const end = document.offset + document.text.length;
  while (cursor < end) {
    const lineEnd = lineEndOf(text, cursor);
    const line = text.slice(cursor, lineEnd);
    const existing = DOCUMENT_WIDE.exec(line);
    if (existing) {
      if ((existing[2] ?? '').split(/[\s,]+/).includes(finding.ruleId)) return undefined;
      const at = cursor + line.trimEnd().length;
      const edit = { start: at, end: at, newText: `, ${finding.ruleId}` };
      return keepsMeaning(text, edit)
        ? { title: `Disable ${finding.ruleId} for this document`, edits: [edit] }
        : undefined;
    }
    const trimmed = line.trim();
    const header =
      trimmed === '' ||
      trimmed.startsWith('#') ||
      trimmed.startsWith('%') ||
      /^---(?:\s|$)/.test(trimmed);
    if (!header) break;
    // The last line may end with a lone CR and no LF: then there is no next line (indexOf
    // would give -1 and send the cursor back to the start, for ever).
    const next = text.indexOf('\n', lineEnd);
    cursor = next === -1 ? end : next + 1;
  }
  const edit = {
    start: cursor,
    end: cursor,
    newText: `# secret-guard-disable ${finding.ruleId}${lineEnding(text)}`,
  };
  if (!keepsMeaning(text, edit)) return undefined;
  return { title: `Disable ${finding.ruleId} for this document`, edits: [edit] };
}

/** The suppression quick fixes for a finding (none for `unknown-rule` or in JSON documents). */
export function suppressionFixes(text: string, finding: Finding): Fix[] {
  if (finding.ruleId === 'unknown-rule') return [];
  const document = parseFile(text).find(
    (candidate) =>
      candidate.offset <= finding.start &&
      finding.start <= candidate.offset + candidate.text.length,
  );
  if (!document || isJsonDocument(document)) return [];
  return [disableLine(text, finding), disableDocument(text, document, finding)].filter(
    (fix): fix is Fix => fix !== undefined,
  );
}
