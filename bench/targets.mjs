// The five targets of `npm run bench` (bench/README.md). Every figure is a median of several
// runs, and every ratio is against a baseline measured in the same run on the same input.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { CORPUS_DIR, LARGE_FILES, generatedMultiDocument, readCorpus } from './lib/corpus.mjs';
import { startSecretGuard, startYamlLanguageServer } from './lib/lsp-driver.mjs';
import { ROOT, core, yaml } from './lib/project.mjs';
import { linearFit, median } from './lib/stats.mjs';
import { corpusManifests, repeatedCorpus } from './lib/workspace.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EDITS = Number(process.env.BENCH_EDITS ?? 15);

/** The inputs of targets 1 to 3, read once. */
export function inputs() {
  const generated = generatedMultiDocument(5000);
  return [
    ...LARGE_FILES.map((file) => ({
      name: file.split('/').slice(1).join('/'),
      text: readCorpus(file),
    })),
    { name: 'generated: 5,000 corpus documents', text: generated, generated: true },
  ];
}

let variantCounter = 0;

/**
 * The text with a comment line added to the end of every document, different on each call:
 * nothing of it is in any cache (ours parse and analyse per document text), as when a file
 * is opened for the first time. Baselines get the same variants.
 */
export function coldVariant(text) {
  const run = ++variantCounter;
  return core.parse
    .splitDocuments(text)
    .map((segment) => {
      const body =
        segment.text.endsWith('\n') || segment.text === '' ? segment.text : `${segment.text}\n`;
      return `${body}# bench variant ${run}\n`;
    })
    .join('');
}

function time(action) {
  const start = performance.now();
  const result = action();
  return { ms: performance.now() - start, result };
}

/** Target 1: cold analysis against yaml's bare parseAllDocuments of the same text. */
export function coldAnalysis(input) {
  const parse = [];
  const analysis = [];
  let findings = 0;
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order so that neither side always runs on a collected heap.
    const first = coldVariant(input.text);
    const second = coldVariant(input.text);
    const measureParse = (text) => parse.push(time(() => yaml.parseAllDocuments(text)).ms);
    const measureAnalysis = (text) => {
      // A path, as the editor and the CLI give; each cold run its own, so nothing is reused.
      const path = join(tmpdir(), 'secret-guard-bench', `cold-${run}.yaml`);
      const { ms, result } = time(() => core.analyze.analyze({ text, path }));
      analysis.push(ms);
      findings = result.findings.length;
    };
    if (run % 2 === 0) {
      measureParse(first);
      measureAnalysis(second);
    } else {
      measureAnalysis(first);
      measureParse(second);
    }
  }
  return { parseMs: median(parse), analysisMs: median(analysis), findings };
}

/** Where to type in the generated file: the end of a value line inside document 2,500. */
export function typingPoint(text) {
  const segments = core.parse.splitDocuments(text);
  const segment = segments[2500] ?? segments[segments.length >> 1];
  const lines = segment.text.split('\n');
  let offset = segment.offset;
  for (const line of lines) {
    if (/^\s*[\w.-]+: \S/.test(line) && !/^(?:apiVersion|kind):/.test(line)) {
      return offset + line.length;
    }
    offset += line.length + 1;
  }
  return segment.offset;
}

/**
 * Types `count` characters into the open document `uri` (version 1, text `text`) from offset
 * `at`, one at a time, each edit's diagnostics waited for: edit → diagnostics times, and the
 * text as it then is (at version 1 + `count`).
 */
async function typeOneByOne(server, uri, text, at, count) {
  const times = [];
  let current = text;
  for (let edit = 0; edit < count; edit++) {
    const position = positionOf(current, at + edit);
    current = `${current.slice(0, at + edit)}x${current.slice(at + edit)}`;
    const changed = await server.change(uri, edit + 2, { start: position, end: position }, 'x');
    times.push(changed.ms);
  }
  return { text: current, times };
}

function positionOf(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/**
 * Target 2 in-process: typing one character at a time, re-analysing the whole file each time.
 * Measured with the JIT warm, as the cold analysis it is compared with is (the median of
 * several runs in one process): the keystrokes measured follow as many typed before them,
 * whose figure is kept too (a fresh process's first keystrokes also compile their path).
 */
export function keystrokeInProcess(input) {
  const path = join(tmpdir(), 'secret-guard-bench', 'typing.yaml');
  let text = coldVariant(input.text);
  const cold = time(() => core.analyze.analyze({ text, path })).ms;
  const at = typingPoint(text);
  const times = [];
  for (let edit = 0; edit < 2 * EDITS; edit++) {
    text = `${text.slice(0, at + edit)}x${text.slice(at + edit)}`;
    const current = text;
    times.push(time(() => core.analyze.analyze({ text: current, path })).ms);
  }
  return {
    editMs: median(times.slice(EDITS)),
    coldMs: cold,
    firstEditsMs: median(times.slice(0, EDITS)),
  };
}

/** Runs `task` of this module on input number `index` in a fresh node process. */
export function inChild(task, index) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', 'child.mjs'), task, String(index)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench: ${task} failed (${code})`)),
    );
  });
}

