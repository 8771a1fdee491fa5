/**
 * What the server knows beyond one document: settings, the `.secret-guard.yaml` files and git
 * status. Analyses are cached by the core per document text; this adds the adapter's inputs.
 */
import { analyze, analyzeInSteps } from '../core/analyze';
import type { AnalysisInput, AnalysisResult } from '../core/analyze';
import { GitInspector } from '../core/repo';
import type { GitStatus } from '../core/repo';
import type { SecretLookup } from '../core/secret-index';
import { DEFAULT_SETTINGS } from '../core/settings';
import type { Settings } from '../core/settings';
import { nodeFileReader } from '../node-file-reader';
import { ProjectConfigFinder } from '../project-config-finder';
import { siblingExistsBeside } from '../node-workspace';
import { isTrusted } from './trust';
import { pathOfUri } from './uri';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export class WorkspaceState {
  settings: Settings = DEFAULT_SETTINGS;
  /** The workspace's Secrets (workspace-secrets.ts), for cross-file rules. */
  secrets: SecretLookup | undefined;
  private readonly git = new GitInspector(nodeFileReader);

  /** Forgets cached ignore rules and indexes: a .gitignore or the index changed. */
  invalidateGit(): void {
    this.git.invalidate();
  }

  gitStatusOf(uri: string): GitStatus | undefined {
    const path = pathOfUri(uri);
    return path === undefined || !isTrusted() ? undefined : this.git.statusOf(path);
  }

  analyze(document: TextDocument): AnalysisResult {
    if (this.isIgnored(document.uri)) return { findings: [], internalErrors: [] };
    return analyze(this.analysisInput(document));
  }

  /**
   * {@link analyze} in steps (see `analyzeInSteps`), for the diagnostics of open documents:
   * the caller yields to the event loop between steps. Undefined for an ignored file.
   */
  analyzeInSteps(document: TextDocument): Generator<void, AnalysisResult, void> | undefined {
    if (this.isIgnored(document.uri)) return undefined;
    return analyzeInSteps(this.analysisInput(document));
  }

  /**
   * The `.secret-guard.yaml` files that apply to documents (the team's rule levels and ignored
   * files, as the CLI reads them).
   */
  readonly projectConfigs: ProjectConfigFinder;

  /**
   * @param openText the text of a file open in the editor, if it is: a `.secret-guard.yaml`
   *   being edited applies as typed, before it is saved.
   */
  constructor(openText: (path: string) => string | undefined = () => undefined) {
    this.projectConfigs = new ProjectConfigFinder(openText);
  }

  /** Whether the `ignore` list of the `.secret-guard.yaml` that applies excludes the file. */
  isIgnored(uri: string): boolean {
    const path = pathOfUri(uri);
    // An untrusted workspace's `.secret-guard.yaml` is not read (see trust.ts).
    return path !== undefined && isTrusted() && this.projectConfigs.isIgnored(path);
  }

  /**
   * The settings for one file: rule levels from its `.secret-guard.yaml` (a team configures
   * once, for the CLI and the editor), overridden by the user's `secretGuard.rules`. A
   * configuration file with mistakes is not applied; its errors are shown on it instead.
   */
  settingsFor(uri: string): Settings {
    const path = pathOfUri(uri);
    const found =
      path === undefined || !isTrusted() ? undefined : this.projectConfigs.configFor(path);
    if (!found?.ok || Object.keys(found.config.rules).length === 0) return this.settings;
    return { ...this.settings, rules: { ...found.config.rules, ...this.settings.rules } };
  }

  private analysisInput(document: TextDocument): AnalysisInput {
    const path = pathOfUri(document.uri);
    return {
      text: document.getText(),
      // Restricted Mode (trust.ts): the path names the file, but nothing is read beside it.
      ...(path !== undefined && !isTrusted() ? { path } : {}),
      ...(path !== undefined && isTrusted()
        ? { path, git: this.git.statusOf(path), siblingExists: siblingExistsBeside(path) }
        : {}),
      settings: this.settingsFor(document.uri),
      secrets: this.secrets,
    };
  }
}

/** True for documents we analyse: YAML and JSON, by language id or file extension. */
export function isManifestDocument(document: TextDocument): boolean {
  if (['yaml', 'json', 'jsonc', 'helm', 'yaml.helm'].includes(document.languageId)) return true;
  return /\.(?:ya?ml|json)$/i.test(document.uri);
}
