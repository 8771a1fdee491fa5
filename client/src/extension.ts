/**
 * The thin VS Code client: starts the bundled language server and hands it YAML and JSON
 * documents. No analysis happens here; the only UI of its own is the decoded-editing tab and
 * the masking toggle (everything that changes a manifest's text goes through LSP).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
} from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import {
  EDIT_DECODED_COMMAND,
  SET_TRUSTED_NOTIFICATION,
  TOGGLE_MASKING_COMMAND,
} from '../../server/src/lsp/protocol';
import type { InitializationOptions } from '../../server/src/lsp/protocol';
import { registerDecodedEditing } from './decoded-editing';
import { Masking } from './masking';
import { RestartPolicy } from './restart-policy';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const masking = new Masking(context.workspaceState, TOGGLE_MASKING_COMMAND);
  const restarts = new RestartPolicy();
  context.subscriptions.push(
    masking,
    vscode.commands.registerCommand(TOGGLE_MASKING_COMMAND, () => masking.toggle()),
  );
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6010'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'untitled', language: 'json' },
    ],
    synchronize: { configurationSection: 'secretGuard' },
    // A function: a restarted server is told the current state (trust granted since, say).
    initializationOptions: (): InitializationOptions => ({
      decodedEditing: true,
      masked: masking.masked,
      // Restricted Mode: the server reads no file of the workspace (server/src/lsp/trust.ts).
      trusted: vscode.workspace.isTrusted,
    }),
    errorHandler: {
      error: (_error, _message, count) => ({
        action: restarts.error(count) === 'continue' ? ErrorAction.Continue : ErrorAction.Shutdown,
        handled: true,
      }),
      closed: () => {
        const decision = restarts.closed();
        if (decision.message !== undefined) {
          if (decision.restart) void vscode.window.showWarningMessage(decision.message);
          else void vscode.window.showErrorMessage(decision.message);
        }
        return {
          action: decision.restart ? CloseAction.Restart : CloseAction.DoNotRestart,
          handled: true,
        };
      },
    },
  };
  client = new LanguageClient(
    'secretGuard',
    'Secret Guard for Kubernetes',
    serverOptions,
    clientOptions,
  );
  masking.attach(client);
  registerDecodedEditing(context, client, EDIT_DECODED_COMMAND, () => masking.masked);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(SET_TRUSTED_NOTIFICATION, { trusted: true });
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
