// Smoke test of the e2e machinery: code-server + Debian chromium open a temp workspace holding one
// YAML file, open it from the Explorer and save a screenshot to .e2e-cache/smoke.png.
//
//   bash scripts/e2e-setup.sh && node test/e2e/smoke.mjs [--vsix path/to/extension.vsix]
//
// With --vsix the extension is installed first (code-server --install-extension) and the smoke
// also checks that it shows up in the Extensions view as installed.
import path from 'node:path';
import process from 'node:process';
import {
  CACHE_DIR,
  createWorkspace,
  openFile,
  openWorkbench,
  screenshot,
  startCodeServer,
  waitForSelector,
  waitForSyntaxHighlighting,
} from './code-server.mjs';

const vsixIndex = process.argv.indexOf('--vsix');
const vsix = vsixIndex > 0 ? process.argv[vsixIndex + 1] : undefined;

const YAML = `apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
type: Opaque
data:
  username: YWRtaW4=
  password: cGFzc3dvcmQxMjM=
`;

async function main() {
  const t0 = Date.now();
  const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const workspaceDir = await createWorkspace({ 'secret.yaml': YAML });

  const server = await startCodeServer({ workspaceDir, vsix });
  console.log(`code-server ready at ${server.url} after ${at()} (log: ${server.logFile})`);
  let workbench;
  try {
    workbench = await openWorkbench(server, workspaceDir);
    console.log(`workbench visible after ${at()}`);
    const { page } = workbench;
    await openFile(page, 'secret.yaml');
    await waitForSelector(page, '.monaco-editor .view-line >> text=kind: Secret');
    await waitForSyntaxHighlighting(page);
    console.log(`secret.yaml open and highlighted after ${at()}`);
    const shot = await screenshot(page, path.join(CACHE_DIR, 'smoke.png'));
    console.log(`screenshot: ${shot}`);
    if (vsix) {
      // the installed extension is listed under Extensions > Installed
      await page.keyboard.press('Control+Shift+X');
      await waitForSelector(page, '.extensions-viewlet .extension-list-item', { timeout: 30_000 });
      const names = await page
        .locator('.extensions-viewlet .extension-list-item .name')
        .allInnerTexts();
      console.log(`installed extensions: ${names.join(', ')}`);
      if (!names.length) throw new Error('no installed extension listed');
      await screenshot(page, path.join(CACHE_DIR, 'smoke-extensions.png'));
    }
  } finally {
    await workbench?.close();
    await server.stop();
  }
  console.log(`smoke: ok in ${at()}`);
}

main().catch((err) => {
  console.error(`smoke: FAILED: ${err.stack ?? err}`);
  process.exit(1);
});
