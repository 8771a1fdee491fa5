/** CLI output formats. Messages come from the core and never hold a value. */
import type { Severity } from '../core/types';

export interface ReportMessage {
  ruleId: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One analysed file, ESLint-shaped (INTERFACES.md). */
export interface FileReport {
  filePath: string;
  messages: ReportMessage[];
}

export function formatJson(reports: readonly FileReport[]): string {
  return `${JSON.stringify(reports, null, 2)}\n`;
}

/** `path:line:column  severity  message  rule-id` per finding, then a summary line. */
export function formatText(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let filesWithFindings = 0;
  for (const report of reports) {
    if (report.messages.length > 0) filesWithFindings++;
    for (const message of report.messages) {
      counts[message.severity]++;
      lines.push(
        `${report.filePath}:${message.line}:${message.column}  ${message.severity}  ${message.message}  ${message.ruleId}`,
      );
    }
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info, ${plural(counts.hint, 'hint')}) in ${plural(filesWithFindings, 'file')}; ${plural(reports.length, 'file')} checked`,
  );
  return `${lines.join('\n')}\n`;
}
