import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { runCli } from '../../server/src/cli';
import type { CliIo } from '../../server/src/cli';
import { CLI_BIN, FIXTURES } from '../helpers/paths';

function run(
  args: string[],
  cwd: string,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_BIN, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const BAD =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aGVs bG8=\n  user: YWRtaW4=\n';
const ENV =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      envFrom:\n        - secretRef: {name: db}\n';

describe('SARIF and .secret-guard.yaml', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'secret-guard-sarif-'));
    mkdirSync(join(dir, 'deploy', 'legacy'), { recursive: true });
    writeFileSync(join(dir, 'deploy', 'bad secret.yaml'), BAD);
    writeFileSync(join(dir, 'deploy', 'env.yaml'), ENV);
    writeFileSync(join(dir, 'deploy', 'legacy', 'old.yaml'), BAD);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--format sarif is valid SARIF 2.1.0 with helpUri rules and no value', () => {
    const result = run(['check', '--format', 'sarif', 'deploy'], dir);
    assert.equal(result.status, 1, result.stderr);
    const log = JSON.parse(result.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; helpUri: string }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> };
          }[];
        }[];
      }[];
    };
    const schema = JSON.parse(
      readFileSync(join(FIXTURES, 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({
      strict: false,
      allErrors: true,
      unicodeRegExp: false,
      logger: false,
    }).compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run0 = log.runs[0];
    assert.ok(run0);
    for (const rule of run0.tool.driver.rules) {
      assert.match(rule.helpUri, new RegExp(`/docs/rules/${rule.id}\\.md$`));
    }
    const invalid = run0.results.find((r) => r.ruleId === 'invalid-base64');
    assert.ok(invalid);
    assert.equal(run0.tool.driver.rules[invalid.ruleIndex]?.id, 'invalid-base64');
    assert.equal(invalid.level, 'error');
    assert.deepEqual(
      invalid.locations[0]?.physicalLocation.artifactLocation.uri,
      'deploy/bad%20secret.yaml',
    );
    assert.deepEqual(invalid.locations[0]?.physicalLocation.region, {
      startLine: 6,
      startColumn: 13,
      endLine: 6,
      endColumn: 22,
    });
    assert.ok(run0.results.some((r) => r.ruleId === 'secret-in-env' && r.level === 'note'));
    for (const value of ['aGVs bG8=', 'YWRtaW4=', 'admin', 'hello']) {
      assert.ok(!result.stdout.includes(value), `SARIF leaks ${value}`);
    }
  });

  test('.secret-guard.yaml sets levels and ignores files; --rule wins over it', () => {
    writeFileSync(
      join(dir, '.secret-guard.yaml'),
      'rules:\n  secret-in-env: error\n  invalid-base64: off\nignore:\n  - legacy/\n',
    );
    try {
      const result = run(['check', '--format', 'json', 'deploy'], dir);
      const reports = JSON.parse(result.stdout) as {
        filePath: string;
        messages: { ruleId: string; severity: string }[];
      }[];
      assert.deepEqual(
        reports.map((r) => r.filePath),
        ['deploy/bad secret.yaml', 'deploy/env.yaml'],
      );
      assert.deepEqual(
        reports[0]?.messages.filter((m) => m.ruleId === 'invalid-base64'),
        [],
      );
      assert.deepEqual(
        reports[1]?.messages.map((m) => `${m.ruleId}=${m.severity}`),
        ['secret-in-env=error'],
      );
      assert.equal(result.status, 1);
      assert.equal(
        run(['check', '--rule', 'secret-in-env=info', 'deploy/env.yaml'], dir).status,
        0,
      );
    } finally {
      rmSync(join(dir, '.secret-guard.yaml'));
    }
  });

  test('a broken .secret-guard.yaml is a usage error naming the file, line and column', () => {
    writeFileSync(join(dir, '.secret-guard.yaml'), 'rules:\n  no-such-rule: error\n');
    try {
      const result = run(['check', 'deploy'], dir);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /\.secret-guard\.yaml:2:3: unknown rule id: no-such-rule\n/);
    } finally {
      rmSync(join(dir, '.secret-guard.yaml'));
    }
  });

  test('colour only on a terminal; progress on stderr only on a terminal with many files', () => {
    const capture = (overrides: Partial<CliIo>) => {
      let out = '';
      let err = '';
      const io: CliIo = {
        out: (text) => (out += text),
        err: (text) => (err += text),
        stdoutIsTTY: false,
        stderrIsTTY: false,
        noColor: false,
        ...overrides,
      };
      const status = runCli(['check', join(dir, 'deploy')], io);
      return { status, out, err };
    };
    const plain = capture({});
    assert.ok(!plain.out.includes('\x1b['), 'no escape codes in a pipe');
    const tty = capture({ stdoutIsTTY: true });
    assert.ok(tty.out.includes('\x1b[31merror\x1b[0m'), 'errors are red on a terminal');
    const noColor = capture({ stdoutIsTTY: true, noColor: true });
    assert.ok(!noColor.out.includes('\x1b['), 'NO_COLOR is honoured');
    assert.equal(capture({ stderrIsTTY: true }).err, '', 'no progress line for a few files');
  });
});
