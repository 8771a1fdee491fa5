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
import { CHILD_PROCESS_MARKER, NO_CHILD_PROCESS_PRELOAD, SERVER_BUNDLE } from './paths';

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
  /** More arguments for node before the server's script (e.g. `--require` a preload). */
  nodeArgs?: string[];
  /** Added to the server's environment. */
  env?: Record<string, string>;
  /** The client never answers `workspace/configuration` (as a broken client might). */
  configurationNeverAnswers?: boolean;
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
    // Every server under test runs with the child-process guard: it must never start one.
    const child = spawn(
      process.execPath,
      [
        '--require',
        NO_CHILD_PROCESS_PRELOAD,
        ...(options.nodeArgs ?? []),
        SERVER_BUNDLE,
        '--stdio',
      ],
      { stdio: 'pipe', env: { ...process.env, ...options.env } },
    );
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
      options.configurationNeverAnswers
        ? new Promise<unknown[]>(() => undefined)
        : params.items.map((item) => (item.section === 'secretGuard' ? client.settings : null)),
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

  /** Writes bytes to the server's stdin as they are (malformed JSON-RPC, for instance). */
  sendRaw(data: string | Buffer): void {
    this.child.stdin.write(data);
  }

  /** The server's process id, and whether it has exited (and how). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /**
   * Every JSON-RPC message the server wrote to stdout so far, parsed from its raw frames:
   * what leaves the server, for leak checks (independent of what the connection dispatched).
   */
  serverMessages(): Record<string, unknown>[] {
    // Parsed incrementally: a test may ask after every request.
    const messages = this.parsed.messages;
    const bytes = Buffer.from(this.stdout.slice(this.parsed.characters), 'utf8');
    let at = 0;
    while (at < bytes.length) {
      const headerEnd = bytes.indexOf('\r\n\r\n', at);
      if (headerEnd === -1) break;
      const length = /Content-Length: *(\d+)/i.exec(
        bytes.subarray(at, headerEnd).toString('ascii'),
      );
      if (!length) break;
      const bodyStart = headerEnd + 4;
      const bodyEnd = bodyStart + Number(length[1]);
      if (bodyEnd > bytes.length) break;
      messages.push(
        JSON.parse(bytes.subarray(bodyStart, bodyEnd).toString('utf8')) as Record<string, unknown>,
      );
      at = bodyEnd;
    }
    this.parsed.characters += bytes.subarray(0, at).toString('utf8').length;
    return [...messages];
  }

  private readonly parsed: { characters: number; messages: Record<string, unknown>[] } = {
    characters: 0,
    messages: [],
  };

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
    if (this.stderr.includes(CHILD_PROCESS_MARKER)) {
      throw new Error(`the server tried to start a process:\n${this.stderr}`);
    }
  }
}
