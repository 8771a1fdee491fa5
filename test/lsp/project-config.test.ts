/**
 * The editor reads `.secret-guard.yaml` as the CLI does: rule levels (which the user's
 * `secretGuard.rules` override), ignored files, its own mistakes shown on it, and changes
 * (typed in the editor, or on disk) applied at once.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import { TestLspClient } from '../helpers/lsp-client';

// `czNjcjN0LXBhc3M` lacks its `=` padding: invalid-base64, an error by default.
const BAD_SECRET = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: db',
  'data:',
  '  password: czNjcjN0LXBhc3M',
  '',
].join('\n');

const CONFIG = ['rules:', '  invalid-base64: warning', 'ignore:', '  - vendored/', ''].join('\n');

const SEVERITY = { error: 1, warning: 2, info: 3, hint: 4 } as const;

const base64Findings = (diagnostics: Diagnostic[]): Diagnostic[] =>
  diagnostics.filter((diagnostic) => diagnostic.code === 'invalid-base64');

const severityOfBase64 = (diagnostics: Diagnostic[]): number | undefined =>
  base64Findings(diagnostics)[0]?.severity;

describe('.secret-guard.yaml in the editor', () => {
  let root: string;
  let client: TestLspClient;
  let configPath: string;
  let configUri: string;
  let secretUri: string;

  before(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'secret-guard-config-')));
    // The configuration applies up to the git work tree's root.
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'vendored'));
    configPath = join(root, '.secret-guard.yaml');
    writeFileSync(configPath, CONFIG);
    writeFileSync(join(root, 'db.yaml'), BAD_SECRET);
    writeFileSync(join(root, 'vendored', 'db.yaml'), BAD_SECRET);
    configUri = pathToFileURL(configPath).href;
    secretUri = pathToFileURL(join(root, 'db.yaml')).href;
    client = await TestLspClient.start({ rootUri: pathToFileURL(root).href });
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('rule levels come from the file', async () => {
    await client.open(secretUri, BAD_SECRET);
    const diagnostics = await client.diagnostics(secretUri, 1);
    assert.equal(base64Findings(diagnostics).length, 1);
    assert.equal(severityOfBase64(diagnostics), SEVERITY.warning);
  });

  test('a file matched by ignore gets no diagnostics', async () => {
    const ignoredUri = pathToFileURL(join(root, 'vendored', 'db.yaml')).href;
    await client.open(ignoredUri, BAD_SECRET);
    assert.deepEqual(await client.diagnostics(ignoredUri, 1), []);
    await client.close(ignoredUri);
  });

  test('the open configuration file shows its mistakes, and unsaved edits apply at once', async () => {
    const typo = CONFIG.replace('invalid-base64: warning', 'invalid-base46: warning');
    client.clearPublished();
    await client.open(configUri, typo);
    const [mistake, ...others] = await client.diagnostics(configUri, 1);
    assert.equal(others.length, 0);
    assert.ok(mistake);
    assert.equal(mistake.severity, SEVERITY.error);
    assert.match(String(mistake.message), /unknown rule id: invalid-base46/);
    assert.deepEqual(mistake.range, {
      start: { line: 1, character: 2 },
      end: { line: 1, character: 16 },
    });
    // A configuration with mistakes is not applied: the default level is back.
    assert.equal(
      severityOfBase64(await client.diagnosticsWhere(secretUri, (d) => d.length > 0)),
      SEVERITY.error,
    );

    client.clearPublished();
    await client.change(
      configUri,
      2,
      { start: { line: 1, character: 2 }, end: { line: 1, character: 25 } },
      'invalid-base64: off',
    );
    assert.deepEqual(await client.diagnostics(configUri, 2), []);
    await client.diagnosticsWhere(secretUri, (d) => base64Findings(d).length === 0);
  });

  test('closing the configuration file falls back to the file on disk', async () => {
    client.clearPublished();
    await client.close(configUri);
    const diagnostics = await client.diagnosticsWhere(
      secretUri,
      (d) => base64Findings(d).length > 0,
    );
    assert.equal(severityOfBase64(diagnostics), SEVERITY.warning);
  });

  test('a change on disk, reported by the watcher, applies at once', async () => {
    client.clearPublished();
    writeFileSync(configPath, CONFIG.replace('invalid-base64: warning', 'invalid-base64: info'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: configUri, type: 2 }],
    });
    const diagnostics = await client.diagnosticsWhere(
      secretUri,
      (d) => severityOfBase64(d) === SEVERITY.info,
    );
    assert.equal(base64Findings(diagnostics).length, 1);
  });
});

describe('.secret-guard.yaml and the user settings', () => {
  test("the user's secretGuard.rules win over the file", async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'secret-guard-config-')));
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, '.secret-guard.yaml'), CONFIG);
    const uri = pathToFileURL(join(root, 'db.yaml')).href;
    const client = await TestLspClient.start({
      rootUri: pathToFileURL(root).href,
      settings: { rules: { 'invalid-base64': 'hint' } },
    });
    try {
      await client.open(uri, BAD_SECRET);
      assert.equal(severityOfBase64(await client.diagnostics(uri, 1)), SEVERITY.hint);
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
