// Drives a real VS Code headless: code-server (VS Code's workbench + its real Node extension
// host) rendered by Debian's chromium through playwright-core. See shared/e2e/RECIPE.md and
// test/e2e/README.md.
//
// Dependencies come from .e2e-cache/e2e-deps (installed by scripts/e2e-setup.sh), never from the
// repo's own node_modules.
//
//   const ws = await createWorkspace({ 'secret.yaml': 'kind: Secret\n' });
//   const server = await startCodeServer({ workspaceDir: ws, vsix: 'k8s-secret-guard-0.1.0.vsix' });
//   const { page, close } = await openWorkbench(server, ws);
//   await openFile(page, 'secret.yaml');
//   await waitForSelector(page, '.monaco-editor .squiggly-error');
//   await screenshot(page, '.e2e-cache/shot.png');
//   await close();
//   await server.stop();
/* global document */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URLSearchParams } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE_DIR = process.env.E2E_CACHE_DIR
  ? path.resolve(process.env.E2E_CACHE_DIR)
  : path.join(REPO_ROOT, '.e2e-cache');
export const DEPS_DIR = path.join(CACHE_DIR, 'e2e-deps');
export const RUNS_DIR = path.join(CACHE_DIR, 'runs');
export const CHROMIUM_PATH = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const CODE_SERVER_ENTRY = path.join(
  DEPS_DIR,
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);

/** Timeouts in ms. E2E_TIMEOUT_SCALE=2 doubles all of them (slow CI machines). */
const SCALE = Number(process.env.E2E_TIMEOUT_SCALE) > 0 ? Number(process.env.E2E_TIMEOUT_SCALE) : 1;
export const TIMEOUTS = {
  healthz: 30_000 * SCALE,
  installExtension: 60_000 * SCALE,
  stop: 10_000 * SCALE,
  workbench: 60_000 * SCALE,
  selector: 15_000 * SCALE,
  openFile: 20_000 * SCALE,
};

/** Settings without which a trust dialog or a walkthrough covers the editor (RECIPE.md). */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  // temp workspaces under .e2e-cache sit inside the project's git work tree: no "open the
  // repository in the parent folder?" toast over the editor
  'git.openRepositoryInParentFolders': 'never',
  // sticky scroll lines overlay the first text lines and catch the mouse
  'editor.stickyScroll.enabled': false,
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

function assertSetUp() {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(
      `code-server is not installed in ${DEPS_DIR}: run \`bash scripts/e2e-setup.sh\` first`,
    );
  }
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: run \`bash scripts/e2e-setup.sh\` first`);
  }
}

/** playwright-core, loaded from the e2e dependency folder. */
export function playwright() {
  assertSetUp();
  return createRequire(path.join(DEPS_DIR, 'package.json'))('playwright-core');
}

// Unix socket paths are limited to 107 bytes: chromium puts
// $TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket there and VS Code
// $XDG_RUNTIME_DIR/vscode-ipc-<uuid>.sock. The run's tmp folder must stay short.
const MAX_TMP_PATH = 50;

let runCounter = 0;
/**
 * A fresh folder .e2e-cache/runs/<id> with home/ (and the XDG folders in it) and tmp/ (TMPDIR,
 * XDG_RUNTIME_DIR=tmp/r), and the environment variables that point there. If the repo path is so
 * long that sockets in <run>/tmp would pass the 107-byte limit, tmp/ is a symlink to a private
 * /tmp/e2e-XXXXXX folder instead. Run folders older than a day are pruned.
 * @returns {Promise<{id: string, runDir: string, tmpDir: string, env: Record<string, string>}>}
 */
