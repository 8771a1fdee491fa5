/**
 * The LSP adapter: wires a connection to the core. Handlers are small and delegate; nothing
 * here analyses YAML. Exported so that tests speak LSP to the real server over streams.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  MessageType,
  ShowMessageNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import type {
  ClientCapabilities,
  Connection,
  Diagnostic,
  InitializeParams,
  InitializeResult,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ExternalStoreContext } from '../core/actions/external-store';
import type { AnalysisResult } from '../core/analyze';
import { normalizeSettings } from '../core/settings';
import type { RevealMode } from '../core/settings';
import { provideCodeActions } from './code-actions';
import { provideCompletion } from './completion';
import { DecodedEditing } from './decoded-editing';
import { provideDefinition } from './definition';
import { toDiagnostic } from './diagnostics';
import { trackedTextDocuments } from './text-documents';
import { provideHover } from './hover';
import {
  PROJECT_CONFIG_GLOB,
  isProjectConfigUri,
  projectConfigDiagnostics,
} from './project-config';
import { provideInlayHints } from './inlay-hints';
import { manifestText } from './manifest-text';
import { errorClass, guardConnection } from './guard';
import {
  NOTIFY_COMMAND,
  SERVER_COMMANDS,
  SET_MASKED_NOTIFICATION,
  SET_TRUSTED_NOTIFICATION,
} from './protocol';
import { provideRefactors, provideSuppressions, resolveRefactor } from './refactors';
import type { InitializationOptions, SetMaskedParams, SetTrustedParams } from './protocol';
import { SERVER_NAME, SERVER_VERSION } from './server-info';
import { isTrusted, setTrusted } from './trust';
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

/**
 * How long an analysis runs before it yields to the event loop (see `validate`): well under
 * the 50 ms after which an editor's requests would wait noticeably.
 */
const ANALYSIS_SLICE_MS = 10;

/** Files whose change can change what git would commit. */
const GIT_FILE_GLOBS = ['**/.gitignore', '**/.git/info/exclude', '**/.git/index'];

