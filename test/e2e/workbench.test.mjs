// What a person sees: the packaged .vsix installed into code-server (VS Code 1.100's workbench),
// driven by headless chromium. A bad Secret gets squiggles and Problems panel rows, a data value's
// hover shows it decoded, and the lightbulb on a secretKeyRef applies "Mount the Secret as a
// volume". Screenshots go to $E2E_SCREENSHOT_DIR (default .e2e-cache/screenshots); the README's
// docs/images/*.png are copies of them.
//
//   npm run test:e2e   (or, after it once: node --test test/e2e/workbench.test.mjs)
import assert from 'node:assert/strict';
/* global document */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CACHE_DIR,
  createWorkspace,
  hoverOver,
  openFile,
  openWorkbench,
  REPO_ROOT,
  screenshot,
  startCodeServer,
  waitForSelector,
  waitForSyntaxHighlighting,
} from './code-server.mjs';

const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const VSIX = path.join(REPO_ROOT, `k8s-secret-guard-${version}.vsix`);
const FIXTURES = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures');
const SHOTS = path.resolve(
  REPO_ROOT,
  process.env.E2E_SCREENSHOT_DIR || path.join(CACHE_DIR, 'screenshots'),
);
const EXTENSION_ID = 'k8s-secret-guard.k8s-secret-guard';
// Squiggles appear after the extension host, the extension and its server have started: give
// that more time than a plain selector wait on a loaded machine.
const FIRST_DIAGNOSTICS_TIMEOUT = 60_000;

/** What "Mount the Secret as a volume" makes of fixtures/workloads/api.yaml (shared with the LSP test). */
const DEPLOYMENT_AFTER_FIX = fs.readFileSync(
  path.join(REPO_ROOT, 'test', 'e2e', 'expected', 'api-volume-fix.yaml'),
  'utf8',
);

let server;
let workbench;
let page;
let workspaceDir;

/** Saves a README screenshot, shrunk with pngquant when the machine has it (lossy, ~3x smaller). */
async function shot(name, { height } = {}) {
  // hovers and menus fade in: wait until every finite CSS animation has finished
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every(
        (a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity,
      ),
  );
  // the editor's empty lower half says nothing: crop it away where the panel is closed
  const viewport = page.viewportSize();
  const clip = height && viewport ? { x: 0, y: 0, width: viewport.width, height } : undefined;
  const file = await screenshot(page, path.join(SHOTS, name), clip ? { clip } : {});
  const quant = spawnSync('pngquant', ['--force', '--skip-if-larger', '--ext', '.png', '--', file]);
  // 98/99: pngquant kept the original (quality or size); ENOENT: not installed. Both are fine.
  if (quant.error && quant.error.code !== 'ENOENT') throw quant.error;
  console.log(`screenshot: ${path.relative(REPO_ROOT, file)} (${fs.statSync(file).size} bytes)`);
  return file;
}

/** An editor text span (a TextMate token) whose text starts with `text`. */
function token(text) {
  return page
    .locator('.editor-instance .view-line span[class*="mtk"]')
    .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) })
    .first();
}

before(async () => {
  assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run \`npm run package\``);
  // a folder name that reads well in the screenshots' title and Explorer
  workspaceDir = path.join(await createWorkspace(), 'shop-manifests');
  fs.cpSync(FIXTURES, workspaceDir, { recursive: true });
  server = await startCodeServer({
    workspaceDir,
    vsix: VSIX,
    settings: {
      // a calmer picture: no minimap next to the short fixtures, no breadcrumbs over line 1
      'editor.minimap.enabled': false,
      'breadcrumbs.enabled': false,
      'workbench.tips.enabled': false,
      'workbench.colorTheme': 'Default Dark Modern',
    },
  });
  workbench = await openWorkbench(server, workspaceDir, { viewport: { width: 1280, height: 720 } });
  page = workbench.page;
});

after(async () => {
  // what the page showed last, for a failing run (code-server.log and the logs/ folder are there too)
  if (page) {
    const last = await screenshot(page, path.join(server.runDir, 'last.png')).catch(() => null);
    if (last) console.log(`last screenshot: ${path.relative(REPO_ROOT, last)}`);
  }
  await workbench?.close();
  await server?.stop();
});

