/**
 * The built CLI over the whole shared corpus (about 600 real manifests, ../shared/corpus) in
 * one run: it must not crash, must analyse every file, and what fires must match the committed
 * snapshot, so that a change in what the rules find on real files shows in review.
 *
 * Rules that depend on git (plaintext-in-repo, encryption-key-in-repo, decrypted-leftover) are
 * off in the CLI run: whether the corpus sits in a git work tree differs between machines. They
 * are run separately with the core, with a fixed git status ("untracked, not ignored", as if the
 * corpus were a new folder of a repository), and snapshotted too.
 *
 * `npm run test:update-snapshots` (UPDATE_SNAPSHOTS=1) rewrites the snapshot; review its diff.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { lineStartsOf, positionAt } from '../../server/src/core/lines';
import { RULES } from '../../server/src/core/rules';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import type { SeverityLevel } from '../../server/src/core/types';
import { siblingExistsBeside } from '../../server/src/node-workspace';
import { REPO_ROOT } from '../helpers/paths';
import {
  CORPUS_ROOT,
  GIT_DEPENDENT_RULES,
  UPDATE_SNAPSHOTS,
  readIndexedFiles,
  requireCorpus,
  runCliOverCorpus,
  sortFindings,
  toCorpusFinding,
} from './corpus-run';
import type { CorpusFinding, CorpusRun } from './corpus-run';

const SNAPSHOT = path.join(REPO_ROOT, 'test', 'corpus', '__snapshots__', 'corpus-findings.json');

const ABOUT =
  'Findings of `secret-guard check --format json` over ../shared/corpus with the git-dependent ' +
  'rules off (findings), and of those rules alone with the core as if the corpus were an ' +
  'untracked, unignored folder of a git work tree (gitDependentFindings). Written by ' +
  '`npm run test:update-snapshots`; test/corpus/corpus.test.ts compares. Review the diff.';

/** Every manifest file under the corpus, as the CLI's walk should find them, corpus-relative. */
function manifestsOnDisk(folder = CORPUS_ROOT): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return manifestsOnDisk(full);
    return /\.(?:ya?ml|json)$/i.test(name)
      ? [path.relative(CORPUS_ROOT, full).split(path.sep).join('/')]
      : [];
  });
}

/**
 * The git-dependent rules alone, with the core, over the files the CLI checked: each file
 * counts as untracked and not ignored in a work tree rooted at the corpus.
 */
function gitDependentFindings(files: readonly string[]): CorpusFinding[] {
  const rules: Record<string, SeverityLevel> = {};
  for (const rule of RULES) if (!GIT_DEPENDENT_RULES.includes(rule.id)) rules[rule.id] = 'off';
  const findings: CorpusFinding[] = [];
  for (const file of files) {
    const absolute = path.join(CORPUS_ROOT, file);
    const text = readFileSync(absolute, 'utf8');
    const result = analyze({
      text,
      path: absolute,
      git: { state: 'untracked', workTree: CORPUS_ROOT },
      settings: { ...DEFAULT_SETTINGS, rules },
      siblingExists: siblingExistsBeside(absolute),
    });
    assert.deepEqual(result.internalErrors, [], `${file}: a rule threw`);
    const lineStarts = lineStartsOf(text);
    for (const finding of result.findings) {
      const start = positionAt(lineStarts, finding.start);
      const end = positionAt(lineStarts, finding.end);
      findings.push(
        toCorpusFinding(file, {
          line: start.line + 1,
          column: start.character + 1,
          endLine: end.line + 1,
          endColumn: end.character + 1,
          ruleId: finding.ruleId,
          severity: finding.severity,
          message: finding.message,
        }),
      );
    }
  }
  return sortFindings(findings);
}

function countByRule(findings: readonly CorpusFinding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of [...new Set(findings.map((finding) => finding.ruleId))].sort()) {
    counts[id] = findings.filter((finding) => finding.ruleId === id).length;
  }
  return counts;
}

interface Snapshot {
  about: string;
  files: number;
  counts: Record<string, number>;
  findings: CorpusFinding[];
  gitDependentCounts: Record<string, number>;
  gitDependentFindings: CorpusFinding[];
}

/** Pretty JSON with one finding a line, so that a review diff shows findings, not fields. */
function renderSnapshot(snapshot: Snapshot): string {
  const object = (value: Record<string, number>): string =>
    `{\n${Object.entries(value)
      .map(([key, count]) => `    ${JSON.stringify(key)}: ${count}`)
      .join(',\n')}\n  }`;
  const list = (findings: readonly CorpusFinding[]): string =>
    findings.length === 0
      ? '[]'
      : `[\n${findings.map((finding) => `    ${JSON.stringify(finding)}`).join(',\n')}\n  ]`;
  return [
    '{',
    `  "about": ${JSON.stringify(snapshot.about)},`,
    `  "files": ${snapshot.files},`,
    `  "counts": ${object(snapshot.counts)},`,
    `  "findings": ${list(snapshot.findings)},`,
    `  "gitDependentCounts": ${object(snapshot.gitDependentCounts)},`,
    `  "gitDependentFindings": ${list(snapshot.gitDependentFindings)}`,
    '}',
    '',
  ].join('\n');
}

