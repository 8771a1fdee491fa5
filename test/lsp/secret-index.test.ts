/**
 * The server indexes the workspace's Secrets: secret-key-missing and go-to-definition work
 * across files, and follow changes on disk.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Location, TextDocumentEdit } from 'vscode-languageserver/node';
import { TestLspClient } from '../helpers/lsp-client';
import { apiDeployment } from '../helpers/manifests';

const SECRET = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: orders-db',
  'data:',
  '  username: YWRtaW4=',
  'stringData:',
  '  password: hunter2-value',
  '',
].join('\n');

const DEPLOYMENT = apiDeployment([
  '      containers:',
  '        - name: api',
  '          image: api:1',
  '          env:',
  '            - name: DB_PASSWORD',
  '              valueFrom:',
  '                secretKeyRef:',
  '                  name: orders-db',
  '                  key: pasword',
  '      volumes:',
  '        - name: db',
  '          secret:',
  '            secretName: orders-db',
  '            items:',
  '              - key: username',
  '                path: user',
]);

const missingKey = (diagnostics: Diagnostic[]): Diagnostic[] =>
  diagnostics.filter((d) => d.code === 'secret-key-missing');

describe('workspace Secret index', () => {
  let client: TestLspClient;
  let root: string;
  let secretPath: string;
  let deploymentUri: string;

  before(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'secret-guard-index-')));
    mkdirSync(join(root, 'secrets'));
    mkdirSync(join(root, 'apps'));
    secretPath = join(root, 'secrets', 'orders-db.yaml');
    writeFileSync(secretPath, SECRET);
    writeFileSync(join(root, 'apps', 'api.yaml'), DEPLOYMENT);
    deploymentUri = pathToFileURL(join(root, 'apps', 'api.yaml')).href;
    client = await TestLspClient.start({ rootUri: pathToFileURL(root).href });
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('a key missing from a Secret in another, unopened file is reported with a suggestion', async () => {
    await client.open(deploymentUri, DEPLOYMENT);
    const [diagnostic, ...others] = missingKey(await client.diagnostics(deploymentUri, 1));
    assert.equal(others.length, 0);
    assert.ok(diagnostic);
    assert.deepEqual(diagnostic.range, {
      start: { line: 15, character: 23 },
      end: { line: 15, character: 30 },
    });
    assert.equal(diagnostic.severity, 2);
    assert.equal(
      diagnostic.message,
      'Secret "orders-db" has no key "pasword": the container cannot start; did you mean "password"?',
    );
  });

  test('the quick fix writes the suggested key', async () => {
    const [diagnostic] = missingKey(await client.diagnostics(deploymentUri, 1));
    assert.ok(diagnostic);
    const actions = await client.codeActions(deploymentUri, diagnostic.range, [diagnostic]);
    const fix = actions.find((action) => action.title === "Replace with 'password'");
    assert.ok(fix, JSON.stringify(actions.map((action) => action.title)));
    const edits = (fix.edit?.documentChanges ?? []).flatMap((change) =>
      'textDocument' in change ? (change as TextDocumentEdit).edits : [],
    );
    const document = TextDocument.create(deploymentUri, 'yaml', 1, DEPLOYMENT);
    assert.equal(
      TextDocument.applyEdits(document, edits as Parameters<typeof TextDocument.applyEdits>[1]),
      DEPLOYMENT.replace('key: pasword', 'key: password'),
    );
  });

  test('go to definition: from a Secret name and from a key to the other file', async () => {
    const secretUri = pathToFileURL(secretPath).href;
    const byName = (await client.definition(deploymentUri, {
      line: 19,
      character: 27,
    })) as Location[];
    assert.deepEqual(byName, [
      {
        uri: secretUri,
        range: { start: { line: 3, character: 8 }, end: { line: 3, character: 17 } },
      },
    ]);
    const byKey = (await client.definition(deploymentUri, {
      line: 21,
      character: 22,
    })) as Location[];
    assert.deepEqual(byKey, [
      {
        uri: secretUri,
        range: { start: { line: 5, character: 2 }, end: { line: 5, character: 10 } },
      },
    ]);
    assert.deepEqual(await client.definition(deploymentUri, { line: 3, character: 9 }), []);
  });

  test('the Secret changed on disk: a watched-file event clears the finding', async () => {
    client.clearPublished();
    writeFileSync(secretPath, SECRET.replace('  password:', '  pasword:'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(secretPath).href, type: 2 }],
    });
    const diagnostics = await client.diagnosticsWhere(
      deploymentUri,
      (published) => missingKey(published).length === 0,
    );
    assert.deepEqual(missingKey(diagnostics), []);
  });

  test('the Secret deleted on disk: nothing is known about it, nothing is reported', async () => {
    writeFileSync(secretPath, SECRET);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(secretPath).href, type: 2 }],
    });
    await client.diagnosticsWhere(deploymentUri, (published) => missingKey(published).length === 1);
    client.clearPublished();
    rmSync(secretPath);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(secretPath).href, type: 3 }],
    });
    await client.diagnosticsWhere(deploymentUri, (published) => missingKey(published).length === 0);
  });

  test('an open document wins over the disk, and no value ever leaves the server', async () => {
    const secretUri = pathToFileURL(secretPath).href;
    client.clearPublished();
    await client.open(secretUri, SECRET);
    await client.diagnosticsWhere(deploymentUri, (published) => missingKey(published).length === 1);
    assert.ok(!/hunter2|YWRtaW4/.test(client.stdout + client.stderr));
  });
});