test('a bad Secret: squiggles, then the Problems panel lists the finding', async () => {
  await openFile(page, 'secrets/orders-db.yaml');
  const opened = Date.now(); // the YAML tab is open: onLanguage:yaml has fired
  await waitForSelector(page, '.editor-instance .monaco-editor .squiggly-error', {
    timeout: FIRST_DIAGNOSTICS_TIMEOUT,
  });
  const squiggled = Date.now();
  console.log(
    `[timing] workbench: YAML tab open -> first squiggle painted ${squiggled - opened} ms ` +
      '(activation, server start, analysis and rendering included)',
  );
  // an error squiggle sits under the value that does not decode
  const password = await token('czNjcjN0LXBhc3M').boundingBox();
  assert.ok(password);
  const squiggles = await page.locator('.editor-instance .monaco-editor .squiggly-error').all();
  const boxes = await Promise.all(squiggles.map((squiggle) => squiggle.boundingBox()));
  assert.ok(
    boxes.some(
      (box) =>
        box &&
        Math.abs(box.x - password.x) < 2 &&
        box.y >= password.y - 2 &&
        box.y <= password.y + password.height + 2,
    ),
    `an error squiggle starts under the password value (${JSON.stringify({ password, boxes })})`,
  );
  const problems = await page.locator('#status\\.problems').getAttribute('aria-label');
  assert.match(problems ?? '', /Errors: [1-9]/);

  await page.keyboard.press('Control+Shift+M');
  const row = page
    .locator('.markers-panel .monaco-list-row')
    .filter({ hasText: 'data.password is not valid base64' })
    .first();
  await row.waitFor({ state: 'visible' });
  assert.match(await row.innerText(), /invalid-base64/);
  await waitForSyntaxHighlighting(page);
  await shot('problems-panel.png');
  await page.keyboard.press('Control+Shift+M'); // hide the panel again
  await page.locator('.markers-panel').first().waitFor({ state: 'hidden' });
});

test('hovering a data value shows it decoded', async () => {
  const hover = await hoverOver(page, token('eyJob3N0'));
  await hover.locator('text=orders-db.shop.svc').first().waitFor({ state: 'visible' });
  const text = await hover.innerText();
  assert.match(text, /data\.config\.json/);
  assert.match(text, /52 bytes/);
  assert.match(text, /"host": "orders-db\.shop\.svc"/);
  await shot('hover-decode.png', { height: 400 });
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
});

test('the lightbulb on a secretKeyRef applies "Mount the Secret as a volume"', async () => {
  await openFile(page, 'workloads/api.yaml');
  await waitForSelector(page, '.editor-instance .monaco-editor .squiggly-info', {
    timeout: FIRST_DIAGNOSTICS_TIMEOUT,
  });
  // put the cursor inside the finding, as a user clicking on the env entry does
  await token('DB_PASSWORD').click();
  const lightbulb = await waitForSelector(page, '.editor-instance .lightBulbWidget');
  await lightbulb.click();
  const menu = await waitForSelector(page, '.action-widget');
  const fix = menu
    .locator('.monaco-list-row.action')
    .filter({ hasText: /^Mount the Secret as a volume$/ })
    .first();
  await fix.waitFor({ state: 'visible' });
  // Choose it with the keyboard: while the menu is open a pointer-block layer catches the mouse.
  const focused = menu.locator('.monaco-list-row.action.focused');
  for (
    let i = 0;
    i < 10 && !/^Mount the Secret as a volume$/.test(await focused.innerText());
    i++
  ) {
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await focused.innerText(), 'Mount the Secret as a volume');
  await shot('quick-fix.png', { height: 520 });
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });

  // the editor shows the volume; saving writes exactly the expected text
  await waitForSelector(page, '.editor-instance .view-line >> text=secretName: orders-db');
  await page
    .locator('.editor-instance .monaco-editor .squiggly-info')
    .first()
    .waitFor({ state: 'detached' });
  await shot('quick-fix-applied.png', { height: 520 });
  await page.keyboard.press('Control+S');
  const file = path.join(workspaceDir, 'workloads', 'api.yaml');
  const deadline = Date.now() + 15_000;
  while (fs.readFileSync(file, 'utf8') !== DEPLOYMENT_AFTER_FIX && Date.now() < deadline) {
    await sleep(100);
  }
  assert.equal(fs.readFileSync(file, 'utf8'), DEPLOYMENT_AFTER_FIX);
});

test('the extension activated on the YAML file, not at start-up', async () => {
  const logs = path.join(server.userDataDir, 'logs');
  const lines = fs
    .readdirSync(logs, { recursive: true })
    .filter((name) => String(name).endsWith('exthost.log'))
    .flatMap((name) => fs.readFileSync(path.join(logs, String(name)), 'utf8').split('\n'))
    .filter((line) => line.includes(`_doActivateExtension ${EXTENSION_ID}`));
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /startup: false, activationEvent: 'onLanguage:yaml'/);
});
