/**
 * The server's guard (server/src/lsp/guard.ts): an exception in a handler becomes a log line
 * and an error response that name its class only, since messages can quote input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResponseError } from 'vscode-languageserver/node';
import { crashReport, guardHandler } from '../../server/src/lsp/guard';

const VALUE = 'hunter2-in-an-error-message';

test('a throwing handler answers an InternalError that names the class, never the message', () => {
  const log: string[] = [];
  const handler = guardHandler(
    'textDocument/hover',
    () => {
      JSON.parse(`{"password": ${VALUE}}`); // SyntaxError quoting the text
    },
    (line) => log.push(line),
  );
  const result = handler({});
  assert.ok(result instanceof ResponseError);
  assert.equal(result.message, 'Secret Guard could not handle textDocument/hover (SyntaxError)');
  assert.deepEqual(log, ['textDocument/hover failed: SyntaxError']);
});

test('a rejecting async handler is answered the same way', async () => {
  const log: string[] = [];
  const handler = guardHandler(
    'workspace/executeCommand',
    () => Promise.reject(new TypeError(VALUE)),
    (line) => log.push(line),
  );
  const result = await (handler() as Promise<unknown>);
  assert.ok(result instanceof ResponseError);
  assert.ok(!result.message.includes(VALUE));
  assert.deepEqual(log, ['workspace/executeCommand failed: TypeError']);
});

test('a handler that works is left alone', async () => {
  const handler = guardHandler(
    'x',
    (a) => a,
    () => assert.fail('nothing to log'),
  );
  assert.equal(handler(42), 42);
  assert.equal(
    await (guardHandler(
      'x',
      async () => 7,
      () => undefined,
    )() as Promise<number>),
    7,
  );
});

test('a crash report names the class and the frames, never the message', () => {
  const report = crashReport('secret-guard-ls', new RangeError(VALUE));
  assert.match(report, /^secret-guard-ls: internal error \(RangeError\)\n\s+at /);
  assert.ok(!report.includes(VALUE));
});
