import type { Hover, HoverParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverAt } from '../core/hover';
import type { HoverContext } from '../core/hover';
import type { Settings } from '../core/settings';

export function provideHover(
  document: TextDocument,
  params: HoverParams,
  settings: Settings,
  context: HoverContext = {},
): Hover | null {
  const result = hoverAt(
    document.getText(),
    document.offsetAt(params.position),
    settings.reveal,
    context,
  );
  if (!result) return null;
  return {
    contents: { kind: 'markdown', value: result.markdown },
    range: { start: document.positionAt(result.start), end: document.positionAt(result.end) },
  };
}
