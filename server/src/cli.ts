/**
 * `secret-guard check [options] <path>...`: the CLI adapter. Walks paths, runs the core, and
 * formats findings. Never prints a value: messages come from the core, which never holds one.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze } from './core/analyze';
import { lineStartsOf, positionAt } from './core/lines';
import { GitInspector } from './core/repo';
import { isKnownRuleId } from './core/rules';
import { DEFAULT_SETTINGS, SEVERITY_LEVELS } from './core/settings';
import type { Settings } from './core/settings';
import type { Finding, Severity, SeverityLevel } from './core/types';
import { nodeFileReader } from './node-file-reader';
import { indexSecretsOfFiles, siblingExistsBeside } from './node-workspace';
import { collectFiles, UsageError } from './cli/walk';
import { formatJson, formatText } from './cli/format';
import { formatSarif } from './cli/sarif';
import type { ProjectConfigError } from './core/project-config';
import { ProjectConfigFinder } from './project-config-finder';
import type { FileReport } from './cli/format';
import { SERVER_VERSION } from './lsp/server-info';

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };
const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface CheckOptions {
  paths: string[];
  format: Format;
  failOn: Severity;
  rules: Record<string, SeverityLevel>;
}

const USAGE = `usage: secret-guard check [options] <path>...

Checks Kubernetes manifests (*.yaml, *.yml, *.json; folders are walked) for Secret problems.

options:
  --format text|json|sarif    output format (default: text)
  --rule <id>=<level>         set a rule's level: off, hint, info, warning, error (repeatable)
  --fail-on <severity>        exit 1 when a finding is at or above it (default: error)
  -h, --help                  show this help
  --version                   show the version

A .secret-guard.yaml in a checked folder or above it (up to the git work tree's root)
sets rule levels (rules: {<id>: <level>}) and skips files (ignore: [<gitignore pattern>...]);
--rule wins over it.

exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
            2 usage error, unreadable file or internal error`;

function parseArguments(argv: string[]): CheckOptions | 'help' | 'version' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  if (argv.includes('--version')) return 'version';
  const [command, ...rest] = argv;
  if (command !== 'check') {
    throw new UsageError(
      command === undefined ? 'missing command "check"' : `unknown command "${command}"`,
    );
  }
  const options: CheckOptions = { paths: [], format: 'text', failOn: 'error', rules: {} };
  for (let i = 0; i < rest.length; i++) {
    const argument = rest[i] ?? '';
    const [flag, inlineValue] = argument.startsWith('--')
      ? splitFlag(argument)
      : [argument, undefined];
    const takeValue = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const value = rest[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--format': {
        const format = takeValue();
        if (!(FORMATS as readonly string[]).includes(format)) {
          throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
        }
        options.format = format as Format;
        break;
      }
      case '--fail-on': {
        const level = takeValue();
        if (!(level in SEVERITY_RANK))
          throw new UsageError('--fail-on must be hint, info, warning or error');
        options.failOn = level as Severity;
        break;
      }
      case '--rule': {
        const [id, level] = takeValue().split('=');
        if (
          id === undefined ||
          level === undefined ||
          !(SEVERITY_LEVELS as readonly string[]).includes(level)
        ) {
          throw new UsageError('--rule takes <id>=<off|hint|info|warning|error>');
        }
        if (!isKnownRuleId(id)) throw new UsageError(`unknown rule id "${id}"`);
        options.rules[id] = level as SeverityLevel;
        break;
      }
      default:
        if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag}`);
        options.paths.push(argument);
    }
  }
  if (options.paths.length === 0) throw new UsageError('no path given');
  return options;
}

function splitFlag(argument: string): [string, string | undefined] {
  const equals = argument.indexOf('=');
  return equals === -1
    ? [argument, undefined]
    : [argument.slice(0, equals), argument.slice(equals + 1)];
}

/** Where output goes, and what it goes to (tests pass their own). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Colour and progress only for a person at a terminal, never in pipes or CI logs. */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  noColor: boolean;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  noColor: process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '',
};

/**
 * Characters of file text that the Secret index pass keeps for the analysis pass (about 64 MB
 * of memory at most), instead of reading each file twice.
 */
