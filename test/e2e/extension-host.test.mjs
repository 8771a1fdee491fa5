// The mocha suite of test/e2e/suite (what @vscode/test-electron runs) inside code-server's real
// Node extension host, with the repo's build as the extension under development. The workspace is
// a fresh copy of test/e2e/fixtures under .e2e-cache (git-ignored, so plaintext-in-repo stays
// quiet and the applied fix never touches a tracked file).
//
//   npm run test:e2e   (or, after it once: node --test test/e2e/extension-host.test.mjs)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createWorkspace, REPO_ROOT } from './code-server.mjs';
import { runExtensionTests } from './payload-runner.mjs';

const SUITE = path.join(REPO_ROOT, 'out', 'test', 'e2e', 'suite', 'index.js');
const FIXTURES = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures');

test('extension-host suite (mocha) in code-server', { timeout: 300_000 }, async () => {
  assert.ok(fs.existsSync(SUITE), `${SUITE} is missing: run \`npx tsc -b . test/e2e/suite\``);
  assert.ok(
    fs.existsSync(path.join(REPO_ROOT, 'dist', 'server.js')),
    'dist/ is missing: run `npm run build`',
  );
  const workspaceDir = await createWorkspace();
  fs.cpSync(FIXTURES, workspaceDir, { recursive: true });

  // The suite's console output, echoed and kept to read the timing line.
  let output = '';
  const stdout = new PassThrough();
  stdout.on('data', (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  const code = await runExtensionTests({
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: SUITE,
    workspaceDir,
    stdout,
    timeout: 240_000,
  });
  assert.equal(code, 0, 'the extension-host suite passed (see its output above)');
  assert.match(output, /passing/, 'mocha reported its result');
  assert.doesNotMatch(output, /failing/);
  const timing = /\[timing\] activation-to-first-diagnostics: (\d+) ms/.exec(output);
  assert.ok(timing, 'the suite measured activation-to-first-diagnostics');
});
