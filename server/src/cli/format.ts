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

const COLORS: Record<Severity, string> = {
  error: '\x1b[31m',
  warning: '\x1b[33m',
  info: '\x1b[36m',
  hint: '\x1b[2m',
};
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/**
 * `path:line:column  severity  message  rule-id` per finding (a line editors and terminals
 * turn into a link), files in the order checked, then a summary line. With `color` (a
 * terminal), severities are coloured and a blank line separates files.
 */
export function formatText(
  reports: readonly FileReport[],
  options: { color?: boolean } = {},
): string {
  const color = options.color === true;
  const paint = (code: string, text: string): string => (color ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let filesWithFindings = 0;
  for (const report of reports) {
    if (report.messages.length === 0) continue;
    if (color && filesWithFindings > 0) lines.push('');
    filesWithFindings++;
    for (const message of report.messages) {
      counts[message.severity]++;
      const location = `${report.filePath}:${message.line}:${message.column}`;
      lines.push(
        `${paint(BOLD, location)}  ${paint(COLORS[message.severity], message.severity)}  ${message.message}  ${paint(DIM, message.ruleId)}`,
      );
    }
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (color && lines.length > 0) lines.push('');
  lines.push(
    `${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info, ${plural(counts.hint, 'hint')}) in ${plural(filesWithFindings, 'file')}; ${plural(reports.length, 'file')} checked`,
  );
  return `${lines.join('\n')}\n`;
}
