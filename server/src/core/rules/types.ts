/** What a rule is: data (id, default severity, summary) plus a check over one document. */
import type { K8sObject } from '../model';
import type { ParsedDocument } from '../parse';
import type { GitStatus } from '../repo';
import type { SecretLookup } from '../secret-index';
import type { Settings } from '../settings';
import type { Fix, Severity } from '../types';

/** What a rule knows of the file beyond the document it checks. */
export interface FileContext {
  /** Absolute path on disk; undefined for an unsaved buffer. */
  path: string | undefined;
  /** Whether git would commit the file; undefined when unknown (no path, or not computed). */
  git: GitStatus | undefined;
  /** The file carries SOPS metadata: its values are encrypted, not plaintext. */
  sopsEncrypted: boolean;
  settings: Settings;
  /**
   * Whether a file of this name (no folder part) exists in the same folder as this one;
   * undefined when unknown (no path, or the adapter cannot tell).
   */
  siblingExists?: (name: string) => boolean;
  /**
   * The Secrets defined in the workspace, this file's current text included; always set by
   * `analyze` (from this file alone when the adapter passes no index).
   */
  secrets?: SecretLookup;
  /**
   * Every document of the file, in order (the checked one included); always set by
   * `analyze`. A fix may edit another document (a Secret it adds a key to) with edits that
   * carry that document's index as `TextEdit.document`; the analysis is then redone when that
   * document changes.
   */
  documents?: readonly ParsedDocument[];
}

/** A problem found by a rule; offsets are relative to the checked document's text. */
export interface RuleReport {
  start: number;
  end: number;
  message: string;
  fixes?: Fix[];
  /**
   * Instead of `fixes`: fixes built only when something reads the finding's `fixes` (a code
   * action request), for a rule whose fixes cost far more than finding the problem (rendering
   * a volume, say) and which edit this document only (no `TextEdit.document`). Most findings
   * are shown, few are fixed.
   */
  lazyFixes?: () => Fix[];
  /** A variant's severity (e.g. an expired certificate is a warning); settings override it. */
  severity?: Severity;
}

export interface RuleContext {
  document: ParsedDocument;
  objects: readonly K8sObject[];
  file: FileContext;
  report(report: RuleReport): void;
}

export interface Rule {
  /** Public contract: equals the file name and the docs page name. */
  id: string;
  severity: Severity;
  /** One line for docs, SARIF and the README table. */
  summary: string;
  check(context: RuleContext): void;
}