const KEPT_TEXT_CHARS = 32 * 1024 * 1024;

/** Files checked between two updates of the progress line. */
const PROGRESS_EVERY = 250;
/** Below this many files the run is too short for a progress line to help. */
const PROGRESS_MIN_FILES = 1000;

/** Runs the CLI; returns the exit code. */
export function runCli(argv: string[], io: CliIo = processIo): number {
  const { out, err } = io;
  let options: CheckOptions | 'help' | 'version';
  let files: string[];
  try {
    options = parseArguments(argv);
    if (options === 'help') {
      out(`${USAGE}\n`);
      return 0;
    }
    if (options === 'version') {
      out(`${SERVER_VERSION}\n`);
      return 0;
    }
    files = collectFiles(options.paths);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`secret-guard: ${error.message}\n${argv.length === 0 ? `${USAGE}\n` : ''}`);
      return 2;
    }
    throw error;
  }
  const configs = new ProjectConfigFinder();
  const git = new GitInspector(nodeFileReader);
  // secret-key-missing checks references against the Secrets of every file being checked.
  const readTexts = new Map<string, string>();
  const secrets = indexSecretsOfFiles(files, readTexts, KEPT_TEXT_CHARS);
  const reports: FileReport[] = [];
  const reportedConfigErrors = new Set<string>();
  let failed = false;
  const showProgress = io.stderrIsTTY && files.length >= PROGRESS_MIN_FILES;
  files.forEach((file, index) => {
    if (showProgress && index % PROGRESS_EVERY === 0) {
      err(`\rsecret-guard: ${index}/${files.length} files checked`);
    }
    const absolute = resolve(file);
    const found = configs.configFor(absolute);
    if (found && !found.ok) {
      if (!reportedConfigErrors.has(found.path)) {
        reportedConfigErrors.add(found.path);
        err(
          `${showProgress ? '\n' : ''}${describeConfigErrors(found.path, found.text, found.errors)}`,
        );
      }
      failed = true;
      return;
    }
    if (configs.isIgnored(absolute)) return;
    let text: string | undefined = readTexts.get(absolute);
    readTexts.delete(absolute);
    try {
      text ??= readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      err(`${showProgress ? '\n' : ''}secret-guard: cannot read ${file}: ${code}\n`);
      failed = true;
      return;
    }
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      rules: { ...(found?.ok ? found.config.rules : {}), ...options.rules },
    };
    const result = analyze({
      text,
      path: absolute,
      git: git.statusOf(absolute),
      settings,
      secrets,
      siblingExists: siblingExistsBeside(absolute),
    });
    for (const internal of result.internalErrors) {
      err(`secret-guard: internal error in ${file}: ${internal}\n`);
      failed = true;
    }
    reports.push({ filePath: file, messages: toMessages(text, result.findings) });
  });
  if (showProgress) err('\r\x1b[K');
  if (options.format === 'json') out(formatJson(reports));
  else if (options.format === 'sarif') out(formatSarif(reports, SERVER_VERSION));
  else out(formatText(reports, { color: io.stdoutIsTTY && !io.noColor }));
  if (failed) return 2;
  const threshold = SEVERITY_RANK[options.failOn];
  const hit = reports.some((report) =>
    report.messages.some((message) => SEVERITY_RANK[message.severity] >= threshold),
  );
  return hit ? 1 : 0;
}

/** `path:line:column: message` lines, as compilers report mistakes in a file. */
function describeConfigErrors(
  path: string,
  text: string,
  errors: readonly ProjectConfigError[],
): string {
  const lineStarts = lineStartsOf(text);
  return errors
    .map((error) => {
      const position = positionAt(lineStarts, error.start);
      return `secret-guard: ${path}:${position.line + 1}:${position.character + 1}: ${error.message}\n`;
    })
    .join('');
}

function toMessages(text: string, findings: readonly Finding[]): FileReport['messages'] {
  const lineStarts = lineStartsOf(text);
  return findings.map((finding) => {
    const start = positionAt(lineStarts, finding.start);
    const end = positionAt(lineStarts, finding.end);
    return {
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
    };
  });
}
