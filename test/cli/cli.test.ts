import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI_BIN, REPO_ROOT } from '../helpers/paths';

function run(
  args: string[],
  cwd = REPO_ROOT,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_BIN, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonReport {
  filePath: string;
  messages: {
    ruleId: string;
    severity: string;
    message: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
  }[];
}

describe('secret-guard check', () => {
  let dir: string;
  const bad =
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aGVs bG8=\n  user: YWRtaW4=\n';
  const good =
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: "{{ .Values.pw }}"\n';
  const env =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      envFrom:\n        - secretRef: {name: db}\n';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'secret-guard-cli-'));
    mkdirSync(join(dir, 'deploy', 'node_modules'), { recursive: true });
    writeFileSync(join(dir, 'deploy', 'bad.yaml'), bad);
    writeFileSync(join(dir, 'deploy', 'good.yml'), good);
    writeFileSync(
      join(dir, 'deploy', 'pod.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        spec: { containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'db' } }] }] },
      }),
    );
    writeFileSync(join(dir, 'deploy', 'env.yaml'), env);
    writeFileSync(join(dir, 'deploy', 'notes.txt'), bad);
    writeFileSync(join(dir, 'deploy', 'node_modules', 'skipped.yaml'), bad);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('text output: one line a finding, then a summary; exit 1 on an error', () => {
    const result = run(['check', 'deploy'], dir);
    assert.equal(result.status, 1, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(
      lines[0],
      "deploy/bad.yaml:6:13  error  data.password is not valid base64: character 5 is ' ' (a space)  invalid-base64",
    );
    assert.match(
      lines.at(-1) ?? '',
      /^3 problems \(1 error, 0 warnings, 2 info, 0 hints\) in 3 files; 4 files checked$/,
    );
    assert.ok(!result.stdout.includes('skipped.yaml'), 'node_modules is skipped');
    assert.ok(!result.stdout.includes('notes.txt'), 'only manifests are walked');
  });

  test('JSON output: one entry per file analysed, ESLint-shaped', () => {
    const result = run(
      ['check', '--format', 'json', join('deploy', 'bad.yaml'), join('deploy', 'good.yml')],
      dir,
    );
    assert.equal(result.status, 1);
    const reports = JSON.parse(result.stdout) as JsonReport[];
    assert.deepEqual(
      reports.map((r) => r.filePath),
      ['deploy/bad.yaml', 'deploy/good.yml'],
    );
    assert.deepEqual(reports[0]?.messages, [
      {
        ruleId: 'invalid-base64',
        severity: 'error',
        message: "data.password is not valid base64: character 5 is ' ' (a space)",
        line: 6,
        column: 13,
        endLine: 6,
        endColumn: 22,
      },
    ]);
    assert.deepEqual(reports[1]?.messages, []);
  });

  test('--fail-on and --rule decide the exit code', () => {
    assert.equal(run(['check', 'deploy/env.yaml'], dir).status, 0);
    assert.equal(run(['check', '--fail-on', 'info', 'deploy/env.yaml'], dir).status, 1);
    assert.equal(run(['check', '--fail-on=warning', 'deploy/env.yaml'], dir).status, 0);
    assert.equal(run(['check', '--rule', 'secret-in-env=error', 'deploy/env.yaml'], dir).status, 1);
    const off = run(
      ['check', '--format', 'json', '--rule', 'invalid-base64=off', 'deploy/bad.yaml'],
      dir,
    );
    assert.equal(off.status, 0);
    assert.deepEqual((JSON.parse(off.stdout) as JsonReport[])[0]?.messages, []);
  });

  test('usage errors exit 2 with a one-line reason', () => {
    for (const args of [
      ['check', 'does-not-exist.yaml'],
      ['check'],
      ['lint', 'deploy'],
      ['check', '--format', 'xml', 'deploy'],
      ['check', '--rule', 'no-such-rule=off', 'deploy'],
      ['check', '--rule', 'invalid-base64=loud', 'deploy'],
      ['check', '--fail-on', 'fatal', 'deploy'],
      ['check', '--bogus', 'deploy'],
    ]) {
      const result = run(args, dir);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^secret-guard: .+\n/);
    }
  });

  test('--help and --version exit 0', () => {
    assert.match(run(['--help']).stdout, /usage: secret-guard check/);
    assert.match(run(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
  });

  test('no output holds a value, raw or decoded', () => {
    const outputs = [
      run(['check', 'deploy'], dir),
      run(['check', '--format', 'json', 'deploy'], dir),
    ];
    for (const output of outputs) {
      for (const value of ['aGVs bG8=', 'aGVsbG8', 'hello', 'YWRtaW4=', 'admin']) {
        assert.ok(!output.stdout.includes(value), `stdout leaks ${value}`);
        assert.ok(!output.stderr.includes(value), `stderr leaks ${value}`);
      }
    }
  });
});
