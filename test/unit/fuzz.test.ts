/**
 * The fixed-seed fuzz run of `npm test` (engine.ts says what is generated and checked; `npm run
 * fuzz` runs longer, with larger inputs). Fails on any crash, rule error, broken fix or
 * analysis beyond the limits, and on an input that hangs: the inputs run in a worker thread
 * under a one-minute watchdog, where each takes milliseconds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeReport, runFuzz } from '../fuzz/run';

const SEED = 20_240_601;
/** About 10 s on a 2-core machine (4 s for 1,000 when measured), alongside the other tests. */
const INPUTS = 2000;

test(`fuzz: ${INPUTS} mutated manifests, YAML test suite cases and regex runs (seed ${SEED})`, async (t) => {
  const report = await runFuzz({
    seed: SEED,
    inputs: INPUTS,
    workers: 1,
    maxRun: 16_384,
    maxFixes: 8,
    probes: 3,
    watchdogMs: 60_000,
    memoryMb: 1024,
  });
  for (const line of describeReport(report)) t.diagnostic(line);
  assert.deepEqual(
    report.failures.map((f) => `input ${f.index} (${f.label}): ${f.message}`),
    [],
    `replay one with: npm run fuzz -- --seed ${SEED} --only <input>`,
  );
  assert.equal(report.inputs, INPUTS);
  // Each input's documents were also parsed by the fast YAML path and compared with `yaml`.
  assert.ok(report.fastPath > 500, `only ${report.fastPath} documents took the fast path`);
});