/**
 * Over LSP: open → first diagnostics, then typing one character at a time, each edit waited
 * for (edit → diagnostics of that version), then a burst of edits sent at once: how many of
 * the superseded versions still got diagnostics (an analysis that a newer version overtakes
 * should stop and publish nothing).
 */
export async function lspSession(start, input, { edits = EDITS, burst = 10, loopReport } = {}) {
  const server = await start({ loopReport });
  const uri = pathToFileURL(join(tmpdir(), 'secret-guard-bench', 'open.yaml')).href;
  try {
    const opened = await server.open(uri, input.text);
    const at = input.generated ? typingPoint(input.text) : typingPointInLarge(input.text);
    const typed = await typeOneByOne(server, uri, input.text, at, edits);
    let text = typed.text;
    const editTimes = typed.times;
    let version = 1 + edits;
    const before = server.published.get(uri) ?? 0;
    let last;
    for (let edit = 0; edit < burst; edit++) {
      const offset = at + edits + edit;
      const position = positionOf(text, offset);
      text = `${text.slice(0, offset)}x${text.slice(offset)}`;
      version++;
      const changed = server.change(uri, version, { start: position, end: position }, 'x');
      if (edit === burst - 1) last = changed;
    }
    await last;
    const burstPublishes = (server.published.get(uri) ?? 0) - before;
    return {
      openMs: opened.ms,
      diagnostics: opened.diagnostics.length,
      editMs: median(editTimes),
      burstPublishes,
      burst,
      memory: server.memory(),
    };
  } finally {
    await server.stop();
  }
}

/** In a large file: the end of the first `name:` value line past the middle of the file. */
function typingPointInLarge(text) {
  const middle = text.length >> 1;
  const match = /^\s+name: \S+$/m.exec(text.slice(middle));
  return match ? middle + match.index + match[0].length : middle;
}

/** Several fresh server processes, each opening the file cold: medians. */
export async function lspCold(start, input, runs) {
  const sessions = [];
  for (let run = 0; run < runs; run++) {
    sessions.push(
      await lspSession(start, input, { edits: run === 0 ? EDITS : 3, burst: run === 0 ? 10 : 0 }),
    );
  }
  return {
    openMs: median(sessions.map((session) => session.openMs)),
    editMs: sessions[0].editMs,
    burstPublishes: sessions[0].burstPublishes,
    burst: sessions[0].burst,
    diagnostics: sessions[0].diagnostics,
  };
}

export const startOurs = (options) => startSecretGuard(options);
export const startYls = () => startYamlLanguageServer();

/** Target 3, secretlint in-process: its engine on the same text, against our analysis. */
export async function secretlintInProcess(input) {
  const require = createRequire(join(ROOT, 'bench', 'package.json'));
  const { createEngine } = await import(pathToFileURL(require.resolve('@secretlint/node')).href);
  const engine = await createEngine({
    cwd: join(ROOT, 'bench'),
    formatter: 'json',
    color: false,
    configFileJSON: SECRETLINT_CONFIG,
  });
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const content = coldVariant(input.text);
    const start = performance.now();
    await engine.executeOnContent({ content, filePath: join(tmpdir(), 'secretlint-bench.yaml') });
    times.push(performance.now() - start);
  }
  return { ms: median(times) };
}

export const SECRETLINT_CONFIG = {
  rules: [
    { id: '@secretlint/secretlint-rule-preset-recommend' },
    // The only Kubernetes rule secretlint has; it parses every YAML file with js-yaml.
    { id: '@secretlint/secretlint-rule-no-k8s-kind-secret' },
  ],
};

/** Runs a process to its end; resolves with its wall time, exit code and stderr. */
export function run(command, args, { env = {}, cwd = ROOT } = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: performance.now() - start, code, stderr }));
  });
}

/** Target 3, CLIs over the whole corpus: `secret-guard check` against `secretlint`. */
export async function cliOverCorpus() {
  const configDir = mkdtempSync(join(tmpdir(), 'secretlint-config-'));
  const configPath = join(configDir, '.secretlintrc.json');
  writeFileSync(configPath, JSON.stringify(SECRETLINT_CONFIG));
  const secretlint = join(ROOT, 'bench', 'node_modules', 'secretlint', 'bin', 'secretlint.js');
  const ours = [];
  const theirs = [];
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const mine = await run(process.execPath, [
        join(ROOT, 'bin', 'secret-guard.js'),
        'check',
        CORPUS_DIR,
      ]);
      if (mine.code !== 0 && mine.code !== 1)
        throw new Error(`secret-guard failed: ${mine.stderr}`);
      ours.push(mine.ms);
      const other = await run(
        process.execPath,
        [
          secretlint,
          '--secretlintrc',
          configPath,
          '--secretlintignore',
          join(configDir, 'none'),
          `${CORPUS_DIR}/**/*.{yaml,yml,json}`,
        ],
        { cwd: join(ROOT, 'bench') },
      );
      if (other.code !== 0 && other.code !== 1)
        throw new Error(`secretlint failed: ${other.stderr}`);
      theirs.push(other.ms);
    }
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
  return { oursMs: median(ours), secretlintMs: median(theirs) };
}

