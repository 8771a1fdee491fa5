// Runs every compiled *.test.js under out/test (or under the folders given) with Node's test
// runner. Node 20 has no glob support in --test, and handing it the folder would also run the
// helpers as test files.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
