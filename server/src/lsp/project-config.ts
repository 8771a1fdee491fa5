/**
 * `.secret-guard.yaml` in the editor: the same file the CLI reads (rule levels and ignored
 * files, see `core/project-config.ts`). Its mistakes are published as diagnostics on it, so a
 * typo in a rule id is seen where it is made rather than silently changing nothing.
 */
import { basename } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { PROJECT_CONFIG_FILE, parseProjectConfig } from '../core/project-config';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { pathOfUri } from './uri';

/** The glob to watch so that a configuration changed outside the editor applies at once. */
export const PROJECT_CONFIG_GLOB = `**/${PROJECT_CONFIG_FILE}`;

/** Whether the document is a `.secret-guard.yaml` on disk. */
export function isProjectConfigUri(uri: string): boolean {
  const path = pathOfUri(uri);
  return path !== undefined && basename(path) === PROJECT_CONFIG_FILE;
}

/** The mistakes in a configuration file's current text, as diagnostics on it. */
export function projectConfigDiagnostics(document: TextDocument): Diagnostic[] {
  const result = parseProjectConfig(document.getText());
  if (result.ok) return [];
  return result.errors.map((error) => ({
    range: { start: document.positionAt(error.start), end: document.positionAt(error.end) },
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    message: `${PROJECT_CONFIG_FILE}: ${error.message}`,
  }));
}