/** Target 4: the CLI over 10k to 100k files; time and peak RSS at each size, and the fit. */
export async function cliThroughput(sizes = [10_000, 25_000, 50_000, 100_000]) {
  const largest = Math.max(...sizes);
  const perCopy = corpusManifests().length;
  const tree = repeatedCorpus(Math.ceil(largest / perCopy));
  const report = join(tree.root, 'rss.json');
  const rows = [];
  try {
    for (const size of sizes) {
      const copies = Math.max(1, Math.round(size / tree.filesPerCopy));
      const folders = tree.folders.slice(0, copies);
      const files = copies * tree.filesPerCopy;
      const result = await run(
        process.execPath,
        [join(ROOT, 'bench', 'lib', 'rss-wrapper.js'), 'check', ...folders],
        { env: { SECRET_GUARD_RSS_REPORT: report } },
      );
      if (result.code !== 0 && result.code !== 1) {
        throw new Error(`secret-guard check failed at ${files} files: ${result.stderr}`);
      }
      const usage = JSON.parse(readFileSync(report, 'utf8'));
      rows.push({ files, ms: result.ms, maxRssBytes: usage.maxRssBytes });
    }
  } finally {
    tree.remove();
  }
  const fit = linearFit(rows.map((row) => [row.files, row.ms]));
  return { rows, fit };
}

/** Characters typed into the generated file by the memory target, one at a time. */
const TYPED = 100;

/**
 * Target 5: our server with a 2,000-file workspace (crawled and indexed) and the corpus's large
 * files open, once each has its diagnostics: resident memory. Then the generated 5,000-document
 * file opened too (beyond the target, for information).
 */
export async function serverMemory(generated) {
  const tree = repeatedCorpus(4, 2000);
  const heapReport = join(tree.root, 'heap.json');
  const server = await startSecretGuard({ rootUri: pathToFileURL(tree.root).href, heapReport });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));
  try {
    const large = [
      ...LARGE_FILES,
      'large/argo-cd/manifests/ha/install.yaml',
      'large/argo-cd/manifests/namespace-install.yaml',
    ];
    for (const file of large) {
      await server.open(pathToFileURL(join(tree.root, 'open', file)).href, readCorpus(file));
    }
    // The crawl of the workspace runs beside the analyses; give it time to end.
    await settle();
    const withLarge = server.memory();
    const uri = pathToFileURL(join(tree.root, 'open', 'generated.yaml')).href;
    await server.open(uri, generated);
    await settle();
    const withGenerated = server.memory();
    const heapBeforeTyping = await server.liveHeap(heapReport);
    // Typing into it, each keystroke's diagnostics waited for: what the edits leave behind.
    await typeOneByOne(server, uri, generated, typingPoint(generated), TYPED);
    await settle();
    const afterTyping = server.memory();
    return {
      files: tree.files,
      largeFiles: large.length,
      withLarge,
      withGenerated,
      typed: TYPED,
      afterTyping,
      heapBeforeTyping,
      heapAfterTyping: await server.liveHeap(heapReport),
    };
  } finally {
    await server.stop();
    tree.remove();
  }
}

/**
 * The server's longest event-loop stall while it opens and edits each 2 MB file (and, apart,
 * the generated one): measured inside the server process (lib/loop-monitor.js), in a fresh
 * server each time (its code not yet optimised by the JIT, as when an editor starts it), three
 * times per file.
 */
export async function eventLoopStalls(files, runs = 3) {
  const results = [];
  for (const input of files) {
    const reports = [];
    for (let run = 0; run < runs; run++) {
      const folder = mkdtempSync(join(tmpdir(), 'secret-guard-loop-'));
      const report = join(folder, 'loop.json');
      try {
        await lspSession(startSecretGuard, input, { edits: 10, burst: 10, loopReport: report });
        reports.push(JSON.parse(readFileSync(report, 'utf8')));
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    }
    results.push({
      name: input.name,
      maxMs: Math.max(...reports.map((report) => report.maxMs)),
      medianMaxMs: median(reports.map((report) => report.maxMs)),
      maxCpuMs: Math.max(...reports.map((report) => report.maxCpuMs)),
      medianMaxCpuMs: median(reports.map((report) => report.maxCpuMs)),
      p99Ms: median(reports.map((report) => report.p99Ms)),
    });
  }
  return results;
}
