/**
 * Refactor code actions (`refactor.rewrite`, `refactor.extract`) offered by range, and the
 * "Disable <rule> for this line / document" quick fixes of each diagnostic. The edits come
 * from the core (`core/actions/`).
 *
 * Editors ask for code actions on every cursor move, and rewriting a large Secret takes a few
 * parses: a client that can resolve code actions (`resolveSupport` for `edit`, `dataSupport`)
 * gets the refactors' titles only, and their edits in `codeAction/resolve` once one is picked;
 * other clients get the edits at once. A refactor that repeats what a finding's quick fix
 * offers is left out. A refactor with a message runs `secretGuard.notify` after its edit, which
 * shows the message in any LSP client.
 */
import { CodeActionKind } from 'vscode-languageserver/node';
import type {
  ClientCapabilities,
  CodeAction,
  CodeActionParams,
  Diagnostic,
  TextDocuments,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from '../core/analyze';
import { externalStoreRefactorsAt } from '../core/actions/external-store';
import type { ExternalStoreContext } from '../core/actions/external-store';
import { moveToSecretRefactorsAt } from '../core/actions/move-to-secret-refactors';
import { secretConversionsAt } from '../core/actions/secret-conversions';
import type { Refactor } from '../core/actions/secret-conversions';
import { suppressionFixes } from '../core/actions/suppress';
import type { Finding, TextEdit } from '../core/types';
import { toDiagnostic } from './diagnostics';
import { NOTIFY_COMMAND } from './protocol';

/** What a refactor listed without its edit carries, to be resolved later. */
interface RefactorData {
  secretGuardRefactor: { uri: string; version: number; start: number; end: number; title: string };
}

/** Documents up to this many characters get their refactors' edits computed at once. */
const EAGER_EDITS_LIMIT = 16 * 1024;

/** Whether the request's `only` filter lets actions of `kind` through. */
function kindRequested(params: CodeActionParams, kind: string): boolean {
  const only = params.context.only;
  return !only || only.some((wanted) => kind === wanted || kind.startsWith(`${wanted}.`));
}

function workspaceEdit(
  document: TextDocument,
  edits: readonly TextEdit[],
  documentChanges: boolean,
): WorkspaceEdit {
  const lspEdits = edits.map((edit) => ({
    range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) },
    newText: edit.newText,
  }));
  return documentChanges
    ? {
        documentChanges: [
          { textDocument: { uri: document.uri, version: document.version }, edits: lspEdits },
        ],
      }
    : { changes: { [document.uri]: lspEdits } };
}

function listRefactors(
  text: string,
  start: number,
  end: number,
  context: ExternalStoreContext,
): Refactor[] {
  return [
    ...secretConversionsAt(text, start, end),
    ...moveToSecretRefactorsAt(text, start, end),
    ...externalStoreRefactorsAt(text, start, end, context),
  ];
}

/** A finding of that rule on that range already offers the same edit as a quick fix. */
function repeatsQuickFix(refactor: Refactor, findings: readonly Finding[]): boolean {
  const same = refactor.sameAs;
  if (!same) return false;
  return findings.some(
    (finding) =>
      finding.ruleId === same.ruleId &&
      finding.start <= same.end &&
      same.start <= finding.end &&
      (finding.fixes?.length ?? 0) > 0,
  );
}

function baseAction(refactor: Refactor): CodeAction {
  return {
    title: refactor.title,
    kind:
      refactor.kind === 'refactor.extract'
        ? CodeActionKind.RefactorExtract
        : CodeActionKind.RefactorRewrite,
    ...(refactor.message
      ? {
          command: {
            title: 'Show what changed',
            command: NOTIFY_COMMAND,
            arguments: [refactor.message],
          },
        }
      : {}),
  };
}

/** Whether the client resolves code actions' edits lazily. */
function resolvesEdits(capabilities: ClientCapabilities): boolean {
  const codeAction = capabilities.textDocument?.codeAction;
  return (
    codeAction?.dataSupport === true &&
    codeAction.resolveSupport?.properties.includes('edit') === true
  );
}

/** The refactors for the request's range. */
export function provideRefactors(
  document: TextDocument,
  params: CodeActionParams,
  analysis: AnalysisResult,
  capabilities: ClientCapabilities,
  context: ExternalStoreContext = {},
): CodeAction[] {
  if (
    !kindRequested(params, CodeActionKind.RefactorRewrite) &&
    !kindRequested(params, CodeActionKind.RefactorExtract)
  ) {
    return [];
  }
  const start = document.offsetAt(params.range.start);
  const end = document.offsetAt(params.range.end);
  const documentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  // Small documents get their edits at once (a few milliseconds), so that only refactors
  // that apply are listed; larger ones are resolved when picked.
  const lazy = resolvesEdits(capabilities) && document.getText().length > EAGER_EDITS_LIMIT;
  const actions: CodeAction[] = [];
  for (const refactor of listRefactors(document.getText(), start, end, context)) {
    if (repeatsQuickFix(refactor, analysis.findings)) continue;
    const action = baseAction(refactor);
    if (!kindRequested(params, action.kind ?? '')) continue;
    if (lazy) {
      const data: RefactorData = {
        secretGuardRefactor: {
          uri: document.uri,
          version: document.version,
          start,
          end,
          title: refactor.title,
        },
      };
      actions.push({ ...action, data });
      continue;
    }
    const edits = refactor.edits();
    if (!edits || edits.length === 0) continue;
    actions.push({ ...action, edit: workspaceEdit(document, edits, documentChanges) });
  }
  return actions;
}

/**
 * `codeAction/resolve`: the edit of a refactor listed without one, rebuilt from the document's
 * current text. A document that changed meanwhile (another version) gets no edit.
 */
export function resolveRefactor(
  action: CodeAction,
  documents: TextDocuments<TextDocument>,
  capabilities: ClientCapabilities,
  context: (document: TextDocument) => ExternalStoreContext = () => ({}),
): CodeAction {
  const data = (action.data as Partial<RefactorData> | undefined)?.secretGuardRefactor;
  if (!data) return action;
  const document = documents.get(data.uri);
  if (!document || document.version !== data.version) return action;
  const refactor = listRefactors(document.getText(), data.start, data.end, context(document)).find(
    (candidate) => candidate.title === data.title,
  );
  const edits = refactor?.edits();
  if (!edits || edits.length === 0) return action;
  const documentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  return { ...action, edit: workspaceEdit(document, edits, documentChanges) };
}

function sameFinding(diagnostic: Diagnostic, document: TextDocument, finding: Finding): boolean {
  return (
    diagnostic.code === finding.ruleId &&
    document.offsetAt(diagnostic.range.start) === finding.start &&
    document.offsetAt(diagnostic.range.end) === finding.end
  );
}

/** "Disable <rule> for this line / this document" for each finding in the request's range. */
export function provideSuppressions(
  document: TextDocument,
  params: CodeActionParams,
  analysis: AnalysisResult,
  capabilities: ClientCapabilities,
): CodeAction[] {
  if (!kindRequested(params, CodeActionKind.QuickFix)) return [];
  const text = document.getText();
  const start = document.offsetAt(params.range.start);
  const end = document.offsetAt(params.range.end);
  const documentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  const actions: CodeAction[] = [];
  for (const finding of analysis.findings) {
    if (finding.end < start || finding.start > end) continue;
    const diagnostic =
      params.context.diagnostics.find((given) => sameFinding(given, document, finding)) ??
      toDiagnostic(document, finding);
    for (const fix of suppressionFixes(text, finding)) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: workspaceEdit(document, fix.edits, documentChanges),
      });
    }
  }
  return actions;
}
