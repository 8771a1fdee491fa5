/**
 * SARIF 2.1.0 output for code-scanning services. Results carry positions and the core's
 * messages only: no snippet, no region text, so no value can leave through SARIF.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPOSITORY_URL, ruleDocUrl } from '../core/docs-url';
import { RULES } from '../core/rules';
import type { Severity } from '../core/types';
import type { FileReport } from './format';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** A path as a SARIF artifact URI: relative paths stay relative (to %SRCROOT%), '/'-separated. */
function artifactUri(filePath: string): string {
  if (isAbsolute(filePath)) return pathToFileURL(filePath).href;
  return filePath
    .split(/[\\/]/)
    .filter((segment) => segment !== '.')
    .map(encodeURIComponent)
    .join('/');
}

/** One SARIF log with one run: every rule in `tool.driver.rules`, one result per finding. */
export function formatSarif(reports: readonly FileReport[], version: string): string {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  const results = reports.flatMap((report) =>
    report.messages.map((message) => {
      const uri = artifactUri(report.filePath);
      return {
        ruleId: message.ruleId,
        ruleIndex: ruleIndex.get(message.ruleId) ?? -1,
        level: LEVELS[message.severity],
        message: { text: message.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: isAbsolute(report.filePath)
                ? { uri }
                : { uri, uriBaseId: '%SRCROOT%' },
              region: {
                startLine: message.line,
                startColumn: message.column,
                endLine: message.endLine,
                endColumn: message.endColumn,
              },
            },
          },
        ],
      };
    }),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secret-guard',
            fullName: 'Secret Guard for Kubernetes',
            version,
            semanticVersion: version,
            informationUri: REPOSITORY_URL,
            rules: RULES.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.summary },
              helpUri: ruleDocUrl(rule.id),
              defaultConfiguration: { level: LEVELS[rule.severity] },
              properties: { tags: ['security', 'kubernetes'] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