export async function createRunDir(kind = 'run') {
  await pruneOldRuns();
  // short (socket paths!) and unique: base36 time + counter + random; run.json tells what made it
  const id = `${Date.now().toString(36)}${(++runCounter).toString(36)}${randomBytes(2).toString('hex')}`;
  const runDir = path.join(RUNS_DIR, id);
  const home = path.join(runDir, 'home');
  await fsp.mkdir(home, { recursive: true });
  await fsp.writeFile(
    path.join(runDir, 'run.json'),
    JSON.stringify({ kind, pid: process.pid, argv: process.argv, created: new Date() }, null, 2),
  );
  let tmpDir = path.join(runDir, 'tmp');
  if (tmpDir.length <= MAX_TMP_PATH) {
    await fsp.mkdir(tmpDir);
  } else {
    const shortTmp = await fsp.mkdtemp('/tmp/e2e-');
    await fsp.symlink(shortTmp, tmpDir);
    tmpDir = shortTmp;
  }
  const env = {
    HOME: home,
    TMPDIR: tmpDir,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_RUNTIME_DIR: path.join(tmpDir, 'r'),
  };
  for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME']) {
    await fsp.mkdir(env[k], { recursive: true });
  }
  await fsp.mkdir(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  return { id, runDir, tmpDir, env };
}

/**
 * A fresh workspace folder .e2e-cache/runs/ws-XXXXXX holding `files` ({ 'k8s/secret.yaml': '...' }).
 * Note: it lies inside the project's git work tree (ignored); pass your own folder if that matters.
 * @param {Record<string, string>} files relative path -> content
 * @returns {Promise<string>} its absolute path
 */
export async function createWorkspace(files = {}) {
  await fsp.mkdir(RUNS_DIR, { recursive: true });
  const dir = await fsp.mkdtemp(path.join(RUNS_DIR, 'ws-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, content);
  }
  return dir;
}

/** Removes the /tmp/e2e-XXXXXX folder of a run whose tmp/ had to be a symlink (long repo paths). */
async function removeShortTmp(runDir) {
  const tmpLink = path.join(runDir, 'tmp');
  const st = await fsp.lstat(tmpLink).catch(() => null);
  if (!st?.isSymbolicLink()) return;
  await fsp.rm(await fsp.readlink(tmpLink), { recursive: true, force: true }).catch(() => {});
}

async function pruneOldRuns(maxAgeMs = 24 * 3600_000) {
  let names = [];
  try {
    names = await fsp.readdir(RUNS_DIR);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const p = path.join(RUNS_DIR, name);
    try {
      const st = await fsp.stat(p);
      if (now - st.mtimeMs <= maxAgeMs) continue;
      await removeShortTmp(p);
      await fsp.rm(p, { recursive: true, force: true });
    } catch {
      // a concurrent run removed it
    }
  }
}

/** Environment for child processes: ours, minus variables of an enclosing VS Code / Electron. */
function childEnv(extra) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'CODE_SERVER_PARENT_PID') {
      delete env[k];
    }
  }
  return { ...env, ...extra };
}

const RUN_ENV_KEYS = [
  'HOME',
  'TMPDIR',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_CACHE_HOME',
  'XDG_STATE_HOME',
  'XDG_RUNTIME_DIR',
];
function pickRunEnv(env) {
  return Object.fromEntries(RUN_ENV_KEYS.filter((k) => env[k]).map((k) => [k, env[k]]));
}

