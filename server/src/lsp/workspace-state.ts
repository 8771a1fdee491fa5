/**
 * What the server knows beyond one document: settings and git status. Analyses are cached by
 * the core per document text; this adds the adapter's inputs.
 */
import { analyze } from '../core/analyze';
import type { AnalysisResult } from '../core/analyze';
import { GitInspector } from '../core/repo';
import type { GitStatus } from '../core/repo';
import type { SecretLookup } from '../core/secret-index';
import { DEFAULT_SETTINGS } from '../core/settings';
import type { Settings } from '../core/settings';
import { nodeFileReader } from '../node-file-reader';
import { siblingExistsBeside } from '../node-workspace';
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
    return path === undefined ? undefined : this.git.statusOf(path);
  }

  analyze(document: TextDocument): AnalysisResult {
    const path = pathOfUri(document.uri);
    return analyze({
      text: document.getText(),
      ...(path !== undefined
        ? { path, git: this.git.statusOf(path), siblingExists: siblingExistsBeside(path) }
        : {}),
      settings: this.settings,
      secrets: this.secrets,
    });
  }
}

/** True for documents we analyse: YAML and JSON, by language id or file extension. */
export function isManifestDocument(document: TextDocument): boolean {
  if (['yaml', 'json', 'jsonc', 'helm', 'yaml.helm'].includes(document.languageId)) return true;
  return /\.(?:ya?ml|json)$/i.test(document.uri);
}
