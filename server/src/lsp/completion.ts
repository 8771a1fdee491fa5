/**
 * `textDocument/completion`: Secret types, the keys a typed Secret requires, and the names and
 * keys of the Secrets known in the workspace where a pod spec refers to one (core/completion.ts).
 */
import { CompletionItemKind } from 'vscode-languageserver/node';
import type { CompletionItem, CompletionParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { completionsAt } from '../core/completion';
import type { IndexedSecret } from '../core/secret-index';
import { pathOfUri } from './uri';

const KINDS = {
  value: CompletionItemKind.EnumMember,
  key: CompletionItemKind.Property,
  reference: CompletionItemKind.Reference,
} as const;

export function provideCompletion(
  document: TextDocument,
  params: CompletionParams,
  workspaceSecrets: () => readonly IndexedSecret[],
): CompletionItem[] {
  const path = pathOfUri(document.uri);
  const result = completionsAt(document.getText(), document.offsetAt(params.position), {
    ...(path !== undefined ? { path } : {}),
    workspaceSecrets,
  });
  if (!result) return [];
  const range = { start: document.positionAt(result.start), end: document.positionAt(result.end) };
  return result.items.map((item, index) => ({
    label: item.label,
    kind: KINDS[item.kind],
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.documentation
      ? { documentation: { kind: 'markdown', value: item.documentation } }
      : {}),
    // Keep the order given (required keys first, types in the order Kubernetes lists them).
    sortText: String(index).padStart(4, '0'),
    textEdit: { range, newText: item.insertText ?? item.label },
  }));
}
