// Runs every compiled *.test.js under out/test (or under the folders given) with Node's test
// runner. Node 20 has no glob support in --test, and handing it the folder would also run the
// helpers as test files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function testFiles(folder) {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return testFiles(path);
      return name.endsWith('.test.js') ? [path] : [];
    });
}

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ['out/test']).flatMap(testFiles);
if (files.length === 0) {
  console.error('run-tests: no test files found; did the build run?');
  process.exit(1);
}
// The language server and the CLI must never start a process: every one that the tests start
// (directly or through a test helper) loads a guard that reports and refuses child_process
// calls (test/helpers/no-child-process.js; it leaves the test processes themselves alone).
// The calls are also collected here, so that one hidden by a caught error still fails the run.
const guard = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'helpers',
  'no-child-process.js',
);
const spawnLog = join(mkdtempSync(join(tmpdir(), 'secret-guard-tests-')), 'child-process.log');
writeFileSync(spawnLog, '');
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(guard)}`.trim(),
    SECRET_GUARD_CHILD_PROCESS_LOG: spawnLog,
  },
});
const spawned = readFileSync(spawnLog, 'utf8');
if (spawned !== '') {
  console.error(`run-tests: the server or the CLI called child_process:\n${spawned}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
