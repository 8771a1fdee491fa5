/** The "Mount the Secret as a volume" fix as an editor meets it: over LSP, applied, re-analysed. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit } from 'vscode-languageserver/node';
import { parseAllDocuments } from 'yaml';
import { TestLspClient } from '../helpers/lsp-client';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api # the public API
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:1
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: orders-db
                  key: password
        - name: sidecar # untouched
          image: sidecar:1
`;

const EXPECTED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api # the public API
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:1
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD_FILE
              value: /etc/secrets/orders-db/password
          volumeMounts:
            - name: orders-db
              mountPath: /etc/secrets/orders-db
              readOnly: true
        - name: sidecar # untouched
          image: sidecar:1
      volumes:
        - name: orders-db
          secret:
            secretName: orders-db
`;

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
  const variant = actions[1];
  assert.ok(variant?.edit?.documentChanges);
  const change = variant.edit.documentChanges[0] as TextDocumentEdit;
  assert.equal(change.textDocument.version, 1);
  const edits = change.edits.filter((edit) => 'newText' in edit);
  const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, DEPLOYMENT), edits);
  assert.equal(fixed, EXPECTED);
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
