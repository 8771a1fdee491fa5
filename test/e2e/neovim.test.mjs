// Another editor: headless Neovim (Debian's 0.7) configured with exactly the README's Neovim
// snippet starts `secret-guard-ls --stdio`, opens a manifest, and reads the pushed diagnostics and
// a hover. The Lua side (neovim/check-lsp.lua) writes what it saw to a JSON file read here.
//
//   npm run test:e2e   (or: node --test test/e2e/neovim.test.mjs; needs `nvim` and a build)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
const TIMEOUT_MS = 20_000;

/** The Lua code block that follows the README's "Neovim" paragraph. */
function readmeNeovimSnippet() {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const match = /^Neovim[^\n]*:\n\n```lua\n([\s\S]*?)\n```/m.exec(readme);
  assert.ok(match, 'the README has a Neovim paragraph followed by a ```lua block');
  return match[1];
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-guard-nvim-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('Neovim 0.7 with the README snippet: diagnostics and a hover from secret-guard-ls', () => {
  const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.ok(!nvim.error, 'nvim is installed (bash scripts/e2e-setup.sh installs Debian neovim)');
  assert.ok(
    fs.existsSync(path.join(REPO_ROOT, 'dist', 'server.js')),
    'dist/ is missing: run `npm run build`',
  );

  // `secret-guard-ls` on PATH, as `npm install -g` would put it
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, 'secret-guard-ls'),
    `#!/bin/sh\nexec "${process.execPath}" "${path.join(REPO_ROOT, 'bin', 'secret-guard-ls.js')}" "$@"\n`,
    { mode: 0o755 },
  );
  const config = path.join(tmp, 'init.lua');
  fs.writeFileSync(config, readmeNeovimSnippet());
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(REPO_ROOT, 'test', 'e2e', 'fixtures'), workspace, { recursive: true });
  const manifest = path.join(workspace, 'secrets', 'orders-db.yaml');
  const out = path.join(tmp, 'result.json');
  const home = path.join(tmp, 'home');
  fs.mkdirSync(home);

  const run = spawnSync(
    'nvim',
    [
      '--headless',
      '-u',
      'NONE',
      '-i',
      'NONE',
      '-n',
      '-c',
      `luafile ${path.join(HERE, 'neovim', 'check-lsp.lua')}`,
    ],
    {
      cwd: workspace,
      encoding: 'utf8',
      input: '',
      timeout: TIMEOUT_MS * 3,
      env: {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, '.config'),
        XDG_DATA_HOME: path.join(home, '.local', 'share'),
        XDG_STATE_HOME: path.join(home, '.local', 'state'),
        XDG_CACHE_HOME: path.join(home, '.cache'),
        SG_CONFIG: config,
        SG_FILE: manifest,
        SG_HOVER_TEXT: 'b3JkZXJzLWFwcA==',
        SG_OUT: out,
        SG_TIMEOUT_MS: String(TIMEOUT_MS),
      },
    },
  );
  assert.ok(!run.error, `nvim ran: ${run.error}`);
  assert.ok(
    fs.existsSync(out),
    `nvim wrote its result (exit ${run.status}):\n${run.stdout}\n${run.stderr}`,
  );
  const result = JSON.parse(fs.readFileSync(out, 'utf8'));
  console.log(
    `Neovim ${result.nvim}: client ${result.client}, ${result.diagnostics?.length ?? 0} diagnostic(s)`,
  );
  assert.equal(result.error, undefined, `the Lua script failed: ${result.error}`);
  assert.match(result.nvim, /^0\.\d+\.\d+$/);
  assert.equal(result.filetype, 'yaml');
  assert.equal(result.attached, true, 'the snippet attached the client to the YAML buffer');
  assert.equal(result.client, 'secret-guard');

  const lines = fs.readFileSync(manifest, 'utf8').split('\n');
  const line = lines.findIndex((text) => text.startsWith('  password: czNjcjN0LXBhc3M'));
  const finding = result.diagnostics.find((d) => d.code === 'invalid-base64');
  assert.ok(finding, `an invalid-base64 diagnostic: ${JSON.stringify(result.diagnostics)}`);
  assert.deepEqual(
    [finding.lnum, finding.col, finding.end_lnum, finding.end_col, finding.severity],
    [line, 12, line, 12 + 'czNjcjN0LXBhc3M'.length, 1], // 1 = vim.diagnostic.severity.ERROR
  );
  assert.match(finding.message, /^data\.password is not valid base64/);

  const hover = result.hover?.map((contents) => contents.value ?? contents).join('\n') ?? '';
  assert.match(hover, /data\.username/);
  assert.ok(hover.includes('orders-app'), 'the hover shows the decoded value');
});
