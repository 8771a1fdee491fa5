/** Core findings to LSP diagnostics. */
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocUrl } from '../core/docs-url';
import type { Finding, Severity } from '../core/types';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'secret-guard';

/**
 * A finding as a diagnostic. Nothing beyond what an editor shows: a keystroke in a large file
 * republishes every diagnostic of the file, and code actions rebuild their fixes from the
 * current text, not from what a diagnostic carries.
 */
export function toDiagnostic(document: TextDocument, finding: Finding): Diagnostic {
  return {
    range: { start: document.positionAt(finding.start), end: document.positionAt(finding.end) },
    severity: SEVERITIES[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
}
