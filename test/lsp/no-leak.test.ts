/**
 * No value leaves the process except where the user asked to see it. A workspace full of known
 * values (test/helpers/leak-fixtures.ts: the examples and generated files, every rule firing)
 * goes through the language server at the most verbose trace level and through the CLI in
 * every format; everything that comes out is searched for every known value, as written, as
 * base64 and decoded:
 *
 * - LSP: every message the server writes (diagnostics with their `data`, code action titles,
 *   commands and `data`, resolved code actions, completions, definitions, code lenses, inlay
 *   hints, `window/logMessage`, `window/showMessage`, `$/logTrace`, error responses) and its
 *   stderr. Left out by design: hover contents (they show decoded values, as `reveal` allows),
 *   the decoded-editing view (its purpose), and the text edits of code actions (an edit the
 *   user applies writes values where they already were: "Encode as base64" must write the
 *   base64). Titles, diagnostics and `data` of those same actions are checked.
 * - With `secretGuard.reveal: never`, and with values masked (the screen-sharing toggle, even
 *   with `reveal: inline`), hovers and inlay hints are checked too: they must show no value.
 * - CLI: stdout and stderr of `--format text`, `json` and `sarif`, and of its error paths (a
 *   broken `.secret-guard.yaml`, a folder named like a manifest).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { RULES } from '../../server/src/core/rules';
import { knownValues, leaksIn, stringLeaves, writeLeakWorkspace } from '../helpers/leak-fixtures';
import type { KnownValue } from '../helpers/leak-fixtures';
import { DEFAULT_CAPABILITIES, TestLspClient } from '../helpers/lsp-client';
import { CLI_BIN, NO_CHILD_PROCESS_PRELOAD } from '../helpers/paths';

const CAPABILITIES = {
  ...DEFAULT_CAPABILITIES,
  textDocument: {
    ...DEFAULT_CAPABILITIES.textDocument,
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'refactor.extract'],
        },
      },
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
    inlayHint: {},
    completion: { completionItem: { snippetSupport: false } },
  },
};

let root: string;
let files: string[];
let values: KnownValue[];
const rulesSeen = new Set<string>();

before(() => {
  root = mkdtempSync(join(tmpdir(), 'secret-guard-leak-'));
  files = writeLeakWorkspace(root);
  values = knownValues(root, files);
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Positions worth asking about in a text: the start of each value on each line. */
function probes(text: string): { line: number; character: number }[] {
  return text.split('\n').flatMap((line, index) => {
    const colon = line.indexOf(': ');
    const value = colon === -1 ? -1 : colon + 2;
    return [
      { line: index, character: Math.max(0, line.search(/\S/)) },
      ...(value > 0 && value < line.length ? [{ line: index, character: value }] : []),
    ];
  });
}

/** Code actions without their edits (see the header); everything else of them is checked. */
function withoutEdits(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEdits);
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'edit' && 'title' in (value as Record<string, unknown>)) continue;
      copy[key] = withoutEdits(item);
    }
    return copy;
  }
  return value;
}

interface SessionOptions {
  settings: Record<string, unknown>;
  masked?: boolean;
  /**
   * Check hover and inlay hint contents too (reveal never, masked); such a session asks for
   * those only, the rest being the first session's.
   */
  checkReveals: boolean;
}

/**
 * Drives the server through every file: open, diagnostics, code actions (resolved), hovers,
 * definitions, completions, inlay hints, code lenses, the decoded view; returns what it wrote,
 * as texts to search, and the rule ids it reported.
 */
