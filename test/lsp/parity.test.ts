/** The editor and the CLI report the same findings for every example. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TestLspClient } from '../helpers/lsp-client';
import { CLI_BIN, REPO_ROOT } from '../helpers/paths';

interface CliMessage {
  ruleId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

let client: TestLspClient;
before(async () => {
  client = await TestLspClient.start({ rootUri: pathToFileURL(REPO_ROOT).href });
});
after(async () => {
  await client.stop();
});

test('CLI JSON and LSP diagnostics agree on every example file', async () => {
  const result = spawnSync(process.execPath, [CLI_BIN, 'check', '--format', 'json', 'examples'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  const reports = JSON.parse(result.stdout) as { filePath: string; messages: CliMessage[] }[];
  assert.ok(reports.length >= 7);
  for (const report of reports) {
    const path = join(REPO_ROOT, report.filePath);
    const uri = pathToFileURL(path).href;
    await client.open(uri, readFileSync(path, 'utf8'), path.endsWith('.json') ? 'json' : 'yaml');
    const diagnostics = await client.diagnostics(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => ({
        ruleId: d.code,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        message: d.message,
      })),
      report.messages.map(({ ruleId, line, column, endLine, endColumn, message }) => ({
        ruleId,
        line,
        column,
        endLine,
        endColumn,
        message,
      })),
      report.filePath,
    );
  }
});

test('examples named *-bad fire and *-good stay silent', () => {
  const result = spawnSync(process.execPath, [CLI_BIN, 'check', '--format', 'json', 'examples'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const reports = JSON.parse(result.stdout) as { filePath: string; messages: CliMessage[] }[];
  for (const report of reports) {
    if (/-bad\.\w+$/.test(report.filePath)) assert.ok(report.messages.length > 0, report.filePath);
    if (/-good\.\w+$/.test(report.filePath)) assert.deepEqual(report.messages, [], report.filePath);
  }
});
