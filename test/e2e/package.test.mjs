// The packaged extension (`npm run package`): what the .vsix holds, what its manifest tells the
// Marketplace, and that the bundled CLI and server run from it alone, with no node_modules.
//
//   npm run test:e2e   (or, after `npm run package`: node --test test/e2e/package.test.mjs)
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const VSIX = path.join(REPO_ROOT, `k8s-secret-guard-${version}.vsix`);

/** The entries of a zip file (a .vsix), read from its central directory: name -> contents. */
function readZip(file) {
  const zip = fs.readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${file} is a zip file`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart =
      localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    entries.set(name, method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-guard-vsix-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the .vsix bundles client, server and CLI, with no node_modules', () => {
  assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run \`npm run package\``);
  const { size } = fs.statSync(VSIX);
  const entries = readZip(VSIX);
  const names = [...entries.keys()].sort();
  console.log(`${path.basename(VSIX)}: ${(size / 1024).toFixed(0)} KB, ${names.length} files`);
  assert.deepEqual(
    names.filter((name) => /(^|\/)node_modules\//.test(name)),
    [],
  );
  for (const name of [
    'extension/dist/extension.js',
    'extension/dist/server.js',
    'extension/dist/cli.js',
    'extension/bin/secret-guard.js',
    'extension/bin/secret-guard-ls.js',
    'extension/LICENSE.txt',
    'extension/changelog.md',
    'extension/readme.md',
    'extension/images/icon.png',
  ]) {
    assert.ok(names.includes(name), `${name} is packaged`);
  }
  assert.deepEqual(
    names.filter((name) => /\.(ts|map)$/.test(name) || name.startsWith('extension/test/')),
    [],
    'no sources, source maps or tests',
  );
  assert.ok(size < 1024 * 1024, `the .vsix stays small (${size} bytes)`);

  const manifest = JSON.parse(entries.get('extension/package.json').toString('utf8'));
  assert.equal(manifest.name, 'k8s-secret-guard');
  assert.equal(manifest.displayName, 'Secret Guard for Kubernetes');
  assert.equal(manifest.main, './dist/extension.js');
  assert.equal(manifest.icon, 'images/icon.png');
  // YAML and JSON files activate it; nothing at start-up (a command of its own may, when run)
  assert.deepEqual(
    manifest.activationEvents.filter((event) => !event.startsWith('onCommand:secretGuard.')),
    ['onLanguage:yaml', 'onLanguage:json'],
  );
  assert.ok(manifest.categories.includes('Linters'));
  for (const keyword of ['kubernetes', 'secret', 'base64', 'yaml']) {
    assert.ok(manifest.keywords.includes(keyword), `keyword ${keyword}`);
  }

  for (const [name, contents] of entries) {
    if (!name.startsWith('extension/')) continue;
    const file = path.join(tmp, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents);
  }
});

test('the CLI runs from the unpacked .vsix alone', () => {
  const cli = path.join(tmp, 'extension', 'bin', 'secret-guard.js');
  assert.ok(fs.existsSync(cli), 'unpacked by the previous test');
  const manifest = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'secrets', 'orders-db.yaml');
  const run = spawnSync(process.execPath, [cli, 'check', '--format', 'json', manifest], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: '' },
  });
  assert.equal(run.status, 1, run.stderr);
  const [file] = JSON.parse(run.stdout);
  assert.ok(file.messages.some((m) => m.ruleId === 'invalid-base64'));
});

test('the language server runs from the unpacked .vsix alone', async () => {
  const server = path.join(tmp, 'extension', 'bin', 'secret-guard-ls.js');
  const child = spawn(process.execPath, [server, '--stdio'], { cwd: tmp });
  try {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: null, rootUri: null, capabilities: {} },
    });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const answer = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const m = /Content-Length: (\d+)\r\n\r\n/.exec(out);
        if (m && out.length >= m.index + m[0].length + Number(m[1])) {
          resolve(JSON.parse(out.slice(m.index + m[0].length)));
        }
      });
      child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    });
    assert.equal(answer.id, 1);
    assert.equal(answer.result.capabilities.hoverProvider, true);
  } finally {
    child.kill();
  }
});