/** A free TCP port on 127.0.0.1 (the OS picks it; tiny race until code-server binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

// --- process bookkeeping: everything we start dies with the test process -------------------
const live = new Set(); // ChildProcess with detached: true (own process group)
let hooksInstalled = false;
function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      for (const child of live) killGroup(child, 'SIGKILL');
      live.clear();
      process.kill(process.pid, sig); // default action now that our handler is gone
    });
  }
}

function waitForExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// Runs as `node -e WATCHDOG <entry.js> <args...>`, the leader of its own process group.
const WATCHDOG = `
const { spawn } = require('child_process');
const [entry, ...args] = process.argv.slice(1);
const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
const killGroup = () => { try { process.kill(0, 'SIGKILL'); } catch {} };
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => child.kill('SIGTERM'));
process.stdin.on('error', () => {});
process.stdin.on('close', () => {
  child.kill('SIGTERM');
  child.once('exit', killGroup);
  setTimeout(killGroup, 10000).unref();
});
process.stdin.resume();
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
`;

/** Runs the code-server CLI once (e.g. --install-extension) and resolves with its output. */
function runCodeServerCli(args, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CODE_SERVER_ENTRY, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    live.add(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`code-server ${args.join(' ')} timed out after ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      live.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`code-server ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

/**
 * Starts code-server on a free loopback port with a fresh run folder.
 *
 * @param {object} opts
 * @param {string} opts.workspaceDir folder the workbench will open (used by `server.workbenchUrl()`)
 * @param {string} [opts.extensionsDir] default: <runDir>/exts (empty, so only built-ins + vsix)
 * @param {string} [opts.vsix] a .vsix to install with --install-extension before starting
 * @param {Record<string, unknown>} [opts.settings] merged over DEFAULT_SETTINGS into User/settings.json
 * @param {Record<string, string>} [opts.env] extra environment for code-server (and its extension host)
 * @param {boolean} [opts.verbose] also pass --verbose (logs go to <runDir>/code-server.log)
 * @returns {Promise<{url: string, port: number, runDir: string, userDataDir: string,
 *   extensionsDir: string, logFile: string, env: Record<string, string>, pid: number,
 *   workbenchUrl: (folder?: string, query?: Record<string, string>) => string,
 *   stop: () => Promise<void>}>}
 */
export async function startCodeServer(opts) {
  const { workspaceDir, vsix, settings = {}, env: extraEnv = {}, verbose = false } = opts ?? {};
  if (!workspaceDir) throw new Error('startCodeServer: workspaceDir is required');
  assertSetUp();
  installExitHooks();

  const { runDir, env: runEnv } = await createRunDir('cs');
  const userDataDir = path.join(runDir, 'data');
  const extensionsDir = opts.extensionsDir
    ? path.resolve(opts.extensionsDir)
    : path.join(runDir, 'exts');
  const configFile = path.join(runDir, 'config.yaml');
  const logFile = path.join(runDir, 'code-server.log');
  await fsp.mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await fsp.mkdir(extensionsDir, { recursive: true });
  await fsp.writeFile(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2),
  );
  // Without --config it writes ~/.config/code-server/config.yaml with a random password.
  await fsp.writeFile(configFile, 'auth: none\ncert: false\n');

  const env = childEnv({
    ...runEnv,
    // no extension gallery: code-server's default (open-vsx) is not reachable from here
    EXTENSIONS_GALLERY: '{}',
    // The extension host drops NODE_PATH and ~/.node_modules from module lookup, so a suite finds
    // the e2e dependencies (mocha) only through this: see payload-runner.mjs.
    E2E_NODE_MODULES: path.join(DEPS_DIR, 'node_modules'),
    ...extraEnv,
  });
  const common = [
    '--config',
    configFile,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];

  if (vsix) {
    const vsixPath = path.resolve(vsix);
    if (!fs.existsSync(vsixPath)) throw new Error(`startCodeServer: no such vsix: ${vsixPath}`);
    const out = await runCodeServerCli(
      [...common, '--force', '--install-extension', vsixPath],
      env,
      TIMEOUTS.installExtension,
    );
    if (!/successfully installed/i.test(out)) {
      throw new Error(`installing ${vsixPath} did not report success:\n${out}`);
    }
    await fsp.appendFile(logFile, out);
  }

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = [
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
      ...(verbose ? ['--verbose'] : []),
    ];
    const logFd = fs.openSync(logFile, 'a');
    // code-server runs under a tiny watchdog in its own process group: stop() and the exit hook
    // signal the whole group (extension hosts included), and if this process dies without running
    // its exit hook (SIGKILL, crash) the watchdog sees its stdin close and takes the group down.
    const child = spawn(process.execPath, ['-e', WATCHDOG, CODE_SERVER_ENTRY, ...args], {
      cwd: runDir,
      env,
      stdio: ['pipe', logFd, logFd],
      detached: true,
    });
    fs.closeSync(logFd);
    // a test that forgets stop() must not hang: the exit hook kills the server
    child.unref();
    /** @type {any} */ (child.stdin)?.unref?.();
    live.add(child);
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });

    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + TIMEOUTS.healthz;
    let healthy = false;
    while (!exited && Date.now() < deadline) {
      if ((await httpStatus(`${url}/healthz`)) === 200) {
        healthy = true;
        break;
      }
      await sleep(100);
    }
    if (!healthy) {
      killGroup(child, 'SIGKILL');
      live.delete(child);
      const log = tail(logFile);
      if (exited && attempt < 3 && /EADDRINUSE/.test(log)) continue; // port raced away: retry
      throw new Error(
        `code-server did not answer ${url}/healthz ${exited ? '(it exited)' : `within ${TIMEOUTS.healthz} ms`}; log ${logFile}:\n${log}`,
      );
    }

    const stop = async () => {
      if (!live.has(child)) return;
      killGroup(child, 'SIGTERM'); // code-server cleans its children on SIGTERM
      const ok = await waitForExit(child, TIMEOUTS.stop);
      killGroup(child, 'SIGKILL'); // anything left in the group (lingering extension hosts)
      if (!ok) await waitForExit(child, 2000);
      live.delete(child);
      await removeShortTmp(runDir);
    };
    const workbenchUrl = (folder = workspaceDir, query = {}) => {
      const params = new URLSearchParams({ folder: path.resolve(folder), ...query });
      return `${url}/?${params.toString()}`;
    };
    return {
      url,
      port,
      runDir,
      userDataDir,
      extensionsDir,
      logFile,
      env,
      pid: child.pid,
      workbenchUrl,
      stop,
    };
  }
}

