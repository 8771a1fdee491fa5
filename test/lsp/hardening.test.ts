/**
 * The language server against hostile files and broken clients, over real JSON-RPC: resource
 * bombs, malformed messages, positions out of range, documents closed mid-analysis, a client
 * that never answers `workspace/configuration`. After each, the server still serves a normal
 * file. (Every server here runs with the child-process guard, see lsp-client.ts.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BOMBS } from '../helpers/bombs';
import { TestLspClient } from '../helpers/lsp-client';
import { CHILD_PROCESS_MARKER } from '../helpers/paths';

const NORMAL =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aGVs bG8=\n';

/** Opens a normal file and waits for its one invalid-base64 diagnostic: the server serves. */
async function assertServes(client: TestLspClient, name: string): Promise<void> {
  const uri = `file:///hardening/normal-${name}.yaml`;
  await client.open(uri, NORMAL);
  const diagnostics = await client.diagnostics(uri, 1, 60_000);
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['invalid-base64'],
  );
}

const FAR = { line: 1_000_000, character: 1_000_000 };

describe('resource bombs over LSP: a clear diagnostic, and the server keeps serving', () => {
  let client: TestLspClient;
  before(async () => {
    client = await TestLspClient.start();
  });
  after(() => client.stop());

  for (const bomb of BOMBS.filter((b) => b.outcome === 'refused')) {
    test(bomb.name, async () => {
      const uri = `file:///hardening/${encodeURIComponent(bomb.name)}.yaml`;
      await client.open(uri, bomb.text());
      const diagnostics = await client.diagnostics(uri, 1, 60_000);
      assert.equal(diagnostics.filter((d) => d.code === 'analysis-limit').length, 1);
      // What an editor asks next, on the bomb itself.
      await client.hover(uri, { line: 0, character: 1 });
      await client.hover(uri, FAR);
      await client.codeActions(uri, { start: { line: 0, character: 0 }, end: FAR }, diagnostics);
      await client.close(uri);
      await assertServes(client, bomb.name.replace(/\W+/g, '-'));
    });
  }
});

describe('a broken client', () => {
  let client: TestLspClient;
  before(async () => {
    client = await TestLspClient.start();
  });
  after(() => client.stop());

  test('malformed JSON-RPC: bad JSON in a frame, a frame without a body length', async () => {
    const junk = '{"jsonrpc": "2.0", "id": 99, "method": ';
    client.sendRaw(`Content-Length: ${Buffer.byteLength(junk)}\r\n\r\n${junk}`);
    client.sendRaw(`Content-Length: 2\r\n\r\n[]`);
    client.sendRaw(`Content-Length: 4\r\n\r\nnull`);
    await assertServes(client, 'after-junk');
  });

  test('an unknown request is answered MethodNotFound; an unknown notification is ignored', async () => {
    await assert.rejects(client.connection.sendRequest('secretGuard/noSuchMethod', {}), {
      code: -32601,
    });
    await client.connection.sendNotification('secretGuard/noSuchNotification', { x: 1 });
    await assertServes(client, 'after-unknown');
  });

  test('requests with missing or wrong parameters get an error naming no input', async () => {
    for (const [method, params] of [
      ['textDocument/hover', {}],
      ['textDocument/codeAction', { textDocument: { uri: 42 } }],
      ['textDocument/definition', null],
      ['textDocument/completion', { textDocument: {}, position: 'x' }],
      ['textDocument/inlayHint', { textDocument: { uri: 'file:///x.yaml' } }],
      ['workspace/executeCommand', { command: 'secretGuard.decodedView', arguments: [7] }],
      ['codeAction/resolve', { title: 'x', data: { secretGuardRefactor: 3 } }],
    ] as const) {
      await client.connection.sendRequest(method, params).then(
        () => undefined,
        (error: { message?: string }) => {
          assert.ok(!/hunter|password/i.test(error.message ?? ''), error.message);
        },
      );
    }
    await assertServes(client, 'after-bad-params');
  });

  test('positions and ranges out of range, and for a document never opened', async () => {
    const uri = 'file:///hardening/positions.yaml';
    await client.open(uri, NORMAL);
    const diagnostics = await client.diagnostics(uri, 1);
    for (const target of [uri, 'file:///hardening/never-opened.yaml']) {
      await client.hover(target, FAR);
      await client.hover(target, { line: -1, character: -5 });
      await client.definition(target, FAR);
      await client.codeActions(target, { start: FAR, end: { line: 0, character: 0 } }, diagnostics);
      await client.connection.sendRequest('textDocument/completion', {
        textDocument: { uri: target },
        position: FAR,
      });
      await client.connection.sendRequest('textDocument/inlayHint', {
        textDocument: { uri: target },
        range: { start: { line: 0, character: 0 }, end: FAR },
      });
    }
    await assertServes(client, 'after-positions');
  });

  test('changes to a document that is not open, and an edit past its end', async () => {
    await client.change('file:///hardening/not-open.yaml', 2, { start: FAR, end: FAR }, 'x');
    const uri = 'file:///hardening/edited.yaml';
    await client.open(uri, NORMAL);
    await client.change(uri, 2, { start: FAR, end: FAR }, '\n  more: YQ==\n');
    await client.diagnostics(uri, 2);
    await assertServes(client, 'after-changes');
  });

  test('a document closed while it is analysed publishes nothing after its empty list', async () => {
    const uri = 'file:///hardening/closed-early.yaml';
    const big =
      `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata: {a: not base64}\n`.repeat(
        5000,
      );
    await client.open(uri, big);
    await client.close(uri);
    await assertServes(client, 'after-close');
    const published = client
      .serverMessages()
      .filter((m) => m.method === 'textDocument/publishDiagnostics')
      .map((m) => m.params as { uri: string; diagnostics: unknown[] })
      .filter((p) => p.uri === uri);
    assert.ok(published.length > 0);
    assert.deepEqual(published.at(-1)?.diagnostics, [], 'the last word is the empty list');
  });
});

test('a client that never answers workspace/configuration still gets diagnostics', async () => {
  const client = await TestLspClient.start({ configurationNeverAnswers: true });
  try {
    await assertServes(client, 'no-configuration');
  } finally {
    await client.stop();
  }
});

describe('the child-process guard is active inside the server', () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'secret-guard-guard-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('a spawn attempted inside the server process is refused and reported', async () => {
    // A second preload, loaded after the guard, tries to start a process as the server would.
    const probe = join(folder, 'probe.js');
    writeFileSync(
      probe,
      "try { require('node:child_process').execFileSync('true'); process.stderr.write('SPAWN-ALLOWED\\n'); } catch { process.stderr.write('SPAWN-REFUSED\\n'); }\n",
    );
    // The run's own log of calls (scripts/run-tests.mjs) must not count this deliberate one.
    const client = await TestLspClient.start({
      nodeArgs: ['--require', probe],
      env: { SECRET_GUARD_CHILD_PROCESS_LOG: '' },
    });
    await assertServes(client, 'guard');
    assert.match(client.stderr, /SPAWN-REFUSED/);
    assert.ok(client.stderr.includes(CHILD_PROCESS_MARKER));
    await assert.rejects(client.stop(), /tried to start a process/, 'stop() reports the call');
  });
});
