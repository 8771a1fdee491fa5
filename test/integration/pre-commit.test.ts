/**
 * The pre-commit hook (`.pre-commit-hooks.yaml`) as a user meets it: pre-commit (Debian's)
 * installs this repository with npm (its `prepare` script builds dist/), then runs
 * `secret-guard check` on the staged manifests. Needs `pre-commit` and the npm registry:
 * `npm run test:integration` (scripts/integration-setup.sh installs pre-commit with apt).
 *
 * The repository under test is a snapshot of this working tree (tracked files and new ones
 * that git does not ignore), committed into a temporary repository, so that the hook is tried
 * as it is now, not as of the last commit.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../helpers/paths';

const BAD = readFileSync(join(REPO_ROOT, 'examples', 'secrets', 'database-bad.yaml'), 'utf8');
const GOOD = readFileSync(join(REPO_ROOT, 'examples', 'secrets', 'database-good.yaml'), 'utf8');

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 10 * 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function git(cwd: string, ...args: string[]): string {
  const result = run(
    'git',
    ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args],
    cwd,
  );
  assert.equal(result.status, 0, result.output);
  return result.output.trim();
}

/** A git repository holding this working tree's files, committed; returns its path. */
function snapshotOfWorkingTree(into: string): string {
  const files = git(REPO_ROOT, 'ls-files', '--cached', '--others', '--exclude-standard', '-z')
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    const target = join(into, file);
    mkdirSync(dirname(target), { recursive: true });
    try {
      copyFileSync(join(REPO_ROOT, file), target);
    } catch {
      // Deleted in the working tree but still in the index: it is not part of the snapshot.
    }
  }
  git(into, 'init', '-q');
  git(into, 'add', '-A');
  git(into, 'commit', '-q', '-m', 'snapshot');
  return into;
}

/** A user's repository with the given files committed. */
function userRepository(into: string, files: Record<string, string>): string {
  mkdirSync(into, { recursive: true });
  git(into, 'init', '-q');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(into, name), text);
  git(into, 'add', '-A');
  git(into, 'commit', '-q', '-m', 'manifests');
  return into;
}

describe('pre-commit hook', { timeout: 20 * 60_000 }, () => {
  let root: string;
  let hookRepository: string;
  // Installed hook environments live here, not in the user's ~/.cache/pre-commit.
  let env: NodeJS.ProcessEnv;

  before(() => {
    const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
    assert.equal(
      version.status,
      0,
      'pre-commit is not installed: run scripts/integration-setup.sh (npm run test:integration does)',
    );
    root = mkdtempSync(join(tmpdir(), 'secret-guard-pre-commit-'));
    hookRepository = snapshotOfWorkingTree(join(root, 'hook'));
    env = { PRE_COMMIT_HOME: join(root, 'cache'), NO_COLOR: '1' };
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  test('try-repo: a bad Secret fails the hook with its finding', () => {
    const user = userRepository(join(root, 'user-bad'), { 'db-secret.yaml': BAD });
    const result = run(
      'pre-commit',
      ['try-repo', hookRepository, 'secret-guard', '--all-files', '--color', 'never'],
      user,
      env,
    );
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /Secret Guard for Kubernetes\.+Failed/);
    assert.match(
      result.output,
      /db-secret\.yaml:\d+:\d+ {2}error {2}data\.password is not valid base64: missing padding.* {2}invalid-base64/,
    );
    // The hook prints findings, never a value of the file.
    assert.doesNotMatch(result.output, /czNjcjN0LXBhc3M/);
  });

  test('configured in .pre-commit-config.yaml: a clean manifest passes, a bad one fails', () => {
    const rev = git(hookRepository, 'rev-parse', 'HEAD');
    const config = [
      'repos:',
      `  - repo: ${hookRepository}`,
      `    rev: ${rev}`,
      '    hooks:',
      '      - id: secret-guard',
      '',
    ].join('\n');
    const user = userRepository(join(root, 'user'), {
      '.pre-commit-config.yaml': config,
      'db-secret.yaml': GOOD,
    });
    const clean = run('pre-commit', ['run', '--all-files', '--color', 'never'], user, env);
    assert.equal(clean.status, 0, clean.output);
    assert.match(clean.output, /Secret Guard for Kubernetes\.+Passed/);

    writeFileSync(join(user, 'db-secret.yaml'), BAD);
    git(user, 'add', '-A');
    const bad = run('pre-commit', ['run', '--color', 'never'], user, env);
    assert.equal(bad.status, 1, bad.output);
    assert.match(bad.output, /invalid-base64/);
  });
});