/** The findings that appeared and disappeared, for a readable failure. */
function describeChange(
  name: string,
  before: readonly CorpusFinding[],
  after: readonly CorpusFinding[],
): string {
  const beforeLines = new Set(before.map((finding) => JSON.stringify(finding)));
  const afterLines = new Set(after.map((finding) => JSON.stringify(finding)));
  const added = [...afterLines].filter((line) => !beforeLines.has(line));
  const removed = [...beforeLines].filter((line) => !afterLines.has(line));
  const show = (lines: string[]): string =>
    lines
      .slice(0, 25)
      .map((line) => `    ${line}`)
      .join('\n') + (lines.length > 25 ? `\n    … and ${lines.length - 25} more` : '');
  return [
    `${name} changed: ${added.length} new, ${removed.length} gone.`,
    added.length > 0 ? `  new:\n${show(added)}` : '',
    removed.length > 0 ? `  gone:\n${show(removed)}` : '',
    '  If the change is intended, run `npm run test:update-snapshots` and commit the snapshot.',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

describe('secret-guard check over the shared corpus', () => {
  let run: CorpusRun;
  let actual: Snapshot;
  let actualText: string;

  before(() => {
    requireCorpus();
    run = runCliOverCorpus();
    const gitFindings = gitDependentFindings(run.files);
    actual = {
      about: ABOUT,
      files: run.files.length,
      counts: countByRule(run.findings),
      findings: run.findings,
      gitDependentCounts: countByRule(gitFindings),
      gitDependentFindings: gitFindings,
    };
    actualText = renderSnapshot(actual);
    if (UPDATE_SNAPSHOTS) {
      mkdirSync(path.dirname(SNAPSHOT), { recursive: true });
      writeFileSync(SNAPSHOT, actualText);
    }
  });

  test('one run over the whole corpus: exit 0 or 1, nothing on stderr', (t) => {
    assert.ok(run.status === 0 || run.status === 1, `exit code ${run.status}: ${run.stderr}`);
    assert.equal(run.stderr, '');
    t.diagnostic(
      `${run.files.length} files, ${run.findings.length} findings, ${run.milliseconds} ms; ` +
        `per rule: ${Object.entries(actual.counts)
          .map(([id, count]) => `${id} ${count}`)
          .join(', ')}`,
    );
    t.diagnostic(
      `git-dependent rules, corpus as an untracked folder: ${Object.entries(
        actual.gitDependentCounts,
      )
        .map(([id, count]) => `${id} ${count}`)
        .join(', ')}`,
    );
  });

  test('every corpus file is analysed, once', () => {
    assert.equal(new Set(run.files).size, run.files.length, 'no file is reported twice');
    assert.deepEqual([...run.files].sort(), manifestsOnDisk().sort(), 'the files on disk');
    const reported = new Set(run.files);
    const missing = readIndexedFiles().filter((file) => !reported.has(file));
    assert.deepEqual(missing, [], 'every file of INDEX.json');
  });

  test('no .secret-guard.yaml above the corpus changes what runs', () => {
    // The CLI reads the nearest one up to the git work tree's root; one there would make the
    // snapshot depend on the machine.
    for (let folder = CORPUS_ROOT; ; folder = path.dirname(folder)) {
      assert.ok(
        !existsSync(path.join(folder, '.secret-guard.yaml')),
        `${folder}/.secret-guard.yaml`,
      );
      if (existsSync(path.join(folder, '.git')) || path.dirname(folder) === folder) break;
    }
  });

  test('the findings match the snapshot', () => {
    assert.ok(
      existsSync(SNAPSHOT),
      `${SNAPSHOT} is missing: run \`npm run test:update-snapshots\``,
    );
    const expected = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Snapshot;
    assert.ok(
      expected.files === actual.files,
      `the corpus had ${expected.files} files when the snapshot was written, now ${actual.files}`,
    );
    const changes = [
      describeChange('findings', expected.findings, actual.findings),
      describeChange(
        'gitDependentFindings',
        expected.gitDependentFindings,
        actual.gitDependentFindings,
      ),
    ].filter((change) => !/: 0 new, 0 gone\./.test(change));
    if (changes.length > 0) assert.fail(changes.join('\n'));
    assert.equal(
      readFileSync(SNAPSHOT, 'utf8'),
      actualText,
      'same findings, but the file is not as written: run `npm run test:update-snapshots`',
    );
  });
});
