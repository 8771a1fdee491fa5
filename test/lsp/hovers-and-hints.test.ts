/**
 * Hovers that need the workspace (a secretKeyRef's Secret in another, unopened file), inlay
 * hints after data values (`reveal: inline`), and masking for screen sharing, over LSP.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { CompletionItem, Hover } from 'vscode-languageserver/node';
import { TestLspClient } from '../helpers/lsp-client';
import { selfSigned } from '../helpers/x509';

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
data:
  password: aHVudGVyMi12YWx1ZQ== # rotate
  blob: AAEC/w==
stringData:
  note: plain
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: password
`;

let workspace: string;
let client: TestLspClient;
let podUri: string;
before(async () => {
  workspace = realpathSync(mkdtempSync(join(tmpdir(), 'secret-guard-hover-')));
  writeFileSync(join(workspace, 'secret.yaml'), SECRET);
  writeFileSync(join(workspace, 'pod.yaml'), POD);
  client = await TestLspClient.start({ rootUri: pathToFileURL(workspace).href });
  podUri = pathToFileURL(join(workspace, 'pod.yaml')).href;
  await client.open(podUri, POD);
  await client.diagnostics(podUri);
});
after(async () => {
  await client.stop();
  rmSync(workspace, { recursive: true, force: true });
});

function text(hover: Hover | null): string {
  const contents = hover?.contents;
  return typeof contents === 'object' && contents !== null && 'value' in contents
    ? contents.value
    : '';
}

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a secretKeyRef key hovers with the Secret defined in another (closed) file, decoded', async () => {
  const hover = await client.hover(podUri, { line: 12, character: 22 });
  assert.equal(
    text(hover),
    '**key `password` of Secret `db`**\n\nDefined in `secret.yaml`, line 6 (data): text, 13 bytes\n\n```text\nhunter2-value\n```',
  );
  assert.deepEqual(hover?.range, {
    start: { line: 12, character: 19 },
    end: { line: 12, character: 27 },
  });
});

test('inlay hints after data values with reveal "inline" only; masking hides hover values and hints', async () => {
  const uri = pathToFileURL(join(workspace, 'secret.yaml')).href;
  await client.open(uri, SECRET);
  const range = { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } };
  assert.deepEqual(await client.inlayHints(uri, range), [], 'none with reveal "hover"');

  client.settings = { reveal: 'inline' };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  const hints = await until(
    async () => (await client.inlayHints(uri, range)) ?? [],
    (found) => found.length > 0,
  );
  assert.deepEqual(
    hints.map((hint) => [hint.position, hint.label]),
    [
      [{ line: 5, character: 32 }, '"hunter2-value"'],
      [{ line: 6, character: 16 }, '‹binary, 4 bytes›'],
    ],
  );
  const shown = text(await client.hover(uri, { line: 5, character: 4 }));
  assert.match(shown, /hunter2-value/);

  await client.connection.sendNotification('secretGuard/setMasked', { masked: true });
  const masked = await until(
    () => client.hover(uri, { line: 5, character: 4 }),
    (hover) => !text(hover).includes('hunter2'),
  );
  assert.equal(text(masked), '**data.password**: decoded, text, 13 bytes');
  assert.deepEqual(await client.inlayHints(uri, range), [], 'no hints while masked');
  const reference = text(await client.hover(podUri, { line: 12, character: 22 }));
  assert.doesNotMatch(reference, /hunter2/, 'references are masked too');

  await client.connection.sendNotification('secretGuard/setMasked', { masked: false });
  const unmasked = await until(
    async () => (await client.inlayHints(uri, range)) ?? [],
    (found) => found.length > 0,
  );
  assert.equal(unmasked.length, 2);
  client.settings = {};
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await client.close(uri);
});

test('a client can start masked (initializationOptions.masked)', async () => {
  const masked = await TestLspClient.start({ initializationOptions: { masked: true } });
  try {
    await masked.open('untitled:m.yaml', SECRET);
    const hover = text(await masked.hover('untitled:m.yaml', { line: 5, character: 4 }));
    assert.equal(hover, '**data.password**: decoded, text, 13 bytes');
    assert.doesNotMatch(masked.stdout, /hunter2/, 'no decoded value was sent');
  } finally {
    await masked.stop();
  }
});

test('completion offers the Secrets of the workspace in a secretKeyRef, then their keys', async () => {
  const uri = pathToFileURL(join(workspace, 'new-pod.yaml')).href;
  const typing = POD.replace(
    '              name: db\n              key: password\n',
    '              name: \n',
  );
  await client.open(uri, typing);
  const names = await until(
    () =>
      client.connection.sendRequest<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 11, character: 20 },
      }),
    (items) => items.length > 0,
  );
  assert.deepEqual(
    names.map((item) => [item.label, item.detail]),
    [['db', 'Secret in secret.yaml']],
  );
  const keys = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', {
    textDocument: { uri },
    position: { line: 12, character: 19 },
  });
  assert.deepEqual(keys, []);
  await client.close(uri);
  const withName = POD.replace('key: password', 'key: ');
  await client.open(uri, withName);
  const keyItems = await client.connection.sendRequest<CompletionItem[]>(
    'textDocument/completion',
    {
      textDocument: { uri },
      position: { line: 12, character: 19 },
    },
  );
  assert.deepEqual(
    keyItems.map((item) => item.label),
    ['password', 'blob', 'note'],
  );
  await client.close(uri);
});

test('rich hovers over LSP: certificate, JWT and Docker config (passwords masked)', async () => {
  const certificate = selfSigned('api.example.com', {
    notAfter: new Date(Date.now() + 90 * 86_400_000),
  });
  const segment = (value: object): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = `${segment({ alg: 'RS256' })}.${segment({ sub: 'bot', exp: 4102444800 })}.c2ln`;
  const config = JSON.stringify({
    auths: { 'ghcr.io': { username: 'octo', password: 'ghp-hidden-1' } },
  });
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const manifest = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: rich\ndata:\n  tls.crt: ${b64(certificate.pem)}\n  token: ${b64(token)}\n  .dockerconfigjson: ${b64(config)}\n`;
  const uri = 'untitled:rich.yaml';
  await client.open(uri, manifest);
  const onLine = async (line: number): Promise<string> =>
    text(await client.hover(uri, { line, character: 4 }));
  assert.match(
    await onLine(5),
    /PEM certificate[\s\S]*Subject: `O=secret-guard tests, CN=api\.example\.com`[\s\S]*- Status: (89|90) days left/,
  );
  assert.match(await onLine(6), /decoded, JWT[\s\S]*Expires: 2100-01-01 00:00 UTC/);
  const docker = await onLine(7);
  assert.match(docker, /"ghcr\.io": user `octo`, password ••••••••/);
  assert.doesNotMatch(docker, /ghp-hidden-1/);
  await client.close(uri);
});
