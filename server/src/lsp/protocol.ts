/**
 * The names and shapes that the server and its clients agree on beyond standard LSP: the
 * `workspace/executeCommand` commands of decoded editing, the client-side commands that code
 * lenses name, the masking notification and the initialization options. Types and constants
 * only (no `vscode-languageserver` import), so that the VS Code client bundles it as is.
 */

/** Server command: the decoded view of a Secret. Arguments: [{@link DecodedViewParams}]. */
export const DECODED_VIEW_COMMAND = 'secretGuard.decodedView';
/** Server command: write an edited view back. Arguments: [{@link ApplyDecodedViewParams}]. */
export const APPLY_DECODED_VIEW_COMMAND = 'secretGuard.applyDecodedView';
/**
 * Server command: shows a message (`window/showMessage`). Code actions name it as their
 * `command` to tell the user, once their edit is applied, where a value went or what to do
 * next. Arguments: [message: string]; messages never hold a value.
 */
export const NOTIFY_COMMAND = 'secretGuard.notify';
/** The server's `workspace/executeCommand` commands. */
export const SERVER_COMMANDS: readonly string[] = [
  DECODED_VIEW_COMMAND,
  APPLY_DECODED_VIEW_COMMAND,
  NOTIFY_COMMAND,
];

/**
 * Client command (VS Code): opens the decoded-editing tab of a Secret. Code lenses name it
 * when the client announced `decodedEditing` in its initialization options. Arguments:
 * [{@link DecodedViewParams}].
 */
export const EDIT_DECODED_COMMAND = 'secretGuard.editDecoded';
/** Client command (VS Code): hides or shows decoded values in hovers and inlay hints. */
export const TOGGLE_MASKING_COMMAND = 'secretGuard.toggleMasking';

/** Client to server notification: decoded values are masked (screen sharing) or not. */
export const SET_MASKED_NOTIFICATION = 'secretGuard/setMasked';
export interface SetMaskedParams {
  masked: boolean;
}

/** What a client may pass in `initialize`'s `initializationOptions`. */
export interface InitializationOptions {
  /** The `secretGuard` settings, when the client cannot answer `workspace/configuration`. */
  settings?: unknown;
  /** The client has the {@link EDIT_DECODED_COMMAND} command: offer "Edit decoded" lenses. */
  decodedEditing?: boolean;
  /** Decoded values start masked (the client remembers the toggle per workspace). */
  masked?: boolean;
  /**
   * False in a workspace the user does not trust (VS Code's Restricted Mode): the server then
   * reads no file and analyses the open documents' text only (see lsp/trust.ts). Absent means
   * trusted, as for editors without workspace trust.
   */
  trusted?: boolean;
}

/** Client to server notification: the user granted the workspace trust (it is never revoked). */
export const SET_TRUSTED_NOTIFICATION = 'secretGuard/setTrusted';
export interface SetTrustedParams {
  trusted: boolean;
}

/** A 0-based line and UTF-16 character. */
export interface ProtocolPosition {
  line: number;
  character: number;
}

/** Which Secret: by document and object index, or the one at a position. */
export interface DecodedViewParams {
  /** The manifest's URI. */
  uri: string;
  /** 0-based index of the YAML document in the file. */
  document?: number;
  /** 0-based index of the object in the document (an item of a `kind: List`); default 0. */
  object?: number;
  /** Used when `document` is not given: the Secret whose text holds this position. */
  position?: ProtocolPosition;
}

export type DecodedViewResponse =
  | {
      ok: true;
      /** The view's text: YAML, values decoded. Shown to the user; never logged. */
      text: string;
      /** Pass it back with the edited text. */
      fingerprint: string;
      document: number;
      object: number;
      name: string | null;
      namespace: string | null;
    }
  | { ok: false; message: string };

export interface ApplyDecodedViewParams {
  uri: string;
  document: number;
  object: number;
  /** The fingerprint of the view being saved. */
  fingerprint: string;
  /** The edited view's text. */
  text: string;
}

export type ApplyDecodedViewResponse =
  | {
      ok: true;
      /** False when the view held the manifest's values already (no edit was sent). */
      changed: boolean;
      /** The view's fingerprint from now on. */
      fingerprint: string;
      document: number;
      object: number;
      summary: { changed: number; added: number; removed: number; moved: number };
    }
  | {
      ok: false;
      /** As in the core, plus `rejected`: the client did not apply the `workspace/applyEdit`. */
      reason: 'stale' | 'invalid-view' | 'unsafe' | 'not-found' | 'rejected';
      /** For the user: names keys and places, never values. */
      message: string;
    };
