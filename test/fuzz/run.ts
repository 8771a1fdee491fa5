/**
 * Runs the fuzzer: hands input indices to worker threads (worker.ts) one at a time, with a
 * watchdog per input and a memory limit per worker. An input that hangs past the watchdog or
 * exhausts the worker's memory is a failure; the worker is replaced and the run goes on.
 *
 * The watchdog is generous on purpose (a minute, where inputs take milliseconds): it catches
 * a hang or super-linear blow-up, never a slow machine. The bound of an analysis is asserted
 * by counting work in engine.ts; times are only reported.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RunnerMessage, WorkerMessage, WorkerOptions } from './worker';

export interface FuzzOptions {
  seed: number;
  /** Inputs to try; or run until `durationMs` has passed. */
  inputs?: number;
  durationMs?: number;
  /** Only this input (to replay a failure). */
  only?: number;
  workers?: number;
  /** Longest run of a regex fragment inserted into an input (characters). */
  maxRun?: number;
  /** Fixes applied per input. */
  maxFixes?: number;
  /** Hover and definition offsets per input. */
  probes?: number;
  watchdogMs?: number;
  /** Heap limit of each worker. */
  memoryMb?: number;
  onProgress?: (report: FuzzReport) => void;
}

export interface FuzzFailureReport {
  index: number;
  label: string;
  message: string;
}

export interface FuzzReport {
  seed: number;
  inputs: number;
  failures: FuzzFailureReport[];
  /** The input that took longest through every check (many analyses, fixes, hovers). */
  slowest?: { index: number; label: string; ms: number; bytes: number };
  /** The longest single `analyze` call: what the documented bound is about. */
  slowestAnalysis?: { index: number; label: string; ms: number; bytes: number };
  largest: number;
  bytes: number;
  findings: number;
  fixes: number;
  walked: number;
  /** Documents the fast YAML path took and that were found equal to `yaml`'s parse. */
  fastPath: number;
  durationMs: number;
}

const WORKER_FILE = path.join(__dirname, 'worker.js');

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const report: FuzzReport = {
    seed: options.seed,
    inputs: 0,
    failures: [],
    largest: 0,
    bytes: 0,
    findings: 0,
    fixes: 0,
    walked: 0,
    fastPath: 0,
    durationMs: 0,
  };
  const workerOptions: WorkerOptions = {
    seed: options.seed,
    maxRun: options.maxRun ?? 16_384,
    maxFixes: options.maxFixes ?? 8,
    probes: options.probes ?? 3,
  };
  const watchdogMs = options.watchdogMs ?? 60_000;
  let next = options.only ?? 0;
  const last = options.only !== undefined ? options.only + 1 : (options.inputs ?? Infinity);
  const deadline = options.durationMs !== undefined ? started + options.durationMs : Infinity;
  const take = (): number | undefined =>
    next < last && Date.now() < deadline ? next++ : undefined;

  const runWorker = (): Promise<void> =>
    new Promise((resolve) => {
      const worker = new Worker(WORKER_FILE, {
        workerData: workerOptions,
        resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? 2048 },
      });
      let current: { index: number; label: string; bytes: number } | undefined;
      let timer: NodeJS.Timeout | undefined;
      let finished = false;
      const finish = (replace: boolean): void => {
        if (finished) return;
        finished = true;
        if (timer) clearTimeout(timer);
        void worker.terminate();
        if (replace && take() !== undefined) {
          next--; // give the index back to the replacement
          void runWorker().then(resolve);
        } else {
          resolve();
        }
      };
      const fail = (message: string): void => {
        if (current) report.failures.push({ index: current.index, label: current.label, message });
        current = undefined;
      };
      worker.on('message', (message: WorkerMessage) => {
        switch (message.kind) {
          case 'ready': {
            const index = take();
            const request: RunnerMessage =
              index === undefined ? { kind: 'stop' } : { kind: 'run', index };
            worker.postMessage(request);
            if (index === undefined) finish(false);
            break;
          }
          case 'start':
            current = message;
            timer = setTimeout(() => {
              fail(`no answer within ${watchdogMs / 1000} s: hangs or takes super-linear time`);
              finish(true);
            }, watchdogMs);
            break;
          case 'done':
            if (timer) clearTimeout(timer);
            report.inputs++;
            report.bytes += current?.bytes ?? 0;
            report.largest = Math.max(report.largest, current?.bytes ?? 0);
            report.findings += message.stats.findings;
            report.fixes += message.stats.fixes;
            report.walked += message.stats.walked;
            report.fastPath += message.stats.fastPath;
            if (current && (!report.slowest || message.ms > report.slowest.ms)) {
              report.slowest = { ...current, ms: message.ms };
            }
            if (
              current &&
              (!report.slowestAnalysis ||
                message.stats.slowestAnalysisMs > report.slowestAnalysis.ms)
            ) {
              report.slowestAnalysis = { ...current, ms: message.stats.slowestAnalysisMs };
            }
            current = undefined;
            options.onProgress?.(report);
            break;
          case 'failure':
            if (timer) clearTimeout(timer);
            report.inputs++;
            report.failures.push({
              index: message.index,
              label: message.label,
              message: message.message,
            });
            current = undefined;
            break;
        }
      });
      worker.on('error', (error) => {
        fail(`the worker died: ${error.name}: ${error.message}`);
        finish(true);
      });
      worker.on('exit', () => {
        if (!finished) {
          fail('the worker exited');
          finish(true);
        }
      });
    });

  const workers = options.only !== undefined ? 1 : Math.max(1, options.workers ?? 1);
  await Promise.all(Array.from({ length: workers }, () => runWorker()));
  report.durationMs = Date.now() - started;
  return report;
}

/** The report as the lines a person reads (the closing note quotes them). */
export function describeReport(report: FuzzReport): string[] {
  const lines = [
    `seed ${report.seed}: ${report.inputs} inputs tried (${(report.bytes / 1e6).toFixed(1)} MB, largest ${report.largest.toLocaleString('en-US')} characters) in ${(report.durationMs / 1000).toFixed(1)} s`,
    `crashes: ${report.failures.length}`,
    `findings: ${report.findings}, fixes applied and re-parsed: ${report.fixes}, nodes walked with aliases followed: ${report.walked}`,
    `documents parsed by the fast YAML path and found equal to yaml's parse: ${report.fastPath}`,
  ];
  if (report.slowestAnalysis) {
    const { index, label, ms, bytes } = report.slowestAnalysis;
    lines.push(
      `slowest analysis: input ${index}, ${ms.toFixed(0)} ms for ${bytes.toLocaleString('en-US')} characters: ${label}`,
    );
  }
  if (report.slowest) {
    const { index, label, ms, bytes } = report.slowest;
    lines.push(
      `slowest case (every check of one input): input ${index}, ${ms.toFixed(0)} ms for ${bytes.toLocaleString('en-US')} characters: ${label}`,
    );
  }
  for (const failure of report.failures.slice(0, 20)) {
    lines.push(`FAIL input ${failure.index} (${failure.label}): ${failure.message}`);
  }
  return lines;
}
