/**
 * The extension in a real VS Code extension host: the packaged client starts the bundled server,
 * and the workbench's own APIs (diagnostics, hover and code action providers, workspace edits,
 * configuration) see what a user sees. The workspace is a copy of test/e2e/fixtures.
 *
 * Only stable behaviour is asserted here (rule wording and other rules belong to the unit and
 * LSP tests): the invalid-base64 diagnostic, the decoded hover, the env-to-volume fix's text, and
 * that the settings VS Code read from package.json are the server's defaults.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';

const EXTENSION_ID = 'k8s-secret-guard.k8s-secret-guard';
const WAIT_MS = 30_000;

/** What "Mount the Secret as a volume" makes of fixtures/workloads/api.yaml (shared with the LSP test). */
const DEPLOYMENT_AFTER_FIX = readFileSync(
  // out/test/e2e/suite: the repository is four folders up.
  path.resolve(__dirname, '..', '..', '..', '..', 'test', 'e2e', 'expected', 'api-volume-fix.yaml'),
  'utf8',
);

function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

/** The rule id of a diagnostic (the client turns `code` + `codeDescription` into `{ value, target }`). */
function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return String(typeof code === 'object' ? code.value : code);
}

/**
 * Resolves with `uri`'s diagnostics as soon as `accept` holds for them, re-checking on every
 * `onDidChangeDiagnostics` (never on a fixed sleep); rejects after WAIT_MS.
 */
function diagnosticsWhen(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      subscription.dispose();
      clearTimeout(timer);
    };
    const check = (): void => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return;
      finish();
      resolve(diagnostics);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      const rules = vscode.languages.getDiagnostics(uri).map(ruleOf);
      reject(new Error(`timed out waiting for ${what} on ${uri.path}; have [${rules.join(', ')}]`));
    }, WAIT_MS);
    check();
  });
}

const hasRule =
  (rule: string) =>
  (diagnostics: vscode.Diagnostic[]): boolean =>
    diagnostics.some((d) => ruleOf(d) === rule);
