/**
 * The shared corpus of real manifests (`../shared/corpus` beside the repository: about 600 files
 * from public projects, described by its SOURCES.md and INDEX.json) and what the corpus tests
 * need from it: one run of the built CLI over all of it, and the findings in a form that does
 * not depend on the machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { CLI_BIN, REPO_ROOT } from '../helpers/paths';

/** Where the corpus is: beside the clone, in CI as on a developer's machine. */
export const CORPUS_ROOT = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

/**
 * The corpus root, or an error that says what is missing. The corpus tests never skip: a run
 * without the corpus would pass while checking nothing.
 */
export function requireCorpus(): string {
  for (const name of ['INDEX.json', 'LABELS.json']) {
    if (!existsSync(path.join(CORPUS_ROOT, name))) {
      throw new Error(
        `The corpus tests need the shared corpus at ${CORPUS_ROOT} (../shared/corpus from the ` +
          `repository root), but ${name} is not there. Put the corpus beside the clone; ` +
          'these tests fail rather than skip.',
      );
    }
  }
  return CORPUS_ROOT;
}

/**
 * Rules whose findings depend on whether the files sit in a git work tree, which differs
 * between a developer's machine and CI. The CLI run leaves them off; the snapshot covers them
 * with the git status fixed instead (see corpus.test.ts).
 */
export const GIT_DEPENDENT_RULES: readonly string[] = [
  'plaintext-in-repo',
  'encryption-key-in-repo',
  'decrypted-leftover',
];

/** One finding, located by the corpus-relative path of its file (always with `/`). */
export interface CorpusFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  severity: string;
  message: string;
}

export interface CorpusRun {
  status: number | null;
  stderr: string;
  /** Corpus-relative paths of the files the CLI reported on, in its order. */
  files: string[];
  findings: CorpusFinding[];
  milliseconds: number;
}

interface JsonReport {
  filePath: string;
  messages: Omit<CorpusFinding, 'file'>[];
}

/** A path relative to the corpus root, with `/` whatever the platform. */
export function corpusRelative(file: string): string {
  const relative = path.isAbsolute(file) ? path.relative(CORPUS_ROOT, file) : file;
  return relative.split(path.sep).join('/');
}

/**
 * Runs the built CLI once over the whole corpus, from the corpus root (so that reported paths
 * are relative to it), with the git-dependent rules off.
 */
export function runCliOverCorpus(): CorpusRun {
  const root = requireCorpus();
  const rules = GIT_DEPENDENT_RULES.flatMap((id) => ['--rule', `${id}=off`]);
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    [CLI_BIN, 'check', '--format', 'json', ...rules, '.'],
    { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const milliseconds = Number((process.hrtime.bigint() - started) / 1_000_000n);
  if (result.error) throw result.error;
  let reports: JsonReport[];
  try {
    reports = JSON.parse(result.stdout) as JsonReport[];
  } catch {
    throw new Error(
      `the CLI did not print JSON (exit ${result.status}); stderr: ${result.stderr.slice(0, 2000)}`,
    );
  }
  const files = reports.map((report) => corpusRelative(report.filePath));
  const findings = reports.flatMap((report) =>
    report.messages.map((message) => toCorpusFinding(corpusRelative(report.filePath), message)),
  );
  return {
    status: result.status,
    stderr: result.stderr,
    files,
    findings: sortFindings(findings),
    milliseconds,
  };
}

/** A finding with its keys in a fixed order, so that its JSON is stable. */
export function toCorpusFinding(file: string, message: Omit<CorpusFinding, 'file'>): CorpusFinding {
  return {
    file,
    line: message.line,
    column: message.column,
    endLine: message.endLine,
    endColumn: message.endColumn,
    ruleId: message.ruleId,
    severity: message.severity,
    message: message.message,
  };
}

/** By file, then position, then rule id and message: an order independent of rule order. */
export function sortFindings(findings: readonly CorpusFinding[]): CorpusFinding[] {
  const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.endLine - b.endLine ||
      a.endColumn - b.endColumn ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.message, b.message),
  );
}

/** One labelled case of LABELS.json: what a peer tool expects of one object. */
export interface PeerLabel {
  file: string;
  /** 0-based among the non-empty YAML documents (PyYAML `safe_load_all` order). */
  doc_index?: number | null;
  /** `Kind/name` (`EncryptionConfiguration/` when unnamed). */
  object: string;
  peer: string;
  check: string;
  check_name?: string;
  expected: 'pass' | 'fail';
  note: string;
  /** trivy-checks only: the path of a block scalar holding the example, e.g. `kubernetes.bad[0]`. */
  embedded?: string;
}

export function readLabels(): PeerLabel[] {
  return JSON.parse(readFileSync(path.join(requireCorpus(), 'LABELS.json'), 'utf8')) as PeerLabel[];
}

/** The files INDEX.json lists, corpus-relative. */
export function readIndexedFiles(): string[] {
  const index = JSON.parse(readFileSync(path.join(requireCorpus(), 'INDEX.json'), 'utf8')) as {
    file: string;
  }[];
  return index.map((entry) => entry.file);
}

/** Every YAML and JSON file under `directory` (the corpus, `large/` included), in name order. */
export function* corpusManifestFiles(directory = requireCorpus()): Generator<string> {
  for (const name of readdirSync(directory).sort()) {
    const file = path.join(directory, name);
    if (statSync(file).isDirectory()) yield* corpusManifestFiles(file);
    else if (/\.(?:ya?ml|json)$/i.test(name)) yield file;
  }
}

/** When set (`npm run test:update-snapshots`), the corpus tests rewrite what they compare with. */
export const UPDATE_SNAPSHOTS = process.env.UPDATE_SNAPSHOTS === '1';