async function lspSession(options: SessionOptions): Promise<{ where: string; text: string }[]> {
  const client = await TestLspClient.start({
    rootUri: pathToFileURL(root).href,
    capabilities: CAPABILITIES,
    settings: options.settings,
    initializationOptions: { decodedEditing: true, masked: options.masked === true },
  });
  const excludedIds = new Set<number | string>();
  const request = async (method: string, params: unknown, excluded = false): Promise<unknown> => {
    const before = client.serverMessages().length;
    const result = await client.connection.sendRequest(method, params).catch(() => undefined);
    if (excluded) {
      // The response to this request is the one added since, with a result.
      for (const message of client.serverMessages().slice(before)) {
        if ('id' in message && !('method' in message)) excludedIds.add(message.id as number);
      }
    }
    return result;
  };
  try {
    await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
    for (const file of files) {
      const uri = pathToFileURL(file).href;
      const text = readFileSync(file, 'utf8');
      await client.open(uri, text, file.endsWith('.json') ? 'json' : 'yaml');
      const diagnostics: Diagnostic[] = await client.diagnostics(uri, 1, 60_000);
      for (const diagnostic of diagnostics) rulesSeen.add(String(diagnostic.code));
      const lines = text.split('\n');
      const whole = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
      if (options.checkReveals) {
        for (const position of probes(text).slice(0, 160)) {
          await request('textDocument/hover', { textDocument: { uri }, position });
        }
        await request('textDocument/inlayHint', { textDocument: { uri }, range: whole });
        await client.close(uri);
        continue;
      }
      const actions = (await request('textDocument/codeAction', {
        textDocument: { uri },
        range: whole,
        context: { diagnostics },
      })) as CodeAction[] | undefined;
      for (const action of actions ?? []) {
        if (!action.edit && action.data !== undefined) await request('codeAction/resolve', action);
        if (action.command) {
          await request('workspace/executeCommand', {
            command: action.command.command,
            arguments: action.command.arguments,
          });
        }
      }
      // A sample of positions: every value position of the first 80 lines.
      for (const position of probes(text).slice(0, 160)) {
        const at = { textDocument: { uri }, position };
        await request('textDocument/hover', at, true);
        await request('textDocument/definition', at);
        await request('textDocument/completion', at);
      }
      await request('textDocument/inlayHint', { textDocument: { uri }, range: whole }, false);
      await request('textDocument/codeLens', { textDocument: { uri } });
      await request(
        'workspace/executeCommand',
        {
          command: 'secretGuard.decodedView',
          arguments: [{ uri, position: { line: 5, character: 4 } }],
        },
        true,
      );
      await client.close(uri);
    }
  } finally {
    await client.stop();
  }
  const messages = client
    .serverMessages()
    .filter((message) => !excludedIds.has(message.id as number))
    .map(withoutEdits);
  return [
    { where: 'the server stderr', text: client.stderr },
    ...messages.map((message, index) => ({
      where: `server message ${index} (${String((message as { method?: unknown }).method ?? 'response')})`,
      text: stringLeaves(message).join('\n'),
    })),
  ];
}

function cli(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(
    process.execPath,
    ['--require', NO_CHILD_PROCESS_PRELOAD, CLI_BIN, ...args],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('no value leaves the process', () => {
  test('the fixtures hold known values', () => {
    assert.ok(values.length > 60, `${values.length} known values`);
  });

  test('LSP at the most verbose trace level: nothing but hovers and edits hold a value', async (t) => {
    const outputs = await lspSession({ settings: {}, checkReveals: false });
    t.diagnostic(`${values.length} known values, ${outputs.length} server messages searched`);
    assert.deepEqual(leaksIn(outputs, values), []);
  });

  test('reveal: never, hovers included: no value anywhere', async () => {
    const outputs = await lspSession({ settings: { reveal: 'never' }, checkReveals: true });
    assert.deepEqual(leaksIn(outputs, values), []);
  });

  test('masked (the screen-sharing toggle) beats reveal: inline: no value anywhere', async () => {
    const outputs = await lspSession({
      settings: { reveal: 'inline' },
      masked: true,
      checkReveals: true,
    });
    assert.deepEqual(leaksIn(outputs, values), []);
  });

  test('CLI in every format, and its error paths', (t) => {
    const outputs: { where: string; text: string }[] = [];
    for (const format of ['text', 'json', 'sarif']) {
      const result = cli(['check', '--format', format, '--fail-on', 'hint', root]);
      assert.equal(result.status, 1, result.stderr);
      outputs.push({ where: `CLI ${format} stdout`, text: result.stdout });
      outputs.push({ where: `CLI ${format} stderr`, text: result.stderr });
      if (format === 'json') {
        for (const report of JSON.parse(result.stdout) as { messages: { ruleId: string }[] }[]) {
          for (const message of report.messages) rulesSeen.add(message.ruleId);
        }
      }
    }
    // Error paths: a broken configuration beside a Secret, a binary file holding a password,
    // a path that does not exist (named after a password).
    const broken = join(root, 'broken');
    mkdirSync(broken, { recursive: true });
    const password = values.find((v) => /^[\w.-]+$/.test(v.value))?.value ?? 'x';
    writeFileSync(join(broken, '.secret-guard.yaml'), 'rules:\n  invalid-base64: sometimes\n');
    writeFileSync(
      join(broken, 'leak.yaml'),
      `apiVersion: v1\nkind: Secret\nstringData:\n  p: "${password}"\n`,
    );
    const binary = join(root, 'binary.yaml');
    writeFileSync(binary, `apiVersion: v1\nkind: Secret\nstringData:\n  p: ${password}\u0000\n`);
    for (const args of [
      ['check', broken],
      ['check', binary],
      ['check', join(root, `${password}.yaml`)],
    ]) {
      const result = cli(args);
      outputs.push({ where: `CLI ${args.join(' ')} stdout`, text: result.stdout });
      outputs.push({
        where: `CLI ${args.join(' ')} stderr`,
        // The missing path is named after a value on purpose: naming it is not a leak.
        text: result.stderr.replace(`${password}.yaml`, '<path>'),
      });
    }
    rmSync(binary);
    rmSync(broken, { recursive: true, force: true });
    t.diagnostic(`${outputs.length} CLI outputs searched`);
    assert.deepEqual(leaksIn(outputs, values), []);
  });

  test('every rule fired on the fixtures (the leak check covered each)', () => {
    assert.deepEqual(
      RULES.map((rule) => rule.id).filter((id) => !rulesSeen.has(id)),
      [],
    );
  });
});
