/**
 * The CLI against resource bombs (bounded time and a 512 MB heap, one `analysis-limit` error
 * per file it could not check, the other files checked as usual), and the rule that the
 * server and the CLI never start a process: a static check of the sources, and the guard
 * (test/helpers/no-child-process.js) proved active in the CLI's process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BOMBS } from '../helpers/bombs';
import {
  CHILD_PROCESS_MARKER,
  CLI_BIN,
  NO_CHILD_PROCESS_PRELOAD,
  REPO_ROOT,
} from '../helpers/paths';

/** A generous watchdog, not a timing assertion: the whole run takes seconds. */
const WATCHDOG_MS = 180_000;

function runCli(
  args: string[],
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } {
  return spawnSync(
    process.execPath,
    [
      '--require',
      NO_CHILD_PROCESS_PRELOAD,
      '--max-old-space-size=512',
      ...nodeArgs,
      CLI_BIN,
      ...args,
    ],
    {
      encoding: 'utf8',
      timeout: WATCHDOG_MS,
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, ...env },
    },
  ) as ReturnType<typeof spawnSync> & { stdout: string; stderr: string };
}

interface JsonReport {
  filePath: string;
  messages: { ruleId: string; message: string }[];
}

describe('secret-guard check on resource bombs', () => {
  let folder: string;
  const files = new Map<string, string>();
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'secret-guard-bombs-'));
    BOMBS.forEach((bomb, index) => {
      const file = join(folder, `bomb-${String(index).padStart(2, '0')}.yaml`);
      writeFileSync(file, bomb.text(), bomb.name.startsWith('a binary') ? 'latin1' : 'utf8');
      files.set(file, bomb.name);
    });
    writeFileSync(
      join(folder, 'normal.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aGVs bG8=\n',
    );
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('every bomb past a limit is an analysis-limit error; every other file is checked', () => {
    const result = runCli(['check', '--format', 'json', folder]);
    assert.equal(result.error, undefined, 'the CLI finished within the watchdog');
    assert.equal(result.stderr, '', 'no internal error, no crash');
    assert.equal(result.status, 1);
    const reports = JSON.parse(result.stdout) as JsonReport[];
    for (const [file, name] of files) {
      const bomb = BOMBS.find((b) => b.name === name);
      const report = reports.find((r) => join(r.filePath) === file);
      assert.ok(report, `${name} was reported on`);
      const limits = report.messages.filter((m) => m.ruleId === 'analysis-limit');
      assert.equal(limits.length, bomb?.outcome === 'refused' ? 1 : 0, name);
    }
    const normal = reports.find((r) => r.filePath.endsWith('normal.yaml'));
    assert.deepEqual(
      normal?.messages.map((m) => m.ruleId),
      ['invalid-base64'],
    );
  });

  test('the text format says why a file was not checked', () => {
    const bomb = [...files].find(([, name]) => name === 'a 50 MB single-line data value')?.[0];
    assert.ok(bomb);
    const result = runCli(['check', bomb]);
    assert.equal(result.status, 1);
    assert.match(
      result.stdout,
      /bomb-\d+\.yaml:1:1 {2}error {2}Secret Guard did not analyse this file: it has 50,000,065 characters, more than the 5,242,880 it analyses {2}analysis-limit/,
    );
  });
});

describe('the server and the CLI never start a process', () => {
  test('no source of the server, the CLI or the core imports child_process', () => {
    const sources = (folder: string): string[] =>
      readdirSync(folder).flatMap((name) => {
        const path = join(folder, name);
        return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
      });
    const offenders = sources(join(REPO_ROOT, 'server', 'src')).filter((file) =>
      /(?:from\s+|require\()\s*['"](?:node:)?child_process['"]|process\.binding\(/.test(
        readFileSync(file, 'utf8'),
      ),
    );
    assert.deepEqual(
      offenders.map((file) => relative(REPO_ROOT, file)),
      [],
    );
  });

  test('the guard refuses and reports a call in the CLI process', () => {
    const folder = mkdtempSync(join(tmpdir(), 'secret-guard-probe-'));
    try {
      const probe = join(folder, 'probe.js');
      writeFileSync(
        probe,
        "try { require('node:child_process').spawnSync('true'); process.stderr.write('SPAWN-ALLOWED\\n'); } catch { process.stderr.write('SPAWN-REFUSED\\n'); }\n",
      );
      // The run's own log of calls (scripts/run-tests.mjs) must not count this deliberate one.
      const result = runCli(['--version'], ['--require', probe], {
        SECRET_GUARD_CHILD_PROCESS_LOG: '',
      });
      assert.match(result.stderr, /SPAWN-REFUSED/);
      assert.ok(result.stderr.includes(CHILD_PROCESS_MARKER));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a CLI run over the examples calls no child_process function', () => {
    const result = runCli(['check', '--format', 'sarif', join(REPO_ROOT, 'examples')]);
    assert.ok(result.status === 0 || result.status === 1, result.stderr);
    assert.ok(!result.stderr.includes(CHILD_PROCESS_MARKER));
  });
});
