/**
 * Decoded editing as an LSP client meets it: `secretGuard.decodedView` and
 * `secretGuard.applyDecodedView` over `workspace/executeCommand`, the `workspace/applyEdit` the
 * server sends back, code lenses, refusals, and that the flow writes no file.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit, TextEdit } from 'vscode-languageserver/node';
import type { ApplyDecodedViewResponse, DecodedViewResponse } from '../../server/src/lsp/protocol';
import { TestLspClient } from '../helpers/lsp-client';

const MANIFEST = `# two documents
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: v1
kind: Secret
metadata:
  name: db
data:
  user: YWRtaW4= # the admin
  password: czNjcjN0
`;

let client: TestLspClient;
before(async () => {
  client = await TestLspClient.start({ initializationOptions: { decodedEditing: true } });
});
after(async () => {
  await client.stop();
});

async function view(params: object): Promise<Extract<DecodedViewResponse, { ok: true }>> {
  const result = (await client.executeCommand(
    'secretGuard.decodedView',
    params,
  )) as DecodedViewResponse;
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result;
}

function editsOf(index: number): { uri: string; version: number | null; edits: TextEdit[] } {
  const applied = client.appliedEdits[index];
  assert.ok(applied, 'the server sent workspace/applyEdit');
  const change = applied.edit.documentChanges?.[0] as TextDocumentEdit | undefined;
  assert.ok(change);
  return {
    uri: change.textDocument.uri,
    version: change.textDocument.version,
    edits: change.edits.filter((edit): edit is TextEdit => 'newText' in edit),
  };
}

test('view by position, edit, save: one workspace/applyEdit on the open document, at its version', async () => {
  const uri = 'untitled:two-docs.yaml';
  // The document is open with unsaved changes (version 3): that text is what is edited.
  await client.open(uri, MANIFEST, 'yaml', 3);
  const opened = await view({ uri, position: { line: 13, character: 4 } });
  assert.equal(opened.document, 1);
  assert.equal(opened.object, 0);
  assert.equal(opened.name, 'db');
  assert.match(opened.text, /^ {2}user: admin$/m);
  assert.match(opened.text, /^ {2}password: s3cr3t$/m);

  const before = client.appliedEdits.length;
  const result = (await client.executeCommand('secretGuard.applyDecodedView', {
    uri,
    document: opened.document,
    object: opened.object,
    fingerprint: opened.fingerprint,
    text: opened.text.replace('password: s3cr3t', 'password: n3w'),
  })) as ApplyDecodedViewResponse;
  assert.ok(result.ok, result.ok ? '' : result.message);
  assert.equal(result.changed, true);
  assert.deepEqual(result.summary, { changed: 1, added: 0, removed: 0, moved: 0 });
  assert.equal(client.appliedEdits.length, before + 1);
  const { version, edits } = editsOf(before);
  assert.equal(version, 3);
  assert.equal(edits.length, 1, 'one minimal edit');
  const after = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 3, MANIFEST), edits);
  assert.equal(after, MANIFEST.replace('czNjcjN0', 'bjN3'));
  // The server's log holds no value.
  assert.doesNotMatch(client.stderr, /s3cr3t|n3w|admin/);

  // Saving the view again before the document changed: the values are not what the view was
  // made from any more only once the edit lands; until then the same fingerprint still matches.
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 4 },
    contentChanges: [{ text: after }],
  });
  const again = (await client.executeCommand('secretGuard.applyDecodedView', {
    uri,
    document: 1,
    object: 0,
    fingerprint: result.fingerprint,
    text: opened.text.replace('password: s3cr3t', 'password: n3w'),
  })) as ApplyDecodedViewResponse;
  assert.ok(again.ok);
  assert.equal(again.changed, false, 'saving the same values twice sends no edit');
  assert.equal(client.appliedEdits.length, before + 1);
  await client.close(uri);
});

test('the original changed underneath: refused clearly, no edit sent', async () => {
  const uri = 'untitled:stale.yaml';
  await client.open(uri, MANIFEST, 'yaml', 1);
  const opened = await view({ uri, document: 1 });
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: MANIFEST.replace('czNjcjN0', 'b3RoZXI=') }],
  });
  const before = client.appliedEdits.length;
  const result = (await client.executeCommand('secretGuard.applyDecodedView', {
    uri,
    document: 1,
    object: 0,
    fingerprint: opened.fingerprint,
    text: opened.text.replace('admin', 'root'),
  })) as ApplyDecodedViewResponse;
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.reason, 'stale');
  assert.match(!result.ok ? result.message : '', /changed in the manifest/);
  assert.equal(client.appliedEdits.length, before);
  await client.close(uri);
});

test('an invalid view and an edit the client rejects are refused without values', async () => {
  const uri = 'untitled:invalid.yaml';
  await client.open(uri, MANIFEST, 'yaml', 1);
  const opened = await view({ uri, document: 1 });
  const invalid = (await client.executeCommand('secretGuard.applyDecodedView', {
    uri,
    document: 1,
    object: 0,
    fingerprint: opened.fingerprint,
    text: opened.text.replace('  user: admin', '  user: [leaky-value]'),
  })) as ApplyDecodedViewResponse;
  assert.equal(!invalid.ok && invalid.reason, 'invalid-view');
  assert.doesNotMatch(JSON.stringify(invalid), /leaky-value/);

  client.applyEditResult = { applied: false, failureReason: 'version mismatch' };
  try {
    const rejected = (await client.executeCommand('secretGuard.applyDecodedView', {
      uri,
      document: 1,
      object: 0,
      fingerprint: opened.fingerprint,
      text: opened.text.replace('admin', 'root'),
    })) as ApplyDecodedViewResponse;
    assert.equal(!rejected.ok && rejected.reason, 'rejected');
  } finally {
    client.applyEditResult = { applied: true };
  }
  const missing = (await client.executeCommand('secretGuard.decodedView', {
    uri,
    position: { line: 2, character: 0 },
  })) as DecodedViewResponse;
  assert.deepEqual(missing, { ok: false, message: 'there is no Secret here' });
  await client.close(uri);
});

test('"Edit decoded values" lenses, one per Secret, when the client opens views itself', async () => {
  const uri = 'untitled:lenses.yaml';
  const text = `${MANIFEST}---\napiVersion: v1\nkind: Secret\nmetadata: {name: other}\nstringData: {a: b}\n`;
  await client.open(uri, text);
  const lenses = (await client.codeLenses(uri)) ?? [];
  assert.deepEqual(
    lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command]),
    [
      [8, 'Edit decoded values', 'secretGuard.editDecoded'],
      [16, 'Edit decoded values', 'secretGuard.editDecoded'],
    ],
  );
  assert.deepEqual(lenses[1]?.command?.arguments, [{ uri, document: 2, object: 0 }]);
  await client.close(uri);

  const plain = await TestLspClient.start();
  try {
    await plain.open(uri, text);
    assert.deepEqual(
      (await plain.codeLenses(uri)) ?? [],
      [],
      'no lenses for clients without the command',
    );
  } finally {
    await plain.stop();
  }
});

// ---------------------------------------------------------------------------------------
// No file is written
// ---------------------------------------------------------------------------------------

/** Files under `root` (at most `depth` levels) changed at or after `since`, with their paths. */
function changedFiles(root: string, since: number, depth = 4): string[] {
  const found: string[] = [];
  const walk = (folder: string, level: number): void => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(folder, name);
      let stats;
      try {
        stats = statSync(path);
      } catch {
        continue;
      }
      if (stats.isDirectory()) {
        if (level < depth) walk(path, level + 1);
      } else if (stats.isFile() && stats.mtimeMs >= since) {
        found.push(path);
      }
    }
  };
  walk(root, 0);
  return found;
}

