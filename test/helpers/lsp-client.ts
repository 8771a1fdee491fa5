/**
 * A minimal LSP client for tests: starts the built server (dist/server.js) as a child process
 * and speaks JSON-RPC over its stdio, as an editor does. Records everything the server writes
 * so that tests can assert that no secret value leaves the process.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-languageserver/node';
import type { MessageConnection } from 'vscode-languageserver/node';
import type {
  ApplyWorkspaceEditParams,
  ApplyWorkspaceEditResult,
  ClientCapabilities,
  CodeAction,
  CodeLens,
  Diagnostic,
  Hover,
  InlayHint,
  Location,
  Position,
  PublishDiagnosticsParams,
  Range,
} from 'vscode-languageserver/node';
import { SERVER_BUNDLE } from './paths';

export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
  },
  textDocument: {
    publishDiagnostics: { versionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } },
      isPreferredSupport: true,
    },
  },
};

export interface StartOptions {
  capabilities?: ClientCapabilities;
  /** What the client answers to `workspace/configuration` for section `secretGuard`. */
  settings?: unknown;
  rootUri?: string | null;
  /** Sent as `initializationOptions` in `initialize`. */
  initializationOptions?: unknown;
}

export class TestLspClient {
  /** Everything the server wrote to stdout and stderr, for leak assertions. */
  stdout = '';
  stderr = '';
  settings: unknown;
  /** Every `workspace/applyEdit` the server sent, in order. */
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  /** What the client answers to `workspace/applyEdit`. */
  applyEditResult: ApplyWorkspaceEditResult = { applied: true };
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: (() => void)[] = [];

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: StartOptions = {}): Promise<TestLspClient> {
    const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { stdio: 'pipe' });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new TestLspClient(child, connection);
    client.settings = options.settings ?? {};
    child.stdout.on('data', (chunk: Buffer) => (client.stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (client.stderr += chunk.toString('utf8')));
    connection.onNotification(
      'textDocument/publishDiagnostics',
      (params: PublishDiagnosticsParams) => {
        client.published.push(params);
        for (const wake of client.waiters.splice(0)) wake();
      },
    );
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'secretGuard' ? client.settings : null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => {
      client.appliedEdits.push(params);
      return client.applyEditResult;
    });
    connection.onNotification('window/logMessage', () => undefined);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      capabilities: options.capabilities ?? DEFAULT_CAPABILITIES,
      ...(options.initializationOptions !== undefined
        ? { initializationOptions: options.initializationOptions }
        : {}),
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  async open(uri: string, text: string, languageId = 'yaml', version = 1): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
  }

  /** Sends an incremental change replacing `range` with `text`. */
  async change(uri: string, version: number, range: Range, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Resolves with the first diagnostics published for `uri` at `version` (or any, if omitted). */
  async diagnostics(uri: string, version?: number, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.published.find(
        (params) => params.uri === uri && (version === undefined || params.version === version),
      );
      if (found) return found.diagnostics;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no diagnostics for ${uri} version ${version}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * Resolves with the first diagnostics published for `uri` (oldest first, since the last
   * {@link clearPublished}) that satisfy `predicate`: for waiting out intermediate publications.
   */
  async diagnosticsWhere(
    uri: string,
    predicate: (diagnostics: Diagnostic[]) => boolean,
    timeoutMs = 10_000,
  ): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.published.find(
        (params) => params.uri === uri && predicate(params.diagnostics),
      );
      if (found) return found.diagnostics;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching diagnostics for ${uri}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Forgets published diagnostics, so that the next wait sees only new ones. */
  clearPublished(): void {
    this.published.length = 0;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  definition(uri: string, position: Position): Promise<Location[] | Location | null> {
    return this.connection.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position,
    });
  }

  inlayHints(uri: string, range: Range): Promise<InlayHint[] | null> {
    return this.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range });
  }

  executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    return this.connection.sendRequest('workspace/executeCommand', { command, arguments: args });
  }

  codeLenses(uri: string): Promise<CodeLens[] | null> {
    return this.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics },
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([
        this.connection.sendRequest('shutdown'),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; killing it below is enough.
    }
    this.connection.dispose();
    if (this.child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.child.kill('SIGKILL');
          resolve();
        }, 2000);
        this.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
