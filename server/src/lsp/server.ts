/**
 * The LSP adapter: wires a connection to the core. Handlers are small and delegate; nothing
 * here analyses YAML. Exported so that tests speak LSP to the real server over streams.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import type {
  ClientCapabilities,
  Connection,
  InitializeParams,
  InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { normalizeSettings } from '../core/settings';
import { provideCodeActions } from './code-actions';
import { provideDefinition } from './definition';
import { toDiagnostic } from './diagnostics';
import { provideHover } from './hover';
import { SERVER_NAME, SERVER_VERSION } from './server-info';
import { pathOfUri } from './uri';
import { WorkspaceSecrets, MANIFEST_GLOB } from './workspace-secrets';
import { WorkspaceState, isManifestDocument } from './workspace-state';

/** How long to wait for `workspace/configuration` before analysing with the defaults. */
const CONFIGURATION_TIMEOUT_MS = 2000;

/**
 * How long analyses wait for the first crawl of the workspace's Secrets; a longer crawl
 * re-publishes the diagnostics when it ends.
 */
const SECRET_INDEX_TIMEOUT_MS = 5000;

/** Files whose change can change what git would commit. */
const GIT_FILE_GLOBS = ['**/.gitignore', '**/.git/info/exclude', '**/.git/index'];

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const state = new WorkspaceState();
  const workspaceSecrets = new WorkspaceSecrets(() => revalidateAll());
  state.secrets = workspaceSecrets.index;
  let workspaceRoots: string[] = [];
  let capabilities: ClientCapabilities = {};
  const pendingValidations = new Set<string>();
  // Analyses wait for the client's settings (bounded by CONFIGURATION_TIMEOUT_MS), so that a
  // rule the user switched off never flashes up at start.
  let settingsReady: Promise<void> = Promise.resolve();

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities;
    const initial = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    if (initial !== undefined) state.settings = normalizeSettings(initial);
    workspaceRoots = workspaceRootsOf(params);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, {
        section: 'secretGuard',
      });
    }
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [...GIT_FILE_GLOBS, MANIFEST_GLOB].map((globPattern) => ({ globPattern })),
      });
    }
    const secretsIndexed = withTimeout(
      workspaceSecrets.crawl(workspaceRoots),
      SECRET_INDEX_TIMEOUT_MS,
    );
    settingsReady = Promise.all([refreshSettings(), secretsIndexed]).then(() => undefined);
  });

  /** Pulls `secretGuard` settings when the client supports it, then re-analyses. */
  async function refreshSettings(pushed?: unknown): Promise<void> {
    if (pushed !== undefined) {
      state.settings = normalizeSettings(pushed);
    } else if (capabilities.workspace?.configuration) {
      const fetched = await withTimeout(
        connection.workspace.getConfiguration('secretGuard') as Promise<unknown>,
        CONFIGURATION_TIMEOUT_MS,
      );
      if (fetched !== undefined) state.settings = normalizeSettings(fetched);
    }
    revalidateAll();
  }

  connection.onDidChangeConfiguration((change) => {
    const pushed = (change.settings as { secretGuard?: unknown } | null | undefined)?.secretGuard;
    void refreshSettings(capabilities.workspace?.configuration ? undefined : pushed);
  });

  connection.onDidChangeWatchedFiles((params) => {
    state.invalidateGit();
    void workspaceSecrets.filesChanged(params.changes);
    revalidateAll();
  });

  function scheduleValidation(uri: string): void {
    if (pendingValidations.has(uri)) return; // the pending run will read the latest text
    pendingValidations.add(uri);
    void settingsReady.then(() =>
      setImmediate(() => {
        if (!pendingValidations.delete(uri)) return; // closed meanwhile
        validate(uri);
      }),
    );
  }

  function validate(uri: string): void {
    const document = documents.get(uri);
    if (!document || !isManifestDocument(document)) return;
    const analysis = state.analyze(document);
    for (const error of analysis.internalErrors) connection.console.error(`rule failed: ${error}`);
    void connection.sendDiagnostics({
      uri,
      version: document.version,
      diagnostics: analysis.findings.map((finding) => toDiagnostic(document, finding)),
    });
  }

  function revalidateAll(): void {
    for (const document of documents.all()) scheduleValidation(document.uri);
  }

  documents.onDidOpen((event) => scheduleValidation(event.document.uri));
  documents.onDidChangeContent((event) => {
    const document = event.document;
    // Other open documents may use this one's Secrets: re-check them when those changed.
    if (
      isManifestDocument(document) &&
      workspaceSecrets.documentChanged(document.uri, document.getText())
    ) {
      revalidateAll();
    }
    scheduleValidation(document.uri);
  });
  documents.onDidClose((event) => {
    void workspaceSecrets.documentClosed(event.document.uri);
    pendingValidations.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isManifestDocument(document)) return null;
    return provideHover(document, params, state.settings);
  });

  connection.onDefinition((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isManifestDocument(document)) return [];
    return provideDefinition(document, params, state.secrets);
  });

  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isManifestDocument(document)) return [];
    return provideCodeActions(document, params, state.analyze(document), capabilities);
  });

  documents.listen(connection);
  connection.listen();
}

/** The workspace folders' paths (or the root's, for clients without folders). */
function workspaceRootsOf(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? [params.rootUri ?? ''];
  return uris.flatMap((uri) => {
    const path = pathOfUri(uri);
    return path === undefined ? [] : [path];
  });
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), milliseconds);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}