/** Every file under `root` with its size and modification time. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of changedFiles(root, 0, 8)) {
    const stats = statSync(path);
    files[path] = `${stats.size}:${stats.mtimeMs}`;
  }
  return files;
}

function contains(path: string, needles: readonly string[]): boolean {
  try {
    const content = readFileSync(path);
    return needles.some((needle) => content.includes(needle));
  } catch {
    return false;
  }
}

test('decoded editing of a file on disk writes no file: not in the workspace, not in the temp folder', async () => {
  const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'secret-guard-decoded-')));
  // Values no other test uses, so that the temp folder (shared with tests running alongside)
  // can be searched for them.
  const oldValue = `old-${randomBytes(8).toString('hex')}`;
  const newValue = `new-${randomBytes(8).toString('hex')}`;
  const manifestPath = join(workspace, 'secret.yaml');
  const manifest = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: disk\ndata:\n  token: ${Buffer.from(oldValue).toString('base64')}\n`;
  writeFileSync(manifestPath, manifest);
  const workspaceBefore = snapshot(workspace);
  const startedAt = Date.now();
  const events: string[] = [];
  const watchers: FSWatcher[] = [
    watch(workspace, { recursive: true }, (_event, name) => events.push(String(name))),
  ];
  const workspaceClient = await TestLspClient.start({
    rootUri: pathToFileURL(workspace).href,
    initializationOptions: { decodedEditing: true },
  });
  try {
    // The manifest is not open: the server reads it from disk and edits it through the client.
    const uri = pathToFileURL(manifestPath).href;
    const result = (await workspaceClient.executeCommand('secretGuard.decodedView', {
      uri,
      document: 0,
    })) as DecodedViewResponse;
    assert.ok(result.ok);
    assert.ok(result.text.includes(oldValue));
    const applied = (await workspaceClient.executeCommand('secretGuard.applyDecodedView', {
      uri,
      document: 0,
      object: 0,
      fingerprint: result.fingerprint,
      text: result.text.replace(oldValue, newValue),
    })) as ApplyDecodedViewResponse;
    assert.ok(applied.ok, applied.ok ? '' : applied.message);
    const sent = workspaceClient.appliedEdits[0]?.edit.documentChanges?.[0] as TextDocumentEdit;
    assert.equal(sent.textDocument.version, null, 'a closed file is edited at no version');
    assert.equal(readFileSync(manifestPath, 'utf8'), manifest, 'the server itself writes nothing');
  } finally {
    await workspaceClient.stop();
    for (const watcher of watchers) watcher.close();
  }
  assert.deepEqual(events, [], 'nothing happened in the workspace folder');
  assert.deepEqual(snapshot(workspace), workspaceBefore, 'the workspace holds the same files');
  const needles = [oldValue, newValue, Buffer.from(newValue).toString('base64')];
  const leaked = changedFiles(tmpdir(), startedAt).filter((path) => contains(path, needles));
  assert.deepEqual(leaked, [], 'no file in the temp folder holds the values');
  rmSync(workspace, { recursive: true, force: true });
});
