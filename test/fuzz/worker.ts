/**
 * The fuzzer's worker thread: generates and checks the inputs the runner (run.ts) hands it one
 * at a time, so that the runner can stop one that hangs or exhausts memory and go on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FuzzFailure, loadSeeds, makeInput, regexFragments, runInput, seedIndex } from './engine';
import type { InputStats } from './engine';

/** What the runner passes when it starts a worker. */
export interface WorkerOptions {
  seed: number;
  maxRun: number;
  maxFixes: number;
  probes: number;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'start'; index: number; label: string; bytes: number }
  | { kind: 'done'; index: number; ms: number; stats: InputStats }
  | { kind: 'failure'; index: number; label: string; message: string };

/** Messages to the worker: the next input's index, or the end. */
export type RunnerMessage = { kind: 'run'; index: number } | { kind: 'stop' };

const port = parentPort;
if (!port) throw new Error('worker.ts runs in a worker thread');
const options = workerData as WorkerOptions;
const post = (message: WorkerMessage): void => port.postMessage(message);

void (async () => {
  const seeds = await loadSeeds();
  const fragments = regexFragments();
  const secrets = seedIndex(seeds);
  port.on('message', (message: RunnerMessage) => {
    if (message.kind === 'stop') {
      port.close();
      return;
    }
    const input = makeInput(seeds, fragments, options.seed, message.index, {
      maxRun: options.maxRun,
    });
    post({ kind: 'start', index: input.index, label: input.label, bytes: input.text.length });
    const started = performance.now();
    try {
      const stats = runInput(input, secrets, options);
      post({ kind: 'done', index: input.index, ms: performance.now() - started, stats });
    } catch (error) {
      const message =
        error instanceof FuzzFailure
          ? error.message
          : `${error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}\n${(error.stack ?? '').split('\n').slice(1, 8).join('\n')}` : String(error)}`;
      post({ kind: 'failure', index: input.index, label: input.label, message });
    }
    post({ kind: 'ready' });
  });
  post({ kind: 'ready' });
})();