/**
 * The `payload` query parameter that makes the workbench load extension(s) under development
 * (and, with extensionTestsPath, run that suite in the extension host, see payload-runner.mjs).
 * Use it to drive the UI with the repo's build instead of a .vsix:
 *   openWorkbench(server, ws, { query: payloadQuery(server.port, { extensionDevelopmentPath: REPO_ROOT }) })
 * @param {number} port code-server's port
 * @param {{extensionDevelopmentPath: string | string[], extensionTestsPath?: string}} paths
 * @returns {{payload: string}}
 */
export function payloadQuery(port, { extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
  const payload = [extensionDevelopmentPath]
    .flat()
    .filter(Boolean)
    .map((p) => ['extensionDevelopmentPath', remote(p)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return { payload: JSON.stringify(payload) };
}

/**
 * Launches Debian chromium (headless, fresh profile) and opens the workbench on `folder`.
 *
 * @param {string | {url: string, runDir: string, env: Record<string, string>}} url code-server
 *   base url (server.url), or the handle from startCodeServer itself (then the browser shares
 *   its run folder and HOME/TMPDIR)
 * @param {string} folder absolute path of the folder to open
 * @param {object} [opts]
 * @param {string} [opts.runDir] where the profile goes; with opts.env, e.g. server.runDir
 * @param {Record<string, string>} [opts.env] HOME/TMPDIR/XDG_* for chromium, e.g. server.env
 *   (both default to a new run folder of its own)
 * @param {Record<string, string>} [opts.query] extra query parameters (e.g. payload)
 * @param {(page: import('playwright-core').Page) => Promise<void>} [opts.beforeNavigate]
 *   called before the first navigation (page.exposeFunction, console listeners, ...)
 * @param {{width: number, height: number}} [opts.viewport] default 1280x800
 * @param {string|null} [opts.waitFor] selector to wait for, default '.monaco-workbench'; null: none
 * @param {number} [opts.timeout] for the navigation and the wait, default TIMEOUTS.workbench
 * @returns {Promise<{browser: import('playwright-core').BrowserContext,
 *   context: import('playwright-core').BrowserContext, page: import('playwright-core').Page,
 *   close: () => Promise<void>}>}
 */
export async function openWorkbench(url, folder, opts = {}) {
  if (typeof url === 'object' && url) {
    // a handle from startCodeServer: share its run folder and HOME/TMPDIR
    opts = { runDir: url.runDir, env: url.env, ...opts };
    url = url.url;
  }
  const { chromium } = playwright();
  const { query = {}, beforeNavigate, viewport = { width: 1280, height: 800 } } = opts;
  const waitFor = opts.waitFor === undefined ? '.monaco-workbench' : opts.waitFor;
  const timeout = opts.timeout ?? TIMEOUTS.workbench;
  // HOME/TMPDIR/XDG_* of the browser: its own run folder (chromium writes crash reports under
  // $HOME even with its own profile), or the server's when opts.env (server.env) is given.
  let runDir = opts.runDir;
  let runEnv = opts.env;
  const ownRunDir = !runDir || !runEnv;
  if (ownRunDir) ({ runDir, env: runEnv } = await createRunDir('browser'));
  // A fresh profile every time, even when several browsers share one run folder.
  const profileDir = await fsp.mkdtemp(path.join(runDir, 'chromium-profile-'));

  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    env: childEnv(pickRunEnv(runEnv)),
    viewport,
    deviceScaleFactor: 1,
    timeout,
  });
  const close = async () => {
    await context.close().catch(() => {});
    if (ownRunDir) await removeShortTmp(runDir);
  };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(TIMEOUTS.selector);
    if (beforeNavigate) await beforeNavigate(page);
    const params = new URLSearchParams({ folder: path.resolve(folder), ...query });
    await page.goto(`${url.replace(/\/$/, '')}/?${params.toString()}`, { timeout });
    if (waitFor) await page.locator(waitFor).first().waitFor({ state: 'visible', timeout });
    return { browser: context, context, page, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Waits until `selector` is in the given state (default visible) and returns its locator.
 * The error names the selector and the page title, which usually tells what covered it.
 */
export async function waitForSelector(
  page,
  selector,
  { timeout = TIMEOUTS.selector, state = 'visible' } = {},
) {
  const locator = page.locator(selector).first();
  try {
    await locator.waitFor({ state, timeout });
  } catch (err) {
    const title = await page.title().catch(() => '?');
    throw new Error(
      `waitForSelector(${JSON.stringify(selector)}, ${state}) failed after ${timeout} ms on "${title}": ${err.message.split('\n')[0]}`,
    );
  }
  return locator;
}

/** page.screenshot into `file` (relative paths are from the repo root; folders are created). Returns the absolute path. */
export async function screenshot(page, file, opts = {}) {
  const abs = path.resolve(REPO_ROOT, file);
  await fsp.mkdir(path.dirname(abs), { recursive: true });
  await page.screenshot({ path: abs, ...opts });
  return abs;
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exactText(s) {
  return new RegExp(`^${escapeRegExp(s)}$`);
}

/** The Explorer row whose label is exactly `name` (at any depth currently rendered). */
function explorerRow(page, name) {
  return page
    .locator('.explorer-folders-view .monaco-list-row')
    .filter({
      has: page.locator('.label-name', { hasText: exactText(name) }),
    })
    .first();
}

/** Locator of the active editor tab whose label is `name`. */
export function activeTab(page, name) {
  return page
    .locator('.tabs-container .tab.active')
    .filter({
      has: page.locator('.label-name', { hasText: exactText(name) }),
    })
    .first();
}

/**
 * Opens a workspace file (path relative to the opened folder, '/' separated) the way a user does:
 * clicks its row in the Explorer, expanding folders on the way; if the Explorer does not show it
 * within half the timeout, uses Quick Open (Ctrl+P, which searches with code-server's rg).
 * Resolves when its tab is the active one and the editor has painted its text.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} relativeName e.g. 'secret.yaml' or 'k8s/base/secret.yaml'
 * @param {{timeout?: number, via?: 'auto' | 'explorer' | 'quickOpen'}} [opts]
 */
export async function openFile(
  page,
  relativeName,
  { timeout = TIMEOUTS.openFile, via = 'auto' } = {},
) {
  const parts = relativeName.split(/[\\/]/).filter(Boolean);
  const base = parts[parts.length - 1];
  if (!base) throw new Error(`openFile: bad name ${JSON.stringify(relativeName)}`);
  const errors = [];
  let opened = false;
  // a hidden side bar (Ctrl+B) cannot show the Explorer: go straight to Quick Open then
  const sideBarHidden =
    via === 'auto' && (await page.locator('.part.sidebar').count()) > 0
      ? !(await page.locator('.part.sidebar').first().isVisible())
      : false;
  if (via !== 'quickOpen' && !sideBarHidden) {
    const t = via === 'explorer' ? timeout : Math.ceil(timeout / 2);
    try {
      await waitForSelector(page, '.explorer-folders-view .monaco-list-row', { timeout: t });
      for (let i = 0; i < parts.length - 1; i++) {
        const row = explorerRow(page, parts[i]);
        await row.waitFor({ state: 'visible', timeout: t });
        if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      }
      const row = explorerRow(page, base);
      await row.waitFor({ state: 'visible', timeout: t });
      await row.click();
      await activeTab(page, base).waitFor({ state: 'visible', timeout: t });
      opened = true;
    } catch (err) {
      errors.push(`Explorer: ${err.message.split('\n')[0]}`);
    }
  }
  if (!opened && via !== 'explorer') {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = await waitForSelector(page, '.quick-input-widget input', { timeout });
      await input.fill(parts.join('/'));
      // Enter opens the focused (first) row: wait until that is our file, as the list shows the
      // unfiltered "recently opened" rows for a moment after typing.
      let focused = page
        .locator('.quick-input-list .monaco-list-row.focused')
        .filter({ has: page.locator('.label-name', { hasText: exactText(base) }) });
      const dir = parts.slice(0, -1).join('/');
      if (dir) focused = focused.filter({ hasText: dir });
      await focused.first().waitFor({ state: 'visible', timeout });
      await page.keyboard.press('Enter');
      await activeTab(page, base).waitFor({ state: 'visible', timeout });
      opened = true;
    } catch (err) {
      errors.push(`Quick Open: ${err.message.split('\n')[0]}`);
    }
  }
  if (!opened) throw new Error(`openFile(${relativeName}) failed: ${errors.join('; ')}`);
  await waitForSelector(page, '.editor-instance .monaco-editor .view-lines', { timeout });
  // the editor's first paint can trail the tab by a frame or two (an empty file never has text)
  await page
    .waitForFunction(
      () =>
        [
          ...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line'),
        ].some((l) => (l.textContent ?? '').trim().length > 0),
      undefined,
      { timeout: 2000 },
    )
    .catch(() => {});
}

/**
 * Waits until the active editor shows syntax colouring (TextMate grammars load asynchronously,
 * a few hundred ms after the text), so that screenshots look like what a user sees.
 */
export async function waitForSyntaxHighlighting(page, { timeout = TIMEOUTS.selector } = {}) {
  await waitForSelector(
    page,
    '.editor-instance .monaco-editor .view-line span[class*="mtk"]:not(.mtk1)',
    { timeout },
  );
}

/**
 * Moves the mouse over the middle of `target` (a selector or locator, e.g. a squiggle or a
 * `.view-line` span) and waits for the editor hover. Playwright's own hover() refuses squiggles
 * because the text above them catches the pointer; a plain mouse move is what a user does.
 * @returns {Promise<import('playwright-core').Locator>} the visible `.monaco-hover`
 */
export async function hoverOver(page, target, { timeout = TIMEOUTS.selector } = {}) {
  const locator = typeof target === 'string' ? page.locator(target).first() : target;
  await locator.waitFor({ state: 'visible', timeout });
  const box = await locator.boundingBox();
  if (!box) throw new Error(`hoverOver: ${target} has no box`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  return waitForSelector(page, '.monaco-hover:not(.hidden)', { timeout });
}
