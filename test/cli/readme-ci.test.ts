/**
 * The README's CI section stays true: its GitHub Actions workflow is parsed, its check step's
 * command is run as written against a fixture and the SARIF it writes is validated against the
 * SARIF 2.1.0 schema; its pre-commit and `.secret-guard.yaml` examples are checked against the
 * hook definition and the configuration parser.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { parse } from 'yaml';
import { parseProjectConfig } from '../../server/src/core/project-config';
import { FIXTURES, REPO_ROOT } from '../helpers/paths';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

interface Workflow {
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

/** The fenced `yaml` blocks of the README's "## CI" section. */
function ciYamlBlocks(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## CI\n');
  assert.notEqual(start, -1, 'the README has no "## CI" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

function block(containing: string): string {
  const found = ciYamlBlocks().find((text) => text.includes(containing));
  assert.ok(found, `no yaml block with ${containing} in the README's CI section`);
  return found;
}

/** `owner/name` of the repository package.json declares. */
function declaredRepository(): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    repository: { url: string };
  };
  const match = /github\.com\/([^/]+\/[^/.]+)/.exec(manifest.repository.url);
  assert.ok(match?.[1]);
  return match[1];
}

describe("the README's GitHub Actions workflow", () => {
  const workflow = parse(block('upload-sarif')) as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const check = steps.find((step) => step.run?.includes('secret-guard check'));
  const upload = steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
  let fixture: string;

  before(() => {
    // A repository to scan, with the package installed as the workflow's install step does.
    fixture = mkdtempSync(join(tmpdir(), 'secret-guard-readme-ci-'));
    mkdirSync(join(fixture, 'deploy'));
    copyFileSync(
      join(REPO_ROOT, 'examples', 'secrets', 'database-bad.yaml'),
      join(fixture, 'deploy', 'database-bad.yaml'),
    );
    copyFileSync(
      join(REPO_ROOT, 'examples', 'workloads', 'api-deployment-bad.yaml'),
      join(fixture, 'deploy', 'api-deployment-bad.yaml'),
    );
    mkdirSync(join(fixture, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(REPO_ROOT, join(fixture, 'node_modules', 'k8s-secret-guard'), 'dir');
    symlinkSync(
      join('..', 'k8s-secret-guard', 'bin', 'secret-guard.js'),
      join(fixture, 'node_modules', '.bin', 'secret-guard'),
    );
  });

  after(() => rmSync(fixture, { recursive: true, force: true }));

  test('installs this repository, checks with SARIF output and uploads that file', () => {
    assert.equal(workflow.permissions?.['security-events'], 'write');
    const install = steps.find((step) => step.run?.startsWith('npm install'));
    assert.ok(install?.run?.includes(`github:${declaredRepository()}`), install?.run);
    assert.ok(check?.run);
    const output = /^npx secret-guard check --format sarif \. > (\S+)$/.exec(check.run.trim());
    assert.ok(output, check.run);
    assert.ok(upload);
    assert.equal(upload.with?.sarif_file, output[1]);
    // The check fails the job on findings; the upload must run all the same.
    assert.equal(upload.if?.replace(/\s*#.*$/, ''), 'always()');
  });

  test("the check step's command, run as written, writes valid SARIF 2.1.0", () => {
    assert.ok(check?.run);
    const result = spawnSync('sh', ['-c', check.run], {
      cwd: fixture,
      encoding: 'utf8',
      // npx must find the installed bin, never download one.
      env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    });
    // Exit 1: findings at or above --fail-on (error), as the bad examples hold.
    assert.equal(result.status, 1, result.stderr);
    const sarifPath = join(fixture, 'results.sarif');
    assert.ok(existsSync(sarifPath));
    const text = readFileSync(sarifPath, 'utf8');
    const log = JSON.parse(text) as {
      version: string;
      runs: { results: { ruleId: string; locations: unknown[] }[] }[];
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
    const ruleIds = new Set(log.runs[0]?.results.map((result) => result.ruleId));
    assert.ok(ruleIds.has('invalid-base64'), [...ruleIds].join(', '));
    assert.ok(ruleIds.has('secret-in-env'), [...ruleIds].join(', '));
    // node_modules is skipped: only the fixture's own manifests are reported.
    assert.ok(!text.includes('node_modules'));
    assert.ok(!text.includes('czNjcjN0LXBhc3M'), 'SARIF leaks a value');
  });
});

describe("the README's pre-commit and .secret-guard.yaml examples", () => {
  test('the pre-commit configuration names this repository and its hook', () => {
    const config = parse(block('repos:')) as {
      repos: { repo: string; hooks: { id: string }[] }[];
    };
    const hooks = parse(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
      id: string;
      language: string;
      entry: string;
    }[];
    const [repo] = config.repos;
    assert.ok(repo);
    assert.equal(repo.repo, `https://github.com/${declaredRepository()}`);
    assert.deepEqual(
      repo.hooks.map((hook) => hook.id),
      hooks.map((hook) => hook.id),
    );
    assert.equal(hooks[0]?.entry, 'secret-guard check');
  });

  test('the .secret-guard.yaml example is valid', () => {
    const result = parseProjectConfig(block('ignore:'));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.deepEqual(result.config.rules, { 'secret-in-env': 'warning', 'weak-credential': 'off' });
    assert.ok(result.config.isIgnored('charts/app/templates/secret.yaml'));
    assert.ok(result.config.isIgnored('deploy/db.dec.yaml'));
    assert.ok(!result.config.isIgnored('deploy/db.yaml'));
  });
});
