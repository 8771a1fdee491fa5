/**
 * Resource bombs through the core: each runs in a worker thread with a heap of 768 MB and a
 * one-minute watchdog (they take milliseconds to seconds), so that a hang or a memory blow-up
 * fails the test instead of the run. A bomb past a limit gets one `analysis-limit` finding;
 * the others are analysed. Time and memory are reported, never asserted.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { parseYamlDocument, MAX_PARSE_ERRORS } from '../../server/src/core/limits';
import { BOMBS } from '../helpers/bombs';
import type { BombResult } from '../helpers/bomb-worker';

const WORKER = path.join(__dirname, '..', 'helpers', 'bomb-worker.js');
const WATCHDOG_MS = 60_000;
const HEAP_MB = 768;

function runBomb(name: string): Promise<BombResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: { name },
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`no result within ${WATCHDOG_MS / 1000} s`));
    }, WATCHDOG_MS);
    worker.once('message', (result: BombResult) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe('resource bombs: bounded time and memory, a clear finding', () => {
  for (const bomb of BOMBS) {
    test(bomb.name, async (t) => {
      const result = await runBomb(bomb.name);
      t.diagnostic(`${result.ms.toFixed(0)} ms, ${result.heapMb} MB heap after`);
      assert.deepEqual(result.internalErrors, []);
      const limits = result.ruleIds.filter((id) => id === 'analysis-limit');
      if (bomb.outcome === 'refused') {
        assert.equal(limits.length, 1, `one analysis-limit finding: ${result.ruleIds.join(', ')}`);
      } else {
        assert.deepEqual(limits, [], result.messages.join('\n'));
      }
    });
  }
});

test('a broken document keeps its first syntax errors only (the hook on yaml holds)', () => {
  for (const text of [']'.repeat(200_000), '}}'.repeat(100_000), 'a: [\n'.repeat(50_000)]) {
    const document = parseYamlDocument(text, { version: '1.1' });
    assert.ok(document.errors.length > 0, 'the errors are reported');
    assert.ok(
      document.errors.length <= MAX_PARSE_ERRORS + 1,
      `${document.errors.length} errors kept`,
    );
  }
});
