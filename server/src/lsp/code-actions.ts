/**
 * Quick fixes. Fixes are rebuilt from the current text on every request (the core caches the
 * analysis by text), so an edit can never be stale.
 */
import { readFileSync } from 'node:fs';
import { CodeActionKind } from 'vscode-languageserver/node';
import type {
  ClientCapabilities,
  CodeAction,
  CodeActionParams,
  Diagnostic,
  Range,
  TextDocumentEdit,
  CreateFile,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from '../core/analyze';
import type { Finding, Fix, OtherFileEdit } from '../core/types';
import { toDiagnostic } from './diagnostics';
import { isTrusted } from './trust';
import { uriOfPath } from './uri';

export function provideCodeActions(
  document: TextDocument,
  params: CodeActionParams,
  analysis: AnalysisResult,
  capabilities: ClientCapabilities,
): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const requestStart = document.offsetAt(params.range.start);
  const requestEnd = document.offsetAt(params.range.end);
  const actions: CodeAction[] = [];
  for (const finding of analysis.findings) {
    // The range first: some fixes are built only when read (see RuleReport.lazyFixes).
    if (finding.end < requestStart || finding.start > requestEnd || !finding.fixes) continue;
    const diagnostic =
      params.context.diagnostics.find((given) => sameFinding(given, document, finding)) ??
      toDiagnostic(document, finding);
    for (const fix of finding.fixes) {
      const edit = toWorkspaceEdit(document, fix, capabilities);
      if (!edit) continue;
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit,
        ...(fix.isPreferred ? { isPreferred: true } : {}),
      });
    }
  }
  return actions;
}

function sameFinding(diagnostic: Diagnostic, document: TextDocument, finding: Finding): boolean {
  return (
    diagnostic.code === finding.ruleId &&
    document.offsetAt(diagnostic.range.start) === finding.start &&
    document.offsetAt(diagnostic.range.end) === finding.end
  );
}

/** Converts a core fix, or undefined when the client cannot apply it (e.g. cannot create files). */
function toWorkspaceEdit(
  document: TextDocument,
  fix: Fix,
  capabilities: ClientCapabilities,
): WorkspaceEdit | undefined {
  const textEdits = fix.edits.map((edit) => ({
    range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) },
    newText: edit.newText,
  }));
  const supportsDocumentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  const canCreate =
    capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('create') === true;
  // Restricted Mode reads and writes no other file (trust.ts): such a fix is not offered.
  if ((fix.otherFileEdits ?? []).length > 0 && !isTrusted()) return undefined;
  const otherEdits = (fix.otherFileEdits ?? []).map(planOtherFileEdit);
  if (otherEdits.some((planned) => planned.create) && !(supportsDocumentChanges && canCreate)) {
    return undefined;
  }
  if (!supportsDocumentChanges) {
    const changes: Record<string, { range: Range; newText: string }[]> = {};
    if (textEdits.length > 0) changes[document.uri] = textEdits;
    for (const planned of otherEdits) changes[planned.uri] = [planned.edit];
    return { changes };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  if (textEdits.length > 0) {
    documentChanges.push({
      textDocument: { uri: document.uri, version: document.version },
      edits: textEdits,
    });
  }
  for (const planned of otherEdits) {
    if (planned.create) {
      documentChanges.push({ kind: 'create', uri: planned.uri, options: { ignoreIfExists: true } });
    }
    documentChanges.push({
      textDocument: { uri: planned.uri, version: null },
      edits: [planned.edit],
    });
  }
  return { documentChanges };
}

/** Appends a line to a file that may not exist yet, starting a new line when needed. */
function planOtherFileEdit(edit: OtherFileEdit): {
  uri: string;
  create: boolean;
  edit: { range: Range; newText: string };
} {
  let current: string | undefined;
  try {
    current = readFileSync(edit.path, 'utf8');
  } catch {
    current = undefined;
  }
  const lines = (current ?? '').split('\n');
  const lastLine = lines.length - 1;
  const end = { line: lastLine, character: lines[lastLine]?.length ?? 0 };
  const needsNewline = current !== undefined && current.length > 0 && !current.endsWith('\n');
  return {
    uri: uriOfPath(edit.path),
    create: current === undefined,
    edit: {
      range: { start: end, end },
      newText: `${needsNewline ? '\n' : ''}${edit.appendLine}\n`,
    },
  };
}
