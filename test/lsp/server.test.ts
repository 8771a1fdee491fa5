import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver/node';
import { TestLspClient } from '../helpers/lsp-client';

const BAD_SECRET = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: db # the database',
  'data:',
  '  user: YWRtaW4=',
  '  password: aGVs bG8=',
  '',
].join('\n');

/** Applies the edits a code action makes to `uri` (documentChanges form) to `text`. */
function applyToDocument(text: string, uri: string, action: CodeAction): string {
  const changes = action.edit?.documentChanges ?? [];
  const document = TextDocument.create(uri, 'yaml', 1, text);
  const edits = changes
    .filter(
      (change): change is TextDocumentEdit =>
        'textDocument' in change && change.textDocument.uri === uri,
    )
    .flatMap((change) => change.edits);
  return TextDocument.applyEdits(document, edits as Parameters<typeof TextDocument.applyEdits>[1]);
}

describe('language server over stdio', () => {
  let client: TestLspClient;
  const uri = 'untitled:bad-secret.yaml';

  before(async () => {
    client = await TestLspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  test('publishes diagnostics after open, with code, doc link and exact range', async () => {
    await client.open(uri, BAD_SECRET);
    const diagnostics = await client.diagnostics(uri, 1);
    const invalid = diagnostics.filter((d) => d.code === 'invalid-base64');
    assert.equal(invalid.length, 1);
    assert.deepEqual(invalid[0]?.range, {
      start: { line: 6, character: 12 },
      end: { line: 6, character: 21 },
    });
    assert.equal(invalid[0]?.severity, 1);
    assert.equal(invalid[0]?.source, 'secret-guard');
    assert.match(invalid[0]?.codeDescription?.href ?? '', /docs\/rules\/invalid-base64\.md$/);
  });

  test('hover on a data value shows it decoded with its byte length', async () => {
    const hover = await client.hover(uri, { line: 5, character: 10 });
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
    assert.match(hover.contents.value, /```text\nadmin\n```/);
    assert.match(hover.contents.value, /5 bytes/);
    assert.deepEqual(hover.range, {
      start: { line: 5, character: 2 },
      end: { line: 5, character: 16 },
    });
  });

  test('hover outside a Secret value answers null', async () => {
    assert.equal(await client.hover(uri, { line: 0, character: 3 }), null);
  });

  test('code action fixes the value; didChange republishes without the finding', async () => {
    const diagnostics = await client.diagnostics(uri, 1);
    const invalid = diagnostics.find((d) => d.code === 'invalid-base64');
    assert.ok(invalid);
    // The rule's own fixes (suppression comments and refactors are tested in refactors.test.ts).
    const actions = (await client.codeActions(uri, invalid.range, [invalid])).filter(
      (a) => a.kind === 'quickfix' && !a.title.startsWith('Disable '),
    );
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Remove the white space inside the value', 'Encode as base64', 'Move to stringData'],
    );
    const fix = actions[0];
    assert.ok(fix);
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [invalid]);
    const fixed = applyToDocument(BAD_SECRET, uri, fix);
    assert.equal(fixed, BAD_SECRET.replace('aGVs bG8=', 'aGVsbG8='));
    client.clearPublished();
    const change = (fix.edit?.documentChanges?.[0] as TextDocumentEdit).edits[0];
    assert.ok(change && 'newText' in change);
    await client.change(uri, 2, change.range, change.newText);
    const after = await client.diagnostics(uri, 2);
    assert.deepEqual(
      after.filter((d) => d.code === 'invalid-base64'),
      [],
    );
    const hover = await client.hover(uri, { line: 6, character: 14 });
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
    assert.match(hover.contents.value, /```text\nhello\n```/);
  });

  test('closing a document clears its diagnostics', async () => {
    client.clearPublished();
    await client.close(uri);
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test('diagnostic messages and logs hold no value, raw or decoded', () => {
    const published = client.stdout
      .split(/Content-Length: \d+\r\n\r\n/)
      .filter((message) => message.includes('publishDiagnostics'));
    assert.ok(published.length > 0);
    for (const value of ['aGVs bG8=', 'YWRtaW4=', 'admin', 'aGVsbG8=', 'hello']) {
      for (const message of published)
        assert.ok(!message.includes(value), `diagnostics leak ${value}`);
      assert.ok(!client.stderr.includes(value), `stderr leaks ${value}`);
    }
  });
});

describe('language server settings', () => {
  test('reveal "never" hides decoded values from hovers; rules can be switched off', async () => {
    const client = await TestLspClient.start({
      settings: { reveal: 'never', rules: { 'invalid-base64': 'off' } },
    });
    try {
      const uri = 'untitled:settings.yaml';
      await client.open(uri, BAD_SECRET);
      // Analyses wait for the settings: the first publish already honours them.
      const diagnostics = await client.diagnostics(uri, 1);
      assert.deepEqual(
        diagnostics.filter((d) => d.code === 'invalid-base64'),
        [],
      );
      const hover = await client.hover(uri, { line: 5, character: 10 });
      assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
      assert.match(hover.contents.value, /5 bytes/);
      assert.ok(!hover.contents.value.includes('admin'));
    } finally {
      await client.stop();
    }
  });
});

describe('plaintext-in-repo over LSP', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'secret-guard-lsp-'));
    mkdirSync(join(root, '.git', 'refs'), { recursive: true });
    mkdirSync(join(root, '.git', 'objects'), { recursive: true });
    writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    mkdirSync(join(root, 'deploy'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('warns on a committed-to-be Secret and offers to create .gitignore', async () => {
    const file = join(root, 'deploy', 'db.yaml');
    const text =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aGVsbG8=\n';
    writeFileSync(file, text);
    const client = await TestLspClient.start({ rootUri: pathToFileURL(root).href });
    try {
      const uri = pathToFileURL(file).href;
      await client.open(uri, text);
      const diagnostics = await client.diagnostics(uri, 1);
      const warning = diagnostics.find((d) => d.code === 'plaintext-in-repo');
      assert.ok(warning, 'plaintext-in-repo published');
      assert.equal(warning.severity, 2);
      const [action] = await client.codeActions(uri, warning.range, [warning]);
      assert.equal(action?.title, 'Add this file to .gitignore');
      const changes = action?.edit?.documentChanges ?? [];
      const gitignoreUri = pathToFileURL(join(root, '.gitignore')).href;
      assert.deepEqual(changes[0], {
        kind: 'create',
        uri: gitignoreUri,
        options: { ignoreIfExists: true },
      } satisfies CreateFile);
      const edit = (changes[1] as TextDocumentEdit).edits[0];
      assert.equal(edit && 'newText' in edit ? edit.newText : '', '/deploy/db.yaml\n');
    } finally {
      await client.stop();
    }
  });
});
