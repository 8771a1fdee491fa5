/**
 * Runs one bomb of bombs.ts through the core in a worker thread (test/unit/resource-bombs):
 * the test bounds the worker's memory and stops it if it hangs. Posts what happened.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyze } from '../../server/src/core/analyze';
import { hoverAt } from '../../server/src/core/hover';
import { secretDefinitionsAt } from '../../server/src/core/references';
import { SecretIndex } from '../../server/src/core/secret-index';
import { BOMBS } from './bombs';

/** What the worker reports. */
export interface BombResult {
  ruleIds: string[];
  messages: string[];
  internalErrors: string[];
  /** For the test's diagnostics only; never asserted. */
  ms: number;
  heapMb: number;
}

const bomb = BOMBS.find((candidate) => candidate.name === (workerData as { name: string }).name);
if (!bomb) throw new Error('unknown bomb');
const text = bomb.text();
const started = performance.now();
const result = analyze({
  text,
  path: '/bombs/repo/bomb.yaml',
  git: { state: 'untracked', workTree: '/bombs/repo' },
  secrets: new SecretIndex(),
});
// What an editor asks next: a hover and a definition, at the start and in the middle.
for (const offset of [0, Math.floor(text.length / 2), text.length]) {
  hoverAt(text, offset, 'hover');
  secretDefinitionsAt(text, offset, new SecretIndex());
}
const report: BombResult = {
  ruleIds: result.findings.map((finding) => finding.ruleId),
  messages: result.findings.map((finding) => finding.message),
  internalErrors: result.internalErrors,
  ms: performance.now() - started,
  heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
};
parentPort?.postMessage(report);
