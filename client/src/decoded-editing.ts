/**
 * The decoded-editing tab: a Secret's values decoded, in an editor tab served from memory by an
 * in-memory file system (`secret-guard-decoded:`), never from a file. Reading the tab asks the
 * server for the view (`secretGuard.decodedView`); saving it (Ctrl+S) sends the edited text to
 * the server (`secretGuard.applyDecodedView`), which writes the values back into the manifest
 * through `workspace/applyEdit`. The plaintext lives in this process's memory and in the
 * server's, and nowhere else: nothing here touches the disk but the manifest itself.
 *
 * After a write-back the manifest is saved when it had no unsaved changes before (so that
 * Ctrl+S in the tab means "saved"); a manifest with unsaved changes of its own is left unsaved.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { APPLY_DECODED_VIEW_COMMAND, DECODED_VIEW_COMMAND } from '../../server/src/lsp/protocol';
import type {
  ApplyDecodedViewParams,
  ApplyDecodedViewResponse,
  DecodedViewParams,
  DecodedViewResponse,
} from '../../server/src/lsp/protocol';

export const DECODED_SCHEME = 'secret-guard-decoded';

/** What the tab of one Secret knows: where its values come from, and the view's fingerprint. */
interface OpenView {
  source: vscode.Uri;
  document: number;
  object: number;
  fingerprint: string;
  content: Uint8Array;
  ctime: number;
  mtime: number;
  /** The manifest changed: the next stat or read fetches the view again. */
  stale: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The tab's URI: `secret-guard-decoded:/<name>.decoded.yaml?<source, document, object>`. */
export function decodedViewUri(
  source: vscode.Uri,
  document: number,
  object: number,
  name: string | null,
): vscode.Uri {
  const label = (name ?? 'secret').replace(/[^A-Za-z0-9._-]/g, '_');
  const query = new URLSearchParams({
    source: source.toString(),
    document: String(document),
    object: String(object),
  });
  return vscode.Uri.from({
    scheme: DECODED_SCHEME,
    path: `/${label}.decoded.yaml`,
    query: query.toString(),
  });
}

function parseViewUri(uri: vscode.Uri): { source: vscode.Uri; document: number; object: number } {
  const query = new URLSearchParams(uri.query);
  const source = query.get('source');
  const document = Number(query.get('document'));
  const object = Number(query.get('object') ?? '0');
  if (!source || !Number.isInteger(document) || !Number.isInteger(object)) {
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  return { source: vscode.Uri.parse(source), document, object };
}

/** Counts for a status message: "1 changed, 1 added". */
function describeSummary(summary: {
  changed: number;
  added: number;
  removed: number;
  moved: number;
}): string {
  const parts = Object.entries(summary)
    .filter(([, count]) => count > 0)
    .map(([what, count]) => `${count} ${what}`);
  return parts.length > 0 ? parts.join(', ') : 'no change';
}

export class DecodedFileSystem implements vscode.FileSystemProvider {
  private readonly views = new Map<string, OpenView>();
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  private readonly pendingRefresh = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly client: LanguageClient) {}

  /** Asks the server for a Secret's view. */
  async fetchView(params: DecodedViewParams): Promise<DecodedViewResponse> {
    // The server edits what the editor holds: make sure it has the manifest open.
    await vscode.workspace.openTextDocument(vscode.Uri.parse(params.uri));
    return (await this.client.sendRequest(ExecuteCommandRequest.type, {
      command: DECODED_VIEW_COMMAND,
      arguments: [params],
    })) as DecodedViewResponse;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  /**
   * The view of a tab, fetched when first asked for or after the manifest changed. Its
   * modification time changes only when its text does: VS Code compares stat results before
   * saving and reloads a clean tab whose time changed.
   */
  private async load(uri: vscode.Uri): Promise<OpenView> {
    const key = uri.toString();
    const known = this.views.get(key);
    if (known && !known.stale) return known;
    const { source, document, object } = parseViewUri(uri);
    const response = await this.fetchView({
      uri: source.toString(),
      document: known?.document ?? document,
      object: known?.object ?? object,
    });
    if (!response.ok) throw vscode.FileSystemError.Unavailable(response.message);
    const content = encoder.encode(response.text);
    const now = Date.now();
    const same = known !== undefined && Buffer.from(known.content).equals(content);
    const view: OpenView = {
      source,
      document: response.document,
      object: response.object,
      fingerprint: response.fingerprint,
      content,
      ctime: known?.ctime ?? now,
      mtime: same && known ? known.mtime : Math.max(now, (known?.mtime ?? 0) + 1),
      stale: false,
    };
    this.views.set(key, view);
    return view;
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const view = await this.load(uri);
    return {
      type: vscode.FileType.File,
      ctime: view.ctime,
      mtime: view.mtime,
      size: view.content.byteLength,
    };
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('decoded views are not a folder');
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.load(uri)).content;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const view = this.views.get(uri.toString());
    if (!view) {
      throw vscode.FileSystemError.NoPermissions('reopen the decoded view before saving it');
    }
    const manifest = vscode.workspace.textDocuments.find(
      (document) => document.uri.toString() === view.source.toString(),
    );
    const hadUnsavedChanges = manifest?.isDirty ?? false;
    const params: ApplyDecodedViewParams = {
      uri: view.source.toString(),
      document: view.document,
      object: view.object,
      fingerprint: view.fingerprint,
      text: decoder.decode(content),
    };
    const response = (await this.client.sendRequest(ExecuteCommandRequest.type, {
      command: APPLY_DECODED_VIEW_COMMAND,
      arguments: [params],
    })) as ApplyDecodedViewResponse;
    if (!response.ok) throw vscode.FileSystemError.NoPermissions(response.message);
    Object.assign(view, {
      document: response.document,
      object: response.object,
      fingerprint: response.fingerprint,
      content,
      mtime: Math.max(Date.now(), view.mtime + 1),
    });
    const name = view.source.path.slice(view.source.path.lastIndexOf('/') + 1);
    if (!response.changed) return;
    const written = vscode.workspace.textDocuments.find(
      (document) => document.uri.toString() === view.source.toString(),
    );
    if (written && !hadUnsavedChanges && written.isDirty) await written.save();
    vscode.window.setStatusBarMessage(
      `Secret values written to ${name}${hadUnsavedChanges ? ' (unsaved)' : ''}: ${describeSummary(response.summary)}`,
      5000,
    );
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('close the tab instead');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('decoded views cannot be renamed');
  }

  /**
   * The manifest changed: tabs without unsaved edits reload their view (VS Code re-reads a
   * clean file that reports a change); tabs with unsaved edits keep them, and their save is
   * refused by the server if the values changed underneath.
   */
  manifestChanged(source: vscode.Uri): void {
    for (const [key, view] of this.views) {
      if (view.source.toString() !== source.toString()) continue;
      clearTimeout(this.pendingRefresh.get(key));
      this.pendingRefresh.set(
        key,
        setTimeout(() => {
          this.pendingRefresh.delete(key);
          const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
          if (!open || open.isDirty) return;
          view.stale = true;
          this.changes.fire([{ type: vscode.FileChangeType.Changed, uri: vscode.Uri.parse(key) }]);
        }, 300),
      );
    }
  }

  /** A closed tab forgets its view (the plaintext is dropped from memory). */
  viewClosed(uri: vscode.Uri): void {
    this.views.delete(uri.toString());
    clearTimeout(this.pendingRefresh.get(uri.toString()));
    this.pendingRefresh.delete(uri.toString());
  }
}

/** Where "Edit decoded values" was asked for: the lens's arguments, or the active editor. */
function paramsFrom(arg: unknown): DecodedViewParams | undefined {
  if (
    typeof arg === 'object' &&
    arg !== null &&
    typeof (arg as { uri?: unknown }).uri === 'string'
  ) {
    return arg as DecodedViewParams;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme === DECODED_SCHEME) return undefined;
  const position = editor.selection.active;
  return {
    uri: editor.document.uri.toString(),
    position: { line: position.line, character: position.character },
  };
}

/**
 * Registers the file system and the `secretGuard.editDecoded` command. `isMasked` tells
 * whether decoded values are masked for screen sharing: opening a view then asks first.
 */
export function registerDecodedEditing(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  commandId: string,
  isMasked: () => boolean,
): DecodedFileSystem {
  const fileSystem = new DecodedFileSystem(client);
  context.subscriptions.push(
    vscode.workspace.registerFileSystemProvider(DECODED_SCHEME, fileSystem, {
      isCaseSensitive: true,
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.scheme !== DECODED_SCHEME && event.contentChanges.length > 0) {
        fileSystem.manifestChanged(event.document.uri);
      }
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === DECODED_SCHEME) fileSystem.viewClosed(document.uri);
    }),
    vscode.commands.registerCommand(commandId, async (arg: unknown) => {
      const params = paramsFrom(arg);
      if (!params) {
        void vscode.window.showInformationMessage(
          'Open a Kubernetes manifest and put the cursor in a Secret.',
        );
        return undefined;
      }
      if (isMasked()) {
        const choice = await vscode.window.showWarningMessage(
          'Secret values are masked (screen sharing). Show them decoded in an editor tab anyway?',
          { modal: true },
          'Show decoded values',
        );
        if (choice !== 'Show decoded values') return undefined;
      }
      const response = await fileSystem.fetchView(params);
      if (!response.ok) {
        void vscode.window.showWarningMessage(
          `Cannot edit this Secret decoded: ${response.message}`,
        );
        return undefined;
      }
      const uri = decodedViewUri(
        vscode.Uri.parse(params.uri),
        response.document,
        response.object,
        response.name,
      );
      // The `.yaml` name gives the tab YAML highlighting (changing the language would reopen it).
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: false });
      return uri.toString();
    }),
  );
  return fileSystem;
}
