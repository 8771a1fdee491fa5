/**
 * Decoded editing and masking in a real VS Code extension host: the "Edit decoded values"
 * lens, the `secret-guard-decoded:` tab, Ctrl+S writing the values back into the manifest (and
 * saving it), a refusal when the manifest changed underneath, and that no file but the manifest
 * is written meanwhile: the workspace is compared file by file, and every file of the run's
 * home, temp and user-data folders changed during the flow is searched for the values.
 *
 * (Named to sort after extension.test.ts, whose first test needs the extension not yet active.)
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const WAIT_MS = 30_000;

function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every file under `root` with its size and modification time (links not followed). */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(folder, name);
      try {
        const stats = statSync(file);
        if (stats.isDirectory()) walk(file);
        else if (stats.isFile()) files.set(file, `${stats.size}:${stats.mtimeMs}`);
      } catch {
        // removed meanwhile
      }
    }
  };
  walk(root);
  return files;
}

function changedSince(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([file, stamp]) => before.get(file) !== stamp).map(([file]) => file);
}

function holdsAny(file: string, needles: readonly string[]): boolean {
  try {
    const content = readFileSync(file);
    return needles.some((needle) => content.includes(needle));
  } catch {
    return false;
  }
}

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

suite('Decoded editing and masking in the VS Code extension host', () => {
  const oldValue = `old-${randomBytes(6).toString('hex')}`;
  const newValue = `new-${randomBytes(6).toString('hex')}`;
  const base64 = (text: string): string => Buffer.from(text).toString('base64');
  const manifestText = [
    '# e2e: decoded editing (fake values)',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: decoded-e2e',
    'data:',
    `  token: ${base64(oldValue)} # rotated monthly`,
    '  broken: not base64 (kept as is)',
    '',
  ].join('\n');

  test('the lens, the tab, Ctrl+S: values written back and saved, no other file written', async () => {
    const manifestUri = vscode.Uri.joinPath(workspaceFolder(), 'secrets', 'decoded-e2e.yaml');
    await vscode.workspace.fs.writeFile(manifestUri, Buffer.from(manifestText));
    const manifest = await vscode.workspace.openTextDocument(manifestUri);
    await vscode.window.showTextDocument(manifest);

    // What to watch: the workspace file by file; the run's home (user data, logs, backups
    // live beside it) and temp folders for any file that holds the values.
    const workspacePath = workspaceFolder().fsPath;
    const runRoots = [...new Set([path.dirname(homedir()), tmpdir()])];
    const workspaceBefore = snapshot(workspacePath);
    const runBefore = new Map(runRoots.flatMap((root) => [...snapshot(root)]));

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      manifestUri,
    );
    const lens = lenses.find((candidate) => candidate.command?.title === 'Edit decoded values');
    assert.ok(lens?.command, 'an "Edit decoded values" lens above the Secret');
    const viewUri = await vscode.commands.executeCommand<string>(
      lens.command.command,
      ...(lens.command.arguments ?? []),
    );
    const view = vscode.workspace.textDocuments.find((d) => d.uri.toString() === viewUri);
    assert.ok(view, 'the decoded tab is open');
    assert.equal(view.uri.scheme, 'secret-guard-decoded');
    assert.equal(view.languageId, 'yaml');
    assert.match(view.getText(), new RegExp(`^ {2}token: ${oldValue}$`, 'm'));
    assert.match(view.getText(), /Not shown, kept as they are: data\.broken \(not valid base64\)/);

    const editor = await vscode.window.showTextDocument(view);
    const at = view.getText().indexOf(oldValue);
    await editor.edit((builder) =>
      builder.replace(
        new vscode.Range(view.positionAt(at), view.positionAt(at + oldValue.length)),
        newValue,
      ),
    );
    assert.ok(await view.save(), 'the tab saves');
    await until(
      () => manifest.getText().includes(base64(newValue)) && !manifest.isDirty,
      'the manifest to hold the new value, saved',
    );
    assert.equal(
      manifest.getText(),
      manifestText.replace(base64(oldValue), base64(newValue)),
      'one value changed; comments and the hidden entry stay byte-identical',
    );
    assert.equal(readFileSync(manifestUri.fsPath, 'utf8'), manifest.getText(), 'saved to disk');

    const workspaceChanged = changedSince(workspaceBefore, snapshot(workspacePath));
    assert.deepEqual(workspaceChanged, [manifestUri.fsPath], 'only the manifest was written');
    const runAfter = new Map(runRoots.flatMap((root) => [...snapshot(root)]));
    const leaked = changedSince(runBefore, runAfter).filter((file) =>
      holdsAny(file, [oldValue, newValue]),
    );
    assert.deepEqual(leaked, [], 'no file of the run holds a decoded value');

    // The manifest changes while the tab is clean: the tab shows the new values.
    const refreshed = `fresh-${randomBytes(4).toString('hex')}`;
    const first = new vscode.WorkspaceEdit();
    const at2 = manifest.getText().indexOf(base64(newValue));
    first.replace(
      manifestUri,
      new vscode.Range(
        manifest.positionAt(at2),
        manifest.positionAt(at2 + base64(newValue).length),
      ),
      base64(refreshed),
    );
    assert.ok(await vscode.workspace.applyEdit(first));
    await until(() => view.getText().includes(refreshed), 'the clean tab to show the new value');
    await vscode.commands.executeCommand('workbench.action.files.revert', manifestUri);
    await vscode.window.showTextDocument(manifest);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await until(() => view.getText().includes(newValue), 'the tab to follow the revert');
    const viewEditor = await vscode.window.showTextDocument(view);

    // The manifest changes underneath while the tab has unsaved edits: the save is refused.
    const again = view.getText().indexOf(newValue);
    await viewEditor.edit((builder) =>
      builder.replace(
        new vscode.Range(view.positionAt(again), view.positionAt(again + newValue.length)),
        'third-value',
      ),
    );
    const edit = new vscode.WorkspaceEdit();
    const start = manifest.getText().indexOf(base64(newValue));
    edit.replace(
      manifestUri,
      new vscode.Range(
        manifest.positionAt(start),
        manifest.positionAt(start + base64(newValue).length),
      ),
      base64('changed-underneath'),
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(await view.save(), false, 'saving a stale view is refused');
    assert.ok(manifest.getText().includes(base64('changed-underneath')), 'nothing was written');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.window.showTextDocument(manifest);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('masking hides decoded values from hovers at once, and is remembered', async () => {
    const manifestUri = vscode.Uri.joinPath(workspaceFolder(), 'secrets', 'decoded-e2e.yaml');
    const manifest = await vscode.workspace.openTextDocument(manifestUri);
    const position = manifest.positionAt(manifest.getText().indexOf('token:') + 2);
    // The suite before this one may have set `reveal: never` a moment ago: wait for the reset.
    const hoverUntil = async (accept: (text: string) => boolean): Promise<string> => {
      const deadline = Date.now() + WAIT_MS;
      let text = await hoverText(manifestUri, position);
      while (!accept(text) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        text = await hoverText(manifestUri, position);
      }
      return text;
    };
    const shown = await hoverUntil((text) => text.includes(newValue));
    assert.ok(shown.includes(newValue), shown);
    assert.equal(await vscode.commands.executeCommand('secretGuard.toggleMasking'), true);
    try {
      const masked = await hoverUntil((text) => !text.includes(newValue));
      assert.ok(!masked.includes(newValue), masked);
      assert.match(masked, /data\.token/, 'the hover still says what the value is');
    } finally {
      assert.equal(await vscode.commands.executeCommand('secretGuard.toggleMasking'), false);
    }
    const unmasked = await hoverUntil((text) => text.includes(newValue));
    assert.ok(unmasked.includes(newValue), 'unmasked again');
  });
});
