/**
 * `textDocument/inlayHint`: decoded `data` values after each value, when the reveal setting is
 * `inline` and values are not masked.
 */
import { InlayHintKind } from 'vscode-languageserver/node';
import type { InlayHint, InlayHintParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { decodedHintsOf } from '../core/inlay-hints';
import type { RevealMode } from '../core/settings';

export function provideInlayHints(
  document: TextDocument,
  params: InlayHintParams,
  reveal: RevealMode,
): InlayHint[] {
  if (reveal !== 'inline') return [];
  const start = document.offsetAt(params.range.start);
  const end = document.offsetAt(params.range.end);
  return decodedHintsOf(document.getText(), start, end).map((hint) => ({
    position: document.positionAt(hint.offset),
    label: hint.label,
    kind: InlayHintKind.Type,
    paddingLeft: true,
    tooltip: `data.${hint.key}, decoded (secretGuard.reveal: inline)`,
  }));
}