const lacksRule =
  (rule: string) =>
  (diagnostics: vscode.Diagnostic[]): boolean =>
    !diagnostics.some((d) => ruleOf(d) === rule);

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    position,
  );
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** Position of the first character of `needle` in the document (which must contain it). */
function positionOf(document: vscode.TextDocument, needle: string): vscode.Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${document.uri.path} contains ${needle}`);
  return document.positionAt(offset);
}

/**
 * Calls `probe` until `accept` holds for its result (for answers that change once the server has
 * pulled new settings, which no event announces); rejects after WAIT_MS.
 */
async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until every extension that activates at start-up has done so (failures ignored). */
async function settleStartupActivations(): Promise<void> {
  const eager = vscode.extensions.all.filter((extension) => {
    const events = (extension.packageJSON as { activationEvents?: string[] }).activationEvents;
    return events?.some((event) => event === '*' || event === 'onStartupFinished') === true;
  });
  await Promise.all(
    eager.map((extension) => Promise.resolve(extension.activate()).catch(() => {})),
  );
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace
    .getConfiguration('secretGuard')
    .update(key, value, vscode.ConfigurationTarget.Global);
}

/**
 * The language server's processes: the extension host's children running dist/server.js (the
 * client forks it), read from /proc (the suite runs on Linux).
 */
function serverProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (command) state ppid ...": the command may hold spaces and parentheses.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (command.some((part) => part.endsWith(path.join('dist', 'server.js')))) {
        found.push(Number(entry));
      }
    } catch {
      // The process ended while it was read.
    }
  }
  return found;
}

suite('Secret Guard in the VS Code extension host', () => {
  const secretUri = (): vscode.Uri => workspaceFile('secrets/orders-db.yaml');

  suiteTeardown(async () => {
    await setSetting('rules', undefined);
    await setSetting('reveal', undefined);
  });

  test('activates only for YAML/JSON, then publishes invalid-base64 promptly', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    const manifest = extension.packageJSON as { activationEvents?: string[] };
    assert.deepEqual(
      manifest.activationEvents?.filter((event) => !event.startsWith('onCommand:secretGuard.')),
      ['onLanguage:yaml', 'onLanguage:json'],
      'YAML and JSON files activate it; nothing at start-up (a command of its own may, when run)',
    );
    assert.equal(extension.isActive, false, 'not activated at start-up (no YAML open yet)');
    await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'not a manifest' });
    assert.equal(extension.isActive, false, 'a plain-text document does not activate it');

    // Let the start-up burst of other extensions ('*' and onStartupFinished) finish first, so that
    // the figure is this extension's own cost and not the queue of a busy extension host.
    await settleStartupActivations();
    // Opening a YAML file fires onLanguage:yaml; the clock runs from there to the first
    // diagnostics the server publishes for it.
    const opened = performance.now();
    const document = await vscode.workspace.openTextDocument(secretUri());
    await vscode.window.showTextDocument(document);
    await extension.activate(); // resolves when the activation started by the open is done
    const activated = performance.now();
    const diagnostics = await diagnosticsWhen(
      document.uri,
      hasRule('invalid-base64'),
      'invalid-base64',
    );
    const published = performance.now();
    console.log(
      `[timing] activation-to-first-diagnostics: ${Math.round(published - opened)} ms ` +
        `(YAML opened -> extension active ${Math.round(activated - opened)} ms -> ` +
        `first diagnostics ${Math.round(published - activated)} ms)`,
    );

    const finding = diagnostics.find((d) => ruleOf(d) === 'invalid-base64');
    assert.ok(finding);
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Error);
    const value = 'czNjcjN0LXBhc3M';
    const start = positionOf(document, `password: ${value}`).translate(0, 'password: '.length);
    assert.deepEqual(
      [finding.range.start, finding.range.end].map((p) => [p.line, p.character]),
      [
        [start.line, start.character],
        [start.line, start.character + value.length],
      ],
    );
    assert.match(finding.message, /^data\.password is not valid base64/);
    assert.ok(!finding.message.includes(value), 'the message never quotes the value');
    const code = finding.code;
    assert.ok(typeof code === 'object', 'the code links to the rule docs');
    assert.match(code.target.toString(), /\/docs\/rules\/invalid-base64\.md$/);
  });

  test('hover on a data value shows it decoded, JSON pretty-printed', async () => {
    const document = await vscode.workspace.openTextDocument(secretUri());
    const username = await hoverText(
      document.uri,
      positionOf(document, 'b3JkZXJzLWFwcA==').translate(0, 3),
    );
    assert.match(username, /data\.username/);
    assert.match(username, /10 bytes/);
    assert.ok(username.includes('orders-app'), username);

    const config = await hoverText(document.uri, positionOf(document, 'eyJob3N0'));
    assert.ok(config.includes('"host": "orders-db.shop.svc"'), config);
  });

  test('"Mount the Secret as a volume" is offered and applying it leaves the expected text', async () => {
    const uri = workspaceFile('workloads/api.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await diagnosticsWhen(uri, hasRule('secret-in-env'), 'secret-in-env');
    const finding = diagnostics.find((d) => ruleOf(d) === 'secret-in-env');
    assert.ok(finding);

    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      finding.range,
    );
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Mount the Secret as a volume'), titles.join(' | '));
    const fix = actions.find((action) => action.title === 'Mount the Secret as a volume');
    assert.ok(fix && 'edit' in fix && fix.edit, 'the fix is a code action with an edit');
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);

    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the workspace edit applies');
    assert.equal(document.getText(), DEPLOYMENT_AFTER_FIX);
    await diagnosticsWhen(uri, lacksRule('secret-in-env'), 'secret-in-env to go away');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('the settings VS Code read from package.json are the server defaults', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const declared = Object.keys(
      (
        extension.packageJSON as {
          contributes: { configuration: { properties: Record<string, unknown> } };
        }
      ).contributes.configuration.properties,
    ).sort();

    // DEFAULT_SETTINGS flattened the way VS Code names settings: nested objects become dotted
    // keys, except where package.json declares the object itself (secretGuard.rules).
    const expected = new Map<string, unknown>();
    const flatten = (prefix: string, value: unknown): void => {
      const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
      if (isObject && !declared.includes(prefix)) {
        for (const [key, child] of Object.entries(value)) flatten(`${prefix}.${key}`, child);
      } else {
        expected.set(prefix, value);
      }
    };
    flatten('secretGuard', DEFAULT_SETTINGS);
    assert.deepEqual(declared, [...expected.keys()].sort());

    const configuration = vscode.workspace.getConfiguration();
    for (const [key, value] of expected) {
      assert.deepEqual(configuration.inspect(key)?.defaultValue, value, key);
    }
  });

  test('changed settings reach the server: a rule switched off, values never revealed', async () => {
    const document = await vscode.workspace.openTextDocument(secretUri());
    await diagnosticsWhen(document.uri, hasRule('invalid-base64'), 'invalid-base64');

    await setSetting('rules', { 'invalid-base64': 'off' });
    await diagnosticsWhen(document.uri, lacksRule('invalid-base64'), 'invalid-base64 to go');
    await setSetting('rules', undefined);
    await diagnosticsWhen(document.uri, hasRule('invalid-base64'), 'invalid-base64 to return');

    await setSetting('reveal', 'never');
    const position = positionOf(document, 'b3JkZXJzLWFwcA==').translate(0, 3);
    const hidden = await eventually(
      () => hoverText(document.uri, position),
      (text) => !text.includes('orders-app'),
      'the hover to stop revealing the value',
    );
    assert.match(hidden, /data\.username/, 'the hover is still there, without the value');
  });

  // Last: it replaces the server the other tests use.
  test('a server that dies is started again, and knows the open files', async () => {
    const document = await vscode.workspace.openTextDocument(secretUri());
    await vscode.window.showTextDocument(document);
    await diagnosticsWhen(document.uri, hasRule('invalid-base64'), 'invalid-base64');
    const running = serverProcesses();
    assert.equal(running.length, 1, 'one server, a child of the extension host');
    const [crashed] = running as [number];
    process.kill(crashed, 'SIGKILL');
    await eventually(
      async () => serverProcesses(),
      (pids) => pids.length === 1 && pids[0] !== crashed,
      'a new server process',
    );

    // The new server was given the open document: an edit to it gets diagnostics.
    const at = positionOf(document, '  # Padding cut off');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, at, '  token: "!!"\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await diagnosticsWhen(
      document.uri,
      (diagnostics) =>
        diagnostics.some((d) => ruleOf(d) === 'invalid-base64' && d.range.start.line === at.line),
      'invalid-base64 on the inserted line, from the new server',
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
