/** The "Mount the Secret as a volume" fix as an editor meets it: over LSP, applied, re-analysed. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit } from 'vscode-languageserver/node';
import { parseAllDocuments } from 'yaml';
import { TestLspClient } from '../helpers/lsp-client';
import { REPO_ROOT } from '../helpers/paths';

// The editor tests' Deployment and what the fixes make of it, one copy for all of them.
const E2E = path.join(REPO_ROOT, 'test', 'e2e');
const DEPLOYMENT = readFileSync(path.join(E2E, 'fixtures', 'workloads', 'api.yaml'), 'utf8');
const EXPECTED = readFileSync(path.join(E2E, 'expected', 'api-volume-fix.yaml'), 'utf8');
const EXPECTED_WITH_FILE_VARIABLE = readFileSync(
  path.join(E2E, 'expected', 'api-volume-fix-with-file-variable.yaml'),
  'utf8',
);

let client: TestLspClient;
before(async () => {
  client = await TestLspClient.start();
});
after(async () => {
  await client.stop();
});

test('secret-in-env: code actions, applying the _FILE variant, diagnostics update', async () => {
  const uri = 'untitled:deployment.yaml';
  await client.open(uri, DEPLOYMENT);
  const diagnostics = await client.diagnostics(uri, 1);
  const finding = diagnostics.find((d) => d.code === 'secret-in-env');
  assert.ok(finding);
  assert.equal(finding.severity, 3);
  assert.deepEqual(finding.range, {
    start: { line: 13, character: 14 },
    end: { line: 17, character: 31 },
  });
  // The rule's own fixes (suppression comments and refactors are tested in refactors.test.ts).
  const actions = (await client.codeActions(uri, finding.range, [finding])).filter(
    (a) => a.kind === 'quickfix' && !a.title.startsWith('Disable '),
  );
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Mount the Secret as a volume', 'Mount the Secret as a volume and set DB_PASSWORD_FILE'],
  );
  const applied = (index: number): string => {
    const action = actions[index];
    assert.ok(action?.edit?.documentChanges);
    const change = action.edit.documentChanges[0] as TextDocumentEdit;
    assert.equal(change.textDocument.version, 1);
    const edits = change.edits.filter((edit) => 'newText' in edit);
    return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, DEPLOYMENT), edits);
  };
  // The first is the fix the editor tests apply.
  assert.equal(applied(0), EXPECTED);
  const fixed = applied(1);
  assert.equal(fixed, EXPECTED_WITH_FILE_VARIABLE);
  assert.deepEqual(
    parseAllDocuments(fixed).flatMap((d) => d.errors),
    [],
  );

  // The editor applies the edits as one change; the server re-publishes for version 2.
  client.clearPublished();
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: fixed }],
  });
  const after = await client.diagnostics(uri, 2);
  assert.deepEqual(
    after.filter((d) => d.code === 'secret-in-env'),
    [],
  );
});
