/**
 * Decoded editing over LSP: `secretGuard.decodedView` answers a Secret's decoded view,
 * `secretGuard.applyDecodedView` writes an edited view back with `workspace/applyEdit` (or says
 * why not), and "Edit decoded values" code lenses name the client's command that opens the view.
 * The manifest's text is the open document's (unsaved changes included) or, for a closed one,
 * the file's on disk. Nothing here logs a view or a value.
 */
import { readFileSync, statSync } from 'node:fs';
import type {
  ClientCapabilities,
  CodeLens,
  Connection,
  TextDocuments,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyDecodedView, decodedViewOf, secretAt, secretsInFile } from '../core/decoded-view';
import { APPLY_DECODED_VIEW_COMMAND, DECODED_VIEW_COMMAND, EDIT_DECODED_COMMAND } from './protocol';
import type {
  ApplyDecodedViewParams,
  ApplyDecodedViewResponse,
  DecodedViewParams,
  DecodedViewResponse,
} from './protocol';
import { isTrusted } from './trust';
import { pathOfUri } from './uri';

/** A closed manifest larger than this is not read (a Secret is at most 1 MiB). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

interface ManifestText {
  document: TextDocument;
  /** The open document's version; null for a file read from disk. */
  version: number | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The last path segment of a URI, for the view's header. */
function fileLabelOf(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

export class DecodedEditing {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly capabilities: () => ClientCapabilities,
  ) {}

  /** Handles one of the decoded-editing commands; undefined for other commands. */
  execute(command: string, args: readonly unknown[] | undefined): Promise<unknown> | undefined {
    const first = args?.[0];
    if (command === DECODED_VIEW_COMMAND) return Promise.resolve(this.view(first));
    if (command === APPLY_DECODED_VIEW_COMMAND) return this.apply(first);
    return undefined;
  }

  /** "Edit decoded values" above each Secret, naming the client's command. */
  codeLenses(document: TextDocument): CodeLens[] {
    return secretsInFile(document.getText()).map((secret) => {
      const position = document.positionAt(secret.start);
      const params: DecodedViewParams = {
        uri: document.uri,
        document: secret.document,
        object: secret.object,
      };
      return {
        range: { start: position, end: position },
        command: {
          title: 'Edit decoded values',
          command: EDIT_DECODED_COMMAND,
          arguments: [params],
        },
      };
    });
  }

  view(raw: unknown): DecodedViewResponse {
    if (!isObject(raw) || typeof raw.uri !== 'string') {
      return { ok: false, message: 'expected { uri, document, object } or { uri, position }' };
    }
    const manifest = this.textOf(raw.uri);
    if (!manifest) return { ok: false, message: 'the manifest cannot be read' };
    const text = manifest.document.getText();
    let locator: { document: number; object: number } | undefined;
    if (isIndex(raw.document)) {
      locator = { document: raw.document, object: isIndex(raw.object) ? raw.object : 0 };
    } else if (
      isObject(raw.position) &&
      isIndex(raw.position.line) &&
      isIndex(raw.position.character)
    ) {
      const offset = manifest.document.offsetAt({
        line: raw.position.line,
        character: raw.position.character,
      });
      const found = secretAt(text, offset);
      if (found) locator = { document: found.document, object: found.object };
    }
    if (!locator) return { ok: false, message: 'there is no Secret here' };
    const result = decodedViewOf(text, locator, { fileLabel: fileLabelOf(raw.uri) });
    if (!result.ok) return result;
    const view = result.view;
    return {
      ok: true,
      text: view.text,
      fingerprint: view.fingerprint,
      document: view.locator.document,
      object: view.locator.object,
      name: view.name ?? null,
      namespace: view.namespace ?? null,
    };
  }

  async apply(raw: unknown): Promise<ApplyDecodedViewResponse> {
    const params = parseApplyParams(raw);
    if (!params) {
      return {
        ok: false,
        reason: 'invalid-view',
        message: 'expected { uri, document, object, fingerprint, text }',
      };
    }
    const manifest = this.textOf(params.uri);
    if (!manifest)
      return { ok: false, reason: 'not-found', message: 'the manifest cannot be read' };
    const { document, version } = manifest;
    const result = applyDecodedView(
      document.getText(),
      { document: params.document, object: params.object },
      params.fingerprint,
      params.text,
    );
    if (!result.ok) return result;
    const response: ApplyDecodedViewResponse = {
      ok: true,
      changed: result.edits.length > 0,
      fingerprint: result.fingerprint,
      document: result.locator.document,
      object: result.locator.object,
      summary: result.summary,
    };
    if (result.edits.length === 0) return response;
    const edits = result.edits.map((edit) => ({
      range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) },
      newText: edit.newText,
    }));
    const edit: WorkspaceEdit =
      this.capabilities().workspace?.workspaceEdit?.documentChanges === true
        ? { documentChanges: [{ textDocument: { uri: params.uri, version }, edits }] }
        : { changes: { [params.uri]: edits } };
    const applied = await this.connection.workspace.applyEdit({
      label: 'Write decoded Secret values',
      edit,
    });
    if (!applied.applied) {
      return {
        ok: false,
        reason: 'rejected',
        message:
          'the editor did not apply the edit (the manifest changed meanwhile?): nothing was written',
      };
    }
    return response;
  }

  private textOf(uri: string): ManifestText | undefined {
    const open = this.documents.get(uri);
    if (open) return { document: open, version: open.version };
    const path = pathOfUri(uri);
    if (path === undefined || !isTrusted()) return undefined; // Restricted Mode: see trust.ts
    try {
      if (statSync(path).size > MAX_FILE_BYTES) return undefined;
      const text = readFileSync(path, 'utf8');
      return { document: TextDocument.create(uri, 'yaml', 0, text), version: null };
    } catch {
      return undefined;
    }
  }
}

function parseApplyParams(raw: unknown): ApplyDecodedViewParams | undefined {
  if (!isObject(raw)) return undefined;
  const { uri, document, object, fingerprint, text } = raw;
  if (typeof uri !== 'string' || typeof fingerprint !== 'string' || typeof text !== 'string') {
    return undefined;
  }
  if (!isIndex(document)) return undefined;
  return { uri, document, object: isIndex(object) ? object : 0, fingerprint, text };
}
