// One JSON-RPC driver for every language server the bench times (ours and yaml-language-server):
// it starts the server over stdio, answers what servers ask of a client, and times an open or
// an edit up to the next publishDiagnostics for that document.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { ROOT } from './project.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} = require('vscode-languageserver/node');

const CAPABILITIES = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
  },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: true },
    publishDiagnostics: { versionSupport: true },
  },
};

/**
 * @param {object} options
 * @param {string[]} options.command node arguments (the server's script and its own)
 * @param {(section: string | undefined) => unknown} options.configuration answers
 *   workspace/configuration, item by item
 * @param {string | null} [options.rootUri]
 * @param {Record<string, string>} [options.env]
 */
export async function startLanguageServer({ command, configuration, rootUri = null, env = {} }) {
  const child = spawn(process.execPath, command, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const waiting = new Map(); // uri -> [resolve]
  const published = new Map(); // uri -> count
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const at = performance.now();
    published.set(params.uri, (published.get(params.uri) ?? 0) + 1);
    const resolvers = waiting.get(params.uri) ?? [];
    waiting.delete(params.uri);
    for (const resolve of resolvers) resolve({ at, params });
  });
  connection.onRequest('workspace/configuration', (params) =>
    params.items.map((item) => configuration(item.section) ?? null),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('client/unregisterCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/workspaceFolders', () =>
    rootUri ? [{ uri: rootUri, name: 'bench' }] : null,
  );
  connection.onNotification('window/logMessage', () => undefined);
  connection.onNotification('window/showMessage', () => undefined);
  connection.onNotification('$/progress', () => undefined);
  connection.onNotification('telemetry/event', () => undefined);
  connection.onUnhandledNotification(() => undefined);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: 'bench' }] : null,
    capabilities: CAPABILITIES,
  });
  await connection.sendNotification('initialized', {});

  /** Resolves at the next publishDiagnostics for `uri` (with `version`, when it says one). */
  const nextPublish = (uri, version, timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no diagnostics for ${uri} in ${timeoutMs} ms\n${stderr}`)),
        timeoutMs,
      );
      const wait = () => {
        const list = waiting.get(uri) ?? [];
        list.push(({ at, params }) => {
          // An older version's diagnostics can still be on their way: wait for this one.
          if (version !== undefined && params.version != null && params.version < version) {
            wait();
            return;
          }
          clearTimeout(timer);
          resolve({ at, diagnostics: params.diagnostics });
        });
        waiting.set(uri, list);
      };
      wait();
    });

  return {
    child,
    connection,
    get stderr() {
      return stderr;
    },
    published,
    /** didOpen, then the milliseconds to the first diagnostics. */
    async open(uri, text, languageId = 'yaml') {
      const published = nextPublish(uri, 1);
      const start = performance.now();
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId, version: 1, text },
      });
      const { at, diagnostics } = await published;
      return { ms: at - start, diagnostics };
    },
    /** An incremental didChange, then the milliseconds to the diagnostics of that version. */
    async change(uri, version, range, text) {
      const published = nextPublish(uri, version);
      const start = performance.now();
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range, text }],
      });
      const { at, diagnostics } = await published;
      return { ms: at - start, diagnostics };
    },
    async close(uri) {
      await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    /** The server's resident memory now and at its peak (Linux /proc). */
    /** The live heap after a full collection (a server started with `heapReport`). */
    async liveHeap(report) {
      rmSync(report, { force: true });
      child.kill('SIGUSR2');
      for (let waited = 0; waited < 10_000 && !existsSync(report); waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return JSON.parse(readFileSync(report, 'utf8'));
    },
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
      return { rssBytes: kb('VmRSS') * 1024, peakRssBytes: kb('VmHWM') * 1024 };
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        await Promise.race([
          connection.sendRequest('shutdown'),
          new Promise((resolve) => setTimeout(resolve, 5000)),
        ]);
        await connection.sendNotification('exit');
      } catch {
        // Gone already.
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      connection.dispose();
    },
  };
}

/** Our server, as users run it (the esbuild bundle), optionally with the loop monitor. */
export function startSecretGuard({ rootUri = null, loopReport, heapReport } = {}) {
  const command = [];
  const env = {};
  if (loopReport) {
    command.push('--require', join(ROOT, 'bench', 'lib', 'loop-monitor.js'));
    env.SECRET_GUARD_LOOP_REPORT = loopReport;
  }
  if (heapReport) {
    command.push('--expose-gc', '--require', join(ROOT, 'bench', 'lib', 'heap-probe.js'));
    env.SECRET_GUARD_HEAP_REPORT = heapReport;
  }
  command.push(join(ROOT, 'dist', 'server.js'), '--stdio');
  return startLanguageServer({
    command,
    rootUri,
    configuration: (section) => (section === 'secretGuard' ? {} : null),
    env,
  });
}

/** yaml-language-server from bench/node_modules: validation on, no schemas, no network. */
export function startYamlLanguageServer({ rootUri = null } = {}) {
  const script = join(
    ROOT,
    'bench',
    'node_modules',
    'yaml-language-server',
    'bin',
    'yaml-language-server',
  );
  return startLanguageServer({
    command: [script, '--stdio'],
    rootUri,
    configuration: (section) => {
      if (section === 'yaml') {
        return {
          validate: true,
          hover: false,
          completion: false,
          format: { enable: false },
          schemaStore: { enable: false },
          schemas: {},
          kubernetesCRDStore: { enable: false },
        };
      }
      if (section === 'http') return { proxy: '', proxyStrictSSL: false };
      return {};
    },
  });
}