export function startServer(unguarded: Connection): void {
  // Every handler registered below (and by TextDocuments) is guarded: see guard.ts.
  const connection = guardConnection(unguarded);
  const documents = new TextDocuments(trackedTextDocuments);
  // An open `.secret-guard.yaml` applies as typed (see WorkspaceState).
  const state = new WorkspaceState((path) =>
    documents
      .all()
      .find((document) => pathOfUri(document.uri) === path)
      ?.getText(),
  );
  const workspaceSecrets = new WorkspaceSecrets(() => revalidateAll());
  state.secrets = workspaceSecrets.index;
  let workspaceRoots: string[] = [];
  let capabilities: ClientCapabilities = {};
  const pendingValidations = new Set<string>();
  /** The latest validation run per document: an older run that sees a newer one stops. */
  const latestRun = new Map<string, number>();
  // Analyses wait for the client's settings (bounded by CONFIGURATION_TIMEOUT_MS), so that a
  // rule the user switched off never flashes up at start.
  let settingsReady: Promise<void> = Promise.resolve();
  const decodedEditing = new DecodedEditing(connection, documents, () => capabilities);
  /** The client opens decoded views itself (VS Code): offer "Edit decoded values" lenses. */
  let clientEditsDecoded = false;
  /** Decoded values are masked (screen sharing): hovers and hints show none, whatever `reveal` says. */
  let masked = false;
  const reveal = (): RevealMode => (masked ? 'never' : state.settings.reveal);

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities;
    const initial = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    if (initial !== undefined) state.settings = normalizeSettings(initial);
    workspaceRoots = workspaceRootsOf(params);
    const options = params.initializationOptions as InitializationOptions | undefined;
    clientEditsDecoded = options?.decodedEditing === true;
    masked = options?.masked === true;
    setTrusted(options?.trusted !== false);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        codeActionProvider: {
          codeActionKinds: [
            CodeActionKind.QuickFix,
            CodeActionKind.RefactorRewrite,
            CodeActionKind.RefactorExtract,
          ],
          resolveProvider: true,
        },
        executeCommandProvider: { commands: [...SERVER_COMMANDS] },
        ...(clientEditsDecoded ? { codeLensProvider: { resolveProvider: false } } : {}),
        inlayHintProvider: true,
        completionProvider: { triggerCharacters: [' ', ':'] },
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
        watchers: [...GIT_FILE_GLOBS, MANIFEST_GLOB, PROJECT_CONFIG_GLOB].map((globPattern) => ({
          globPattern,
        })),
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
    refreshInlayHints();
  }

  connection.onDidChangeConfiguration((change) => {
    const pushed = (change.settings as { secretGuard?: unknown } | null | undefined)?.secretGuard;
    void refreshSettings(capabilities.workspace?.configuration ? undefined : pushed);
  });

  connection.onDidChangeWatchedFiles((params) => {
    state.invalidateGit();
    if (params.changes.some((change) => isProjectConfigUri(change.uri))) {
      state.projectConfigs.invalidate();
    }
    void workspaceSecrets.filesChanged(params.changes);
    revalidateAll();
  });

  function scheduleValidation(uri: string): void {
    if (pendingValidations.has(uri)) return; // the pending run will read the latest text
    pendingValidations.add(uri);
    void settingsReady.then(() =>
      setImmediate(() => {
        if (!pendingValidations.delete(uri)) return; // closed meanwhile
        validate(uri).catch((error: unknown) =>
          connection.console.error(`analysis failed: ${errorClass(error)}`),
        );
      }),
    );
  }

  /**
   * Analyses a document and publishes its diagnostics. The analysis runs in slices of at most
   * about ANALYSIS_SLICE_MS (one document of the file is the smallest step), yielding to the
   * event loop between them so that requests and newer edits are read meanwhile; a run that a
   * newer one has superseded (a new version, new settings, the document closed) stops at its
   * next slice and publishes nothing. Nothing is debounced: a single edit is analysed at once.
   */
  async function validate(uri: string): Promise<void> {
    const document = documents.get(uri);
    if (!document || !isManifestDocument(document)) return;
    const run = (latestRun.get(uri) ?? 0) + 1;
    latestRun.set(uri, run);
    const version = document.version;
    const text = document.getText();
    const superseded = (): boolean =>
      latestRun.get(uri) !== run || documents.get(uri) !== document || document.version !== version;
    let diagnostics: Diagnostic[];
    if (isProjectConfigUri(uri)) {
      diagnostics = projectConfigDiagnostics(document);
    } else {
      const steps = state.analyzeInSteps(document);
      let analysis: AnalysisResult = { findings: [], internalErrors: [] };
      if (steps) {
        let sliceStart = performance.now();
        for (let step = steps.next(); ; step = steps.next()) {
          if (step.done) {
            analysis = step.value;
            break;
          }
          if (performance.now() - sliceStart >= ANALYSIS_SLICE_MS) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            if (superseded()) return;
            sliceStart = performance.now();
          }
        }
      }
      for (const error of analysis.internalErrors) {
        connection.console.error(`rule failed: ${error}`);
      }
      // Converting to positions reads the whole text once (the document's line table).
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (superseded()) return;
      diagnostics = analysis.findings.map((finding) => toDiagnostic(document, finding));
    }
    if (superseded()) return;
    void connection.sendDiagnostics({ uri, version, diagnostics });
    // Other open documents may use this one's Secrets: re-check them when those changed. Done
    // here rather than on each change because the index parses the text, which the analysis
    // has just done (and cached) slice by slice; and after publishing, which it need not delay.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (superseded()) return; // the newer run indexes the newer text
    if (workspaceSecrets.documentChanged(uri, text)) revalidateAll(uri);
  }

  function revalidateAll(except?: string): void {
    for (const document of documents.all()) {
      if (document.uri !== except) scheduleValidation(document.uri);
    }
  }

  /** A `.secret-guard.yaml` changed (on disk or in the editor): re-read it and re-check. */
  function projectConfigChanged(): void {
    state.projectConfigs.invalidate();
    revalidateAll();
  }

  documents.onDidOpen((event) => scheduleValidation(event.document.uri));
  documents.onDidChangeContent((event) => {
    if (isProjectConfigUri(event.document.uri)) projectConfigChanged();
    else scheduleValidation(event.document.uri);
  });
  documents.onDidClose((event) => {
    void workspaceSecrets.documentClosed(event.document.uri);
    pendingValidations.delete(event.document.uri);
    // A run still going for the closed document must not publish after the empty list.
    latestRun.set(event.document.uri, (latestRun.get(event.document.uri) ?? 0) + 1);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    // Closing drops unsaved edits: the file on disk applies again.
    if (isProjectConfigUri(event.document.uri)) projectConfigChanged();
  });

  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isManifestDocument(document)) return null;
    return provideHover(
      document,
      params,
      { ...state.settings, reveal: reveal() },
      {
        secrets: state.secrets,
        path: pathOfUri(document.uri),
        readText: (path) => manifestText(documents, path),
      },
    );
  });

  connection.onDefinition((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isManifestDocument(document)) return [];
    return provideDefinition(document, params, state.secrets);
  });

  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isManifestDocument(document)) return [];
    const analysis = state.analyze(document);
    return [
      ...provideCodeActions(document, params, analysis, capabilities),
      ...provideSuppressions(document, params, analysis, capabilities),
      ...provideRefactors(document, params, analysis, capabilities, storeContext(document)),
    ];
  });

  connection.onCompletion((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isManifestDocument(document)) return [];
    return provideCompletion(document, params, () => workspaceSecrets.index.all());
  });

  connection.languages.inlayHint.on((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isManifestDocument(document)) return [];
    return provideInlayHints(document, params, reveal());
  });

  /** Hints depend on `reveal` and masking: ask the client to pull them again. */
  function refreshInlayHints(): void {
    if (capabilities.workspace?.inlayHint?.refreshSupport) {
      void connection.languages.inlayHint.refresh().catch(() => undefined);
    }
  }

  connection.onNotification(SET_MASKED_NOTIFICATION, (params: SetMaskedParams | undefined) => {
    masked = params?.masked === true;
    refreshInlayHints();
  });

  // Trust is granted once (VS Code reloads the window to revoke it): from now on the server
  // reads the workspace, so git status, sibling files and the Secret index come in.
  connection.onNotification(SET_TRUSTED_NOTIFICATION, (params: SetTrustedParams | undefined) => {
    if (params?.trusted !== true || isTrusted()) return;
    setTrusted(true);
    state.invalidateGit();
    state.projectConfigs.invalidate();
    void workspaceSecrets.crawl(workspaceRoots);
    revalidateAll();
  });

  /** What the external-store refactors need: the workspace's Secrets, for their keys. */
  function storeContext(document: TextDocument): ExternalStoreContext {
    const path = pathOfUri(document.uri);
    return { secrets: state.secrets, ...(path !== undefined ? { path } : {}) };
  }

  connection.onCodeActionResolve((action) =>
    resolveRefactor(action, documents, capabilities, storeContext),
  );

  connection.onExecuteCommand((params) => {
    if (params.command === NOTIFY_COMMAND) {
      const message = params.arguments?.[0];
      if (typeof message === 'string') {
        void connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Info,
          message,
        });
      }
      return null;
    }
    return decodedEditing.execute(params.command, params.arguments);
  });

  connection.onCodeLens((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!clientEditsDecoded || !document || !isManifestDocument(document)) return [];
    return decodedEditing.codeLenses(document);
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
