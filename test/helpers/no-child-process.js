// Preloaded (`node --require`) into the language server and the CLI during the test runs
// (scripts/run-tests.mjs puts it in NODE_OPTIONS; TestLspClient passes it to every server it
// starts): the server and the CLI must never start a process. Every child_process function
// that starts one is replaced by one that reports the call and throws. Only the product's
// entry points are guarded (the test processes themselves start servers and CLIs), unless
// SECRET_GUARD_GUARD_ALL=1 (to test this file). worker_threads are allowed.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const MARKER = 'SECRET_GUARD_CHILD_PROCESS_CALL';
const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY_POINTS = [
  path.join(ROOT, 'dist', 'server.js'),
  path.join(ROOT, 'dist', 'cli.js'),
  path.join(ROOT, 'bin', 'secret-guard.js'),
  path.join(ROOT, 'bin', 'secret-guard-ls.js'),
];
const main = process.argv[1] ? path.resolve(process.argv[1]) : '';

if (process.env.SECRET_GUARD_GUARD_ALL === '1' || ENTRY_POINTS.includes(main)) {
  const childProcess = require('node:child_process');
  const forbidden = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'];
  for (const name of forbidden) {
    childProcess[name] = function forbiddenChildProcess() {
      const line = `${MARKER} ${name} from ${path.basename(main)} (pid ${process.pid})\n`;
      try {
        fs.writeSync(2, line);
        const log = process.env.SECRET_GUARD_CHILD_PROCESS_LOG;
        if (log) fs.appendFileSync(log, line);
      } catch {
        // Reporting is best effort; the throw below is what matters.
      }
      throw new Error(`child_process.${name} is forbidden in Secret Guard`);
    };
  }
}

module.exports = { MARKER };
