/** Severity of a finding, as in LSP and the CLI. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A rule's configured level: a severity, or `off`. */
export type SeverityLevel = Severity | 'off';

/** A replacement of `[start, end)` (offsets into the analysed file's text) by `newText`. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
  /**
   * Set by a rule for an edit in another document of the same file: the offsets are then
   * relative to the text of the document with this 0-based index (see `FileContext.documents`).
   * `analyze` resolves it to file offsets; a Finding never carries it.
   */
  document?: number;
}

/**
 * An edit to another file than the analysed one, such as a `.gitignore` line.
 * `appendLine` is added at the end of the file (a newline is inserted first when the file
 * does not end with one); the file is created when missing.
 */
export interface OtherFileEdit {
  path: string;
  appendLine: string;
}

/** A quick fix: a titled set of edits that a user applies at once. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  otherFileEdits?: OtherFileEdit[];
  isPreferred?: boolean;
}

/** What a rule reports: plain data that the LSP and CLI adapters convert. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  /** Never contains a secret value (raw, base64 or decoded). */
  message: string;
  /** Offsets into the analysed file's text; `end` is exclusive. */
  start: number;
  end: number;
  fixes?: Fix[];
}
