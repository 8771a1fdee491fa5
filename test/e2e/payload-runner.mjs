// Runs an extension-host test suite (an `index.js` exporting `run()`, as @vscode/test-electron
// runs it) inside code-server's real Node extension host, without downloading VS Code.
// See "Extension-host tests" in shared/e2e/RECIPE.md.
//
//   import { runExtensionTests } from './payload-runner.mjs';
//   process.exitCode = await runExtensionTests({
//     extensionDevelopmentPath: repoRoot,                      // folder with the extension's package.json
//     extensionTestsPath: path.join(repoRoot, 'out/test/suite/index.js'),
//     workspaceDir: path.join(repoRoot, 'test/fixtures/ws'),
//   });
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { format } from 'node:util';
import {
  openWorkbench,
  payloadQuery,
  screenshot,
  startCodeServer,
  TIMEOUTS,
} from './code-server.mjs';

// Lines the workbench itself logs at INFO while it starts; everything else at INFO once the
// extension host is up is the suite's console output. (All of it goes to <run>/browser-console.log.)
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(/,
  /^\[Service Worker\]/,
  /^Updating additional builtin extensions cache/,
  /^ChatSessionStore:/,
  /^Started local extension host/,
  /^\[perf\]/,
  /^Ignoring fetching additional builtin extensions from gallery/,
];

/**
 * @param {object} opts
 * @param {string | string[]} opts.extensionDevelopmentPath folder(s) holding the extension's package.json
 * @param {string} opts.extensionTestsPath the suite: a file (or folder with index.js) exporting run()
 * @param {string} opts.workspaceDir folder to open in the workbench
 * @param {string} [opts.vsix] also install this .vsix first
 * @param {Record<string, unknown>} [opts.settings] extra user settings
 * @param {Record<string, string>} [opts.env] extra environment of code-server and its extension host
 * @param {number} [opts.timeout] ms until the suite must have finished (default 5 min)
 * @param {NodeJS.WritableStream} [opts.stdout] where the suite's console.log/info goes
 * @param {NodeJS.WritableStream} [opts.stderr] where its console.error/warn goes
 * @returns {Promise<number>} the suite's exit code: 0 when run() resolved, non-zero otherwise
 */
export async function runExtensionTests(opts) {
  const {
    extensionTestsPath,
    workspaceDir,
    vsix,
    settings,
    env,
    timeout = 300_000,
    stdout = process.stdout,
    stderr = process.stderr,
  } = opts;
  const devPaths = [opts.extensionDevelopmentPath]
    .flat()
    .filter(Boolean)
    .map((p) => path.resolve(p));
  if (!devPaths.length) throw new Error('runExtensionTests: extensionDevelopmentPath is required');
  if (!extensionTestsPath) throw new Error('runExtensionTests: extensionTestsPath is required');
  if (!workspaceDir) throw new Error('runExtensionTests: workspaceDir is required');
  for (const p of devPaths) {
    if (!fs.existsSync(path.join(p, 'package.json'))) {
      throw new Error(`runExtensionTests: no package.json in extensionDevelopmentPath ${p}`);
    }
  }
  const testsPath = path.resolve(extensionTestsPath);
  if (!fs.existsSync(testsPath))
    throw new Error(`runExtensionTests: no such extensionTestsPath ${testsPath}`);

  const server = await startCodeServer({
    workspaceDir: path.resolve(workspaceDir),
    vsix,
    settings,
    env,
  });
  const consoleLog = fs.createWriteStream(path.join(server.runDir, 'browser-console.log'));

  let settle;
  const finished = new Promise((resolve, reject) => (settle = { resolve, reject }));
  finished.catch(() => {}); // handled where it is awaited; no unhandledRejection before that
  let extensionHostUp = false;
  let workbench;
  const started = Date.now();
  const timer = setTimeout(
    () => settle.reject(new Error(`extension tests did not finish within ${timeout} ms`)),
    timeout,
  );
  try {
    workbench = await openWorkbench(server, workspaceDir, {
      query: payloadQuery(server.port, {
        extensionDevelopmentPath: devPaths,
        extensionTestsPath: testsPath,
      }),
      timeout: Math.min(timeout, TIMEOUTS.workbench),
      beforeNavigate: async (page) => {
        await page.exposeFunction('codeAutomationExit', (code) => {
          settle.resolve(Number.isInteger(code) ? code : Number(code) || 0);
        });
        page.on('console', (msg) => {
          void forward(msg);
        });
        page.on('crash', () => settle.reject(new Error('the workbench page crashed')));
        page.on('pageerror', (err) => consoleLog.write(`[pageerror] ${err.stack ?? err}\n`));
      },
    });

    async function forward(msg) {
      const args = await Promise.all(
        msg.args().map((a) => a.jsonValue().catch(() => '[unserializable]')),
      );
      // The workbench logs as console.log('%c INFO', 'color: ...', ...args) (also '%c  ERR',
      // '%c WARN', '%c TRACE', '%cDEBUG'); the suite's console output arrives the same way.
      const m =
        typeof args[0] === 'string' ? /^%c\s*(TRACE|DEBUG|INFO|WARN|ERR)\s*$/.exec(args[0]) : null;
      const level = m ? m[1] : msg.type();
      const text = m ? format(...args.slice(2)) : args.length ? format(...args) : msg.text();
      consoleLog.write(`[${level}] ${text}\n`);
      if (!m) return;
      if (!extensionHostUp) {
        if (/^Creating a socket \(renderer-ExtensionHost-.*successful/.test(text))
          extensionHostUp = true;
        if (level !== 'ERR') return;
      }
      if (WORKBENCH_NOISE.some((re) => re.test(text))) return;
      if (level === 'INFO') stdout.write(`${text}\n`);
      else if (level === 'ERR' || level === 'WARN') stderr.write(`${text}\n`);
    }

    const code = await finished;
    stdout.write(
      `[e2e] extension tests exited with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return code;
  } catch (err) {
    if (workbench) {
      const shot = path.join(server.runDir, 'failure.png');
      await screenshot(workbench.page, shot).catch(() => {});
      stderr.write(`[e2e] screenshot of the workbench: ${shot}\n`);
    }
    stderr.write(`[e2e] code-server log: ${server.logFile}; browser console: ${consoleLog.path}\n`);
    throw err;
  } finally {
    clearTimeout(timer);
    await workbench?.close();
    await server.stop();
    consoleLog.end();
  }
}
