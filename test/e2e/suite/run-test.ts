/**
 * Runs the extension-host suite in a downloaded VS Code with @vscode/test-electron, where VS Code
 * can be downloaded: `npm run test:electron`. (Where it cannot, `npm run test:e2e` runs the same
 * suite inside code-server's extension host.) The workspace is a temporary copy of
 * test/e2e/fixtures, so the fixes the suite applies never touch the repository.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // compiled to out/test/e2e/suite/run-test.js
  const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
  const workspace = mkdtempSync(path.join(tmpdir(), 'secret-guard-e2e-'));
  cpSync(path.join(repoRoot, 'test', 'e2e', 'fixtures'), workspace, { recursive: true });
  try {
    await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(__dirname, 'index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
