/**
 * Restricted Mode (VS Code's untrusted workspaces, `initializationOptions.trusted: false`): the
 * server analyses the open documents' text and reads no file of the workspace. Proved by what
 * it publishes and by a preload that logs every path the server hands to `node:fs`; then the
 * user grants trust, and the same workspace is read (so the log would catch reads). Symbolic
 * links out of the workspace are never followed by the crawl.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { TestLspClient } from '../helpers/lsp-client';
import { FS_ACCESS_LOG_PRELOAD } from '../helpers/paths';

let base: string;
let workspace: string;
let outside: string;
let fsLog: string;

const DB =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aHVudGVyMjI=\n  broken: not base64\n';
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      env:
        - name: REMOTE
          valueFrom:
            secretKeyRef: {name: remote, key: missing}
        - name: OUTSIDE
          valueFrom:
            secretKeyRef: {name: outside, key: missing}
`;
const secretNamed = (name: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ndata:\n  present: YQ==\n`;

before(() => {
  base = mkdtempSync(join(tmpdir(), 'secret-guard-trust-'));
  workspace = join(base, 'workspace');
  outside = join(base, 'outside');
  fsLog = join(base, 'fs.log');
  mkdirSync(join(workspace, '.git', 'refs'), { recursive: true });
  mkdirSync(join(workspace, '.git', 'objects'), { recursive: true });
  writeFileSync(join(workspace, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(workspace, '.gitignore'), 'ignored.yaml\n');
  writeFileSync(join(workspace, '.secret-guard.yaml'), 'rules:\n  invalid-base64: off\n');
  mkdirSync(join(workspace, 'deploy'));
  writeFileSync(join(workspace, 'deploy', 'db.yaml'), DB);
  writeFileSync(join(workspace, 'deploy', 'pod.yaml'), POD);
  writeFileSync(join(workspace, 'deploy', 'remote.yaml'), secretNamed('remote'));
  mkdirSync(outside);
  writeFileSync(join(outside, 'outside.yaml'), secretNamed('outside'));
  symlinkSync(outside, join(workspace, 'linked-folder'), 'dir');
  symlinkSync(join(outside, 'outside.yaml'), join(workspace, 'deploy', 'linked.yaml'), 'file');
  writeFileSync(fsLog, '');
});
after(() => rmSync(base, { recursive: true, force: true }));

/** The paths under `folder` that the server touched, from the fs log. */
function touched(folder: string): string[] {
  return readFileSync(fsLog, 'utf8')
    .split('\n')
    .filter((line) => line.includes(folder));
}

const codes = (diagnostics: Diagnostic[]): string[] =>
  diagnostics.map((d) => String(d.code)).sort();

test('Restricted Mode reads nothing of the workspace; trust granted, it does', async () => {
  const client = await TestLspClient.start({
    rootUri: pathToFileURL(workspace).href,
    initializationOptions: { trusted: false },
    nodeArgs: ['--require', FS_ACCESS_LOG_PRELOAD],
    env: { SECRET_GUARD_FS_LOG: fsLog },
  });
  try {
    const db = pathToFileURL(join(workspace, 'deploy', 'db.yaml')).href;
    const pod = pathToFileURL(join(workspace, 'deploy', 'pod.yaml')).href;
    await client.open(db, DB);
    await client.open(pod, POD);
    // No .secret-guard.yaml (invalid-base64 stays on), no git (no plaintext-in-repo), no
    // other manifest (remote's keys unknown: no secret-key-missing).
    const dbDiagnostics = await client.diagnostics(db, 1);
    assert.deepEqual(codes(dbDiagnostics), ['invalid-base64']);
    assert.deepEqual(codes(await client.diagnostics(pod, 1)), ['secret-in-env', 'secret-in-env']);
    // What else an editor does: hover a reference, go to its definition, ask for fixes, close.
    await client.hover(pod, { line: 10, character: 36 });
    await client.definition(pod, { line: 10, character: 36 });
    const actions = await client.codeActions(
      db,
      { start: { line: 0, character: 0 }, end: { line: 8, character: 0 } },
      dbDiagnostics,
    );
    assert.ok(
      actions.every((action) => !JSON.stringify(action).includes('.gitignore')),
      'no fix that writes another file',
    );
    await client.close(db);
    await client.open(db, DB, 'yaml', 2);
    await client.diagnostics(db, 2);
    assert.deepEqual(touched(workspace), [], 'no file of the workspace was touched');

    client.clearPublished();
    await client.connection.sendNotification('secretGuard/setTrusted', { trusted: true });
    // Trusted: the crawl finds remote.yaml, git and .secret-guard.yaml apply.
    const podTrusted = await client.diagnosticsWhere(pod, (d) =>
      d.some((x) => x.code === 'secret-key-missing'),
    );
    assert.deepEqual(codes(podTrusted), ['secret-in-env', 'secret-in-env', 'secret-key-missing']);
    assert.match(
      String(podTrusted.find((d) => d.code === 'secret-key-missing')?.message ?? ''),
      /remote/,
      'the Secret found through a link out of the workspace is not indexed',
    );
    const dbTrusted = await client.diagnosticsWhere(db, (d) =>
      d.some((x) => x.code === 'plaintext-in-repo'),
    );
    assert.deepEqual(codes(dbTrusted), ['plaintext-in-repo']);
    assert.ok(touched(workspace).length > 0, 'the log sees reads: trusted, the workspace is read');
    assert.deepEqual(touched(outside), [], 'nothing behind a symbolic link was read');
  } finally {
    await client.stop();
  }
});
