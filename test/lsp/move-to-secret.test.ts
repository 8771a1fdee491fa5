/**
 * "Move the value into a Secret" and "Move to Secret <name>" as an editor meets them: over LSP,
 * with a fix that edits another document of the file, applied, re-analysed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextDocumentEdit } from 'vscode-languageserver/node';
import { parseAllDocuments } from 'yaml';
import { TestLspClient } from '../helpers/lsp-client';

const secretDocument = (comment: string): string => `apiVersion: v1
kind: Secret
metadata:
  name: worker-env
${comment}stringData:
  OTHER: kept
`;

const WORKLOAD = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - name: app
          image: worker:1
          env:
            - name: DB_PASSWORD
              value: hunter2-x # rotate
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  mode: fast
  db_password: abc123
`;

let client: TestLspClient;
before(async () => {
  client = await TestLspClient.start();
});
after(async () => {
  await client.stop();
});

async function applyFix(
  uri: string,
  text: string,
  version: number,
  diagnostic: Diagnostic,
  title: string,
): Promise<string> {
  const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(action?.edit?.documentChanges, `offered: ${actions.map((a) => a.title).join(', ')}`);
  const change = action.edit.documentChanges[0] as TextDocumentEdit;
  assert.equal(change.textDocument.version, version);
  const edits = change.edits.filter((edit) => 'newText' in edit);
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', version, text), edits);
}

test('moving env and ConfigMap values into Secrets, one fix editing an earlier document', async () => {
  const uri = 'untitled:worker.yaml';
  // Version 1, then version 2 with a comment that moves the Secret's stringData down a line:
  // the fix must follow the Secret's document, not a cached position.
  const v1 = secretDocument('') + WORKLOAD;
  const v2 = secretDocument('# the worker\n') + WORKLOAD;
  await client.open(uri, v1);
  await client.diagnostics(uri, 1);
  client.clearPublished();
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: v2 }],
  });
  const diagnostics = await client.diagnostics(uri, 2);
  const env = diagnostics.find((d) => d.code === 'hardcoded-secret-env');
  const configMap = diagnostics.find((d) => d.code === 'secret-in-configmap');
  assert.ok(env && configMap);
  assert.deepEqual(env.range, {
    start: { line: 19, character: 14 },
    end: { line: 20, character: 30 },
  });
  assert.deepEqual(configMap.range, {
    start: { line: 28, character: 2 },
    end: { line: 28, character: 13 },
  });
  assert.doesNotMatch(JSON.stringify(env.message), /hunter2/);
  assert.doesNotMatch(JSON.stringify(configMap.message), /abc123/);

  const fixed = await applyFix(uri, v2, 2, env, 'Move the value into a Secret');
  assert.equal(
    fixed,
    v2
      .replace(
        'stringData:\n  OTHER: kept\n',
        'stringData:\n  OTHER: kept\n  DB_PASSWORD: hunter2-x\n',
      )
      .replace(
        '              value: hunter2-x # rotate\n',
        '              valueFrom:\n                secretKeyRef:\n                  name: worker-env\n' +
          '                  key: DB_PASSWORD # rotate\n',
      ),
  );
  assert.deepEqual(
    parseAllDocuments(fixed).flatMap((d) => d.errors),
    [],
  );

  client.clearPublished();
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 3 },
    contentChanges: [{ text: fixed }],
  });
  const afterEnv = await client.diagnostics(uri, 3);
  assert.deepEqual(
    afterEnv.filter((d) => d.code === 'hardcoded-secret-env'),
    [],
  );
  const remaining = afterEnv.find((d) => d.code === 'secret-in-configmap');
  assert.ok(remaining);
  const moved = await applyFix(uri, fixed, 3, remaining, 'Move to Secret app-config-secret');
  assert.equal(
    moved,
    fixed.replace('  db_password: abc123\n', '') +
      '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: app-config-secret\ntype: Opaque\n' +
      'stringData:\n  db_password: abc123\n',
  );
});
