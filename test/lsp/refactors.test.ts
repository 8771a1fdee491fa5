/**
 * Refactors and suppression quick fixes as an editor meets them over LSP: listed by range
 * (with their edits for small documents, resolved with `codeAction/resolve` for large ones),
 * filtered by `only`, left out when a quick fix does the same, and the message a refactor's
 * command shows once applied.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  ClientCapabilities,
  CodeAction,
  Range,
  ShowMessageParams,
  TextDocumentEdit,
  TextEdit,
} from 'vscode-languageserver/node';
import { DEFAULT_CAPABILITIES, TestLspClient } from '../helpers/lsp-client';

const RESOLVING: ClientCapabilities = {
  ...DEFAULT_CAPABILITIES,
  textDocument: {
    ...DEFAULT_CAPABILITIES.textDocument,
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'refactor.extract'],
        },
      },
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
  },
};

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: app
type: Opaque
data:
  # who connects
  user: YWRtaW4= # admin
  token: czNjcjN0Cg==
stringData:
  note: hello
`;

let client: TestLspClient;
const messages: ShowMessageParams[] = [];
before(async () => {
  client = await TestLspClient.start({ capabilities: RESOLVING });
  client.connection.onNotification('window/showMessage', (params: ShowMessageParams) => {
    messages.push(params);
  });
});
after(async () => {
  await client.stop();
});

function at(text: string, needle: string): Range {
  const document = TextDocument.create('x', 'yaml', 1, text);
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const position = document.positionAt(offset);
  return { start: position, end: position };
}

async function actionsAt(uri: string, range: Range, only?: string[]): Promise<CodeAction[]> {
  const diagnostics = (await client.diagnostics(uri)).filter(
    (d) => d.range.start.line <= range.end.line && range.start.line <= d.range.end.line,
  );
  return client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range,
    context: { diagnostics, ...(only ? { only } : {}) },
  });
}

function apply(text: string, action: CodeAction): string {
  const change = action.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
  assert.ok(change, `${action.title} has an edit`);
  const edits = change.edits.filter((edit): edit is TextEdit => 'newText' in edit);
  return TextDocument.applyEdits(TextDocument.create('x', 'yaml', 1, text), edits);
}

test('conversions on an entry and on the Secret, with edits, kinds and what they write', async () => {
  const uri = 'untitled:convert.yaml';
  await client.open(uri, SECRET);
  const onUser = await actionsAt(uri, at(SECRET, 'user:'));
  const titles = onUser.map((action) => `${action.kind}: ${action.title}`);
  assert.deepEqual(
    titles.filter((title) => title.startsWith('refactor')),
    [
      'refactor.rewrite: Convert data.user to stringData (plain text)',
      'refactor.rewrite: Convert all data values to stringData (plain text)',
      'refactor.rewrite: Convert all stringData values to data (base64)',
      'refactor.rewrite: Make the Secret immutable (immutable: true)',
      'refactor.extract: Move to an external store: SecretProviderClass for HashiCorp Vault (Secrets Store CSI driver)',
      'refactor.extract: Move to an external store: SecretProviderClass for Azure Key Vault (Secrets Store CSI driver)',
      'refactor.extract: Move to an external store: SecretProviderClass for Google Secret Manager (Secrets Store CSI driver)',
      'refactor.extract: Move to an external store: SecretProviderClass for AWS Secrets Manager (Secrets Store CSI driver)',
      'refactor.extract: Move to an external store: ExternalSecret (External Secrets Operator)',
    ],
  );
  const convert = onUser.find((action) => action.title.startsWith('Convert data.user'));
  assert.ok(convert);
  assert.equal(
    apply(SECRET, convert),
    SECRET.replace('  # who connects\n  user: YWRtaW4= # admin\n', '').replace(
      '  note: hello\n',
      '  note: hello\n  # who connects\n  user: admin # admin\n',
    ),
    'the value moves decoded, with its comments; nothing else changes',
  );
  const all = onUser.find((action) => action.title.startsWith('Convert all stringData'));
  assert.ok(all);
  assert.match(apply(SECRET, all), /^ {2}note: aGVsbG8=$/m);

  const only = await actionsAt(uri, at(SECRET, 'user:'), ['refactor.extract']);
  assert.equal(only.length, 5, 'only refactor.extract: the external-store refactors');
  assert.ok(only.every((action) => action.kind === 'refactor.extract'));
  const vault = only[0];
  assert.ok(vault?.command);
  assert.match(
    apply(SECRET, vault),
    /^---\n# Values are not here[\s\S]*kind: SecretProviderClass\n/m,
  );
  assert.match(String(vault.command.arguments?.[0]), /put them in Vault/);
  await client.close(uri);
});

test('a refactor that repeats a quick fix is left out; the quick fix stays', async () => {
  const uri = 'untitled:newline.yaml';
  await client.open(uri, SECRET);
  await client.diagnosticsWhere(uri, (d) => d.some((x) => x.code === 'trailing-newline'));
  const titles = (await actionsAt(uri, at(SECRET, 'czNjcjN0Cg=='))).map((action) => action.title);
  assert.ok(titles.includes('Remove the trailing newline'), titles.join(' | '));
  assert.ok(!titles.includes('Re-encode data.token without its trailing newline'));
  await client.close(uri);

  // Under a key that names a file the rule is quiet: the refactor is offered.
  const file = SECRET.replace('token:', 'token.pem:');
  await client.open(uri, file);
  const offered = (await actionsAt(uri, at(file, 'czNjcjN0Cg=='))).map((action) => action.title);
  assert.ok(
    offered.includes('Re-encode data.token.pem without its trailing newline'),
    offered.join(' | '),
  );
  await client.close(uri);
});

test('large documents list refactors without edits and resolve them when picked', async () => {
  const uri = 'untitled:large.yaml';
  const padding = Array.from(
    { length: 1000 },
    (_, i) => `  k${i}: ${Buffer.from(`value-${i}`).toString('base64')}\n`,
  ).join('');
  const text = SECRET.replace('stringData:\n', `${padding}stringData:\n`);
  assert.ok(text.length > 16 * 1024);
  await client.open(uri, text);
  const listed = await actionsAt(uri, at(text, 'user:'), ['refactor']);
  const convert = listed.find(
    (action) => action.title === 'Convert data.user to stringData (plain text)',
  );
  assert.ok(convert);
  assert.equal(convert.edit, undefined, 'no edit until resolved');
  assert.ok(convert.data);
  const resolved: CodeAction = await client.connection.sendRequest('codeAction/resolve', convert);
  assert.match(apply(text, resolved), /^ {2}user: admin # admin$/m);
  await client.close(uri);
});

test('clients that cannot resolve get the edits at once', async () => {
  const plain = await TestLspClient.start();
  try {
    const uri = 'untitled:plain.yaml';
    await plain.open(uri, SECRET);
    await plain.diagnostics(uri);
    const actions: CodeAction[] = await plain.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: at(SECRET, 'kind:'),
      context: { diagnostics: [], only: ['refactor'] },
    });
    assert.ok(actions.length > 0);
    for (const action of actions) assert.ok(action.edit, `${action.title} has its edit`);
  } finally {
    await plain.stop();
  }
});

test('immutable: true, and the message its command shows once applied', async () => {
  const uri = 'untitled:immutable.yaml';
  await client.open(uri, SECRET);
  const action = (await actionsAt(uri, at(SECRET, 'kind:'))).find((a) =>
    a.title.startsWith('Make the Secret immutable'),
  );
  assert.ok(action?.command);
  assert.equal(
    apply(SECRET, action),
    SECRET.replace('type: Opaque\n', 'type: Opaque\nimmutable: true\n'),
  );
  assert.equal(action.command.command, 'secretGuard.notify');
  const before = messages.length;
  await client.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  const deadline = Date.now() + 10_000;
  while (messages.length === before && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.match(messages[before]?.message ?? '', /immutable/);
  await client.close(uri);
});

test('moving any env value or ConfigMap entry into a Secret says where it went', async () => {
  const uri = 'untitled:move.yaml';
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1
          env:
            - name: LICENSE_CODE
              value: "AB-12-CD"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  signing-salt: pepper-77
`;
  await client.open(uri, text);
  const env = (await actionsAt(uri, at(text, 'LICENSE_CODE'))).find((a) =>
    a.title.startsWith('Move the value of LICENSE_CODE'),
  );
  assert.ok(env, 'offered for a name that does not look secret');
  assert.equal(env.title, 'Move the value of LICENSE_CODE into Secret web-env');
  assert.equal(env.kind, 'refactor.extract');
  const moved = apply(text, env);
  assert.match(moved, /valueFrom:\n\s+secretKeyRef:\n\s+name: web-env\n\s+key: LICENSE_CODE/);
  assert.match(moved, /kind: Secret\n[\s\S]*LICENSE_CODE: AB-12-CD/);
  assert.match(String(env.command?.arguments?.[0]), /now in Secret web-env .*key LICENSE_CODE/);
  assert.doesNotMatch(
    String(env.command?.arguments?.[0]),
    /AB-12-CD/,
    'the message holds no value',
  );

  const entry = (await actionsAt(uri, at(text, 'signing-salt'))).find((a) =>
    a.title.startsWith('Move signing-salt'),
  );
  assert.ok(entry);
  assert.equal(entry.title, 'Move signing-salt to Secret settings-secret');
  assert.match(String(entry.command?.arguments?.[0]), /must now read it from the Secret/);
  await client.close(uri);
});

test('"Disable <rule> for this line / this document" silence the finding', async () => {
  const uri = 'untitled:suppress.yaml';
  const text = SECRET.replace('type: Opaque\n', '');
  await client.open(uri, text, 'yaml', 1);
  const diagnostics = await client.diagnosticsWhere(uri, (d) =>
    d.some((x) => x.code === 'trailing-newline'),
  );
  const finding = diagnostics.find((d) => d.code === 'trailing-newline');
  assert.ok(finding);
  const actions = await client.codeActions(uri, finding.range, [finding]);
  const line = actions.find((a) => a.title === 'Disable trailing-newline for this line');
  const document = actions.find((a) => a.title === 'Disable trailing-newline for this document');
  assert.ok(line && document, actions.map((a) => a.title).join(' | '));
  assert.equal(line.kind, 'quickfix');
  assert.deepEqual(line.diagnostics, [finding]);
  const silencedLine = apply(text, line);
  assert.match(silencedLine, /^ {2}# secret-guard-disable-next-line trailing-newline\n {2}token:/m);
  const silencedDocument = apply(text, document);
  assert.ok(silencedDocument.startsWith('# secret-guard-disable trailing-newline\napiVersion: v1'));
  for (const [version, fixed] of [
    [2, silencedLine],
    [3, silencedDocument],
  ] as const) {
    client.clearPublished();
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text: fixed }],
    });
    const after = await client.diagnostics(uri, version);
    assert.ok(!after.some((d) => d.code === 'trailing-newline'), `silenced (version ${version})`);
  }
  await client.close(uri);

  // JSON manifests cannot hold comments: no suppression there.
  const json =
    '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "j"}, "data": {"a": "not base64!"}}';
  await client.open('untitled:suppress.json', json, 'json');
  const jsonDiagnostics = await client.diagnosticsWhere(
    'untitled:suppress.json',
    (d) => d.length > 0,
  );
  const jsonActions = await client.codeActions(
    'untitled:suppress.json',
    jsonDiagnostics[0]!.range,
    jsonDiagnostics,
  );
  assert.ok(!jsonActions.some((a) => a.title.startsWith('Disable')), 'none in JSON');
  await client.close('untitled:suppress.json');
});
