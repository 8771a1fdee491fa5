/**
 * The core's entry point: a file's text in, findings out. Pure: what it needs to know about
 * the disk (git status) is passed in by the adapter.
 *
 * Each document is analysed on its own, in offsets relative to its text, and the result is
 * cached by the document's parse (itself cached by text) and the file context: an edit inside
 * one document of a large file re-analyses that document only (and the documents whose fixes
 * edit it, see `TextEdit.document`).
 */
import { lineAt, lineStartsOf } from './lines';
import { objectsOf } from './model';
import { parseFile } from './parse';
import type { ParsedDocument } from './parse';
import type { GitStatus } from './repo';
import { RULES, isKnownRuleId, ruleById } from './rules';
import type { FileContext, RuleReport } from './rules/types';
import { DEFAULT_SETTINGS } from './settings';
import type { Settings } from './settings';
import { secretLookupForFile } from './secret-index';
import type { SecretLookup } from './secret-index';
import { suppressionsOf } from './suppressions';
import type { Finding, Fix, TextEdit } from './types';
import { entryOf, isMap } from './yaml-nodes';
import type { Document } from 'yaml';

export interface AnalysisInput {
  text: string;
  /** Absolute path on disk, when the text is a file's. */
  path?: string;
  git?: GitStatus;
  settings?: Settings;
  /** Whether a file of this name exists beside this one (see {@link FileContext}). */
  siblingExists?: (name: string) => boolean;
  /**
   * The workspace's Secrets, for cross-file rules. Its `version` is part of the cache key, so
   * a re-analysis after the index changed (or a sibling file appeared) is not served stale.
   */
  secrets?: SecretLookup;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Rules that threw: their ids and the error's class, never its message (it may quote input). */
  internalErrors: string[];
}

interface DocumentAnalysis {
  /** Offsets relative to the document's text. */
  findings: Finding[];
  internalErrors: string[];
  /** The `siblingExists` answers the rules used: the analysis is stale when one changes. */
  siblingAnswers?: Map<string, boolean>;
  /**
   * Other documents of the file that fixes edit (`TextEdit.document`), by index: the analysis
   * is stale when the document at that index is no longer the same parse.
   */
  editedDocuments?: Map<number, Document.Parsed>;
}

/** Per parsed document, per file context: what analysing it found. */
const documentCache = new WeakMap<Document.Parsed, Map<string, DocumentAnalysis>>();

/** Analyses one file's text with every enabled rule. */
export function analyze(input: AnalysisInput): AnalysisResult {
  const settings = input.settings ?? DEFAULT_SETTINGS;
  const documents = parseFile(input.text);
  const file: FileContext = {
    path: input.path,
    git: input.git,
    sopsEncrypted: documents.some(hasSopsMetadata),
    settings,
  };
  // The file's own Secrets are read from its current text; the key covers them and the index.
  const secrets = secretLookupForFile(input.secrets, input.path, input.text, documents);
  file.secrets = secrets.lookup;
  file.documents = documents;
  const contextKey = JSON.stringify([
    file.path,
    file.git,
    file.sopsEncrypted,
    settings,
    secrets.cacheKey,
    input.siblingExists !== undefined,
    // Certificate expiry findings depend on the date: a cached analysis lasts one UTC day.
    new Date().toISOString().slice(0, 10),
  ]);
  const findings: Finding[] = [];
  const internalErrors: string[] = [];
  for (const document of documents) {
    let byContext = documentCache.get(document.document);
    if (!byContext) documentCache.set(document.document, (byContext = new Map()));
    let analysis = byContext.get(contextKey);
    if (
      !analysis ||
      !sameSiblingAnswers(analysis, input.siblingExists) ||
      !sameEditedDocuments(analysis, documents)
    ) {
      analysis = analyzeWithSiblings(document, file, input);
      recordEditedDocuments(analysis, document, documents);
      byContext.set(contextKey, analysis);
    }
    findings.push(
      ...analysis.findings.map((finding) => shiftFinding(finding, document.offset, documents)),
    );
    internalErrors.push(...analysis.internalErrors);
  }
  return { findings, internalErrors };
}

/**
 * Sibling files are asked about by name as rules need them, so the answers cannot be part of
 * the cache key: they are recorded with the analysis and checked again on a cache hit.
 */
function analyzeWithSiblings(
  document: ParsedDocument,
  file: FileContext,
  input: AnalysisInput,
): DocumentAnalysis {
  const siblingExists = input.siblingExists;
  if (!siblingExists) return analyzeDocument(document, file);
  const siblingAnswers = new Map<string, boolean>();
  const recording = (name: string): boolean => {
    const answer = siblingExists(name);
    siblingAnswers.set(name, answer);
    return answer;
  };
  const analysis = analyzeDocument(document, { ...file, siblingExists: recording });
  if (siblingAnswers.size > 0) analysis.siblingAnswers = siblingAnswers;
  return analysis;
}

/** Notes which other documents the fixes of an analysis edit (see `TextEdit.document`). */
function recordEditedDocuments(
  analysis: DocumentAnalysis,
  document: ParsedDocument,
  documents: readonly ParsedDocument[],
): void {
  for (const finding of analysis.findings) {
    for (const fix of finding.fixes ?? []) {
      for (const edit of fix.edits) {
        if (edit.document === undefined || edit.document === document.index) continue;
        const edited = documents[edit.document];
        if (!edited) continue;
        analysis.editedDocuments ??= new Map();
        analysis.editedDocuments.set(edit.document, edited.document);
      }
    }
  }
}

function sameEditedDocuments(
  analysis: DocumentAnalysis,
  documents: readonly ParsedDocument[],
): boolean {
  if (!analysis.editedDocuments) return true;
  for (const [index, parsed] of analysis.editedDocuments) {
    if (documents[index]?.document !== parsed) return false;
  }
  return true;
}

function sameSiblingAnswers(
  analysis: DocumentAnalysis,
  siblingExists: ((name: string) => boolean) | undefined,
): boolean {
  if (!analysis.siblingAnswers) return true;
  for (const [name, answer] of analysis.siblingAnswers) {
    if ((siblingExists?.(name) ?? false) !== answer) return false;
  }
  return true;
}

function analyzeDocument(document: ParsedDocument, file: FileContext): DocumentAnalysis {
  const settings = file.settings;
  let lineStarts: number[] | undefined;
  const lineOf = (offset: number): number =>
    lineAt((lineStarts ??= lineStartsOf(document.text)), offset);
  const findings: Finding[] = [];
  const internalErrors: string[] = [];
  const suppressions = suppressionsOf(document, lineOf);
  const unknownIds = [
    ...suppressions.documentWide,
    ...[...suppressions.byLine.values()].flat(),
  ].filter((suppressed) => !isKnownRuleId(suppressed.id));
  for (const unknown of unknownIds) {
    pushFinding(findings, settings, 'unknown-rule', {
      start: unknown.start,
      end: unknown.end,
      message: `Unknown rule id in a secret-guard suppression comment: ${unknown.id}`,
    });
  }
  const objects = document.ok ? objectsOf(document) : [];
  const disabledInDocument = new Set(suppressions.documentWide.map((s) => s.id));
  for (const rule of objects.length > 0 ? RULES : []) {
    if (settings.rules[rule.id] === 'off' || disabledInDocument.has(rule.id)) continue;
    const reports: RuleReport[] = [];
    try {
      rule.check({ document, objects, file, report: (report) => reports.push(report) });
    } catch (error) {
      internalErrors.push(`${rule.id}: ${error instanceof Error ? error.name : 'error'}`);
      continue;
    }
    for (const report of reports) {
      const suppressedOnLine = suppressions.byLine.get(lineOf(report.start));
      if (suppressedOnLine?.some((s) => s.id === rule.id)) continue;
      pushFinding(findings, settings, rule.id, report);
    }
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { findings, internalErrors };
}

function pushFinding(
  findings: Finding[],
  settings: Settings,
  ruleId: string,
  report: RuleReport,
): void {
  const configured = settings.rules[ruleId];
  if (configured === 'off') return;
  const finding: Finding = {
    ruleId,
    severity: configured ?? report.severity ?? ruleById(ruleId)?.severity ?? 'warning',
    message: report.message,
    start: report.start,
    end: report.end,
  };
  if (report.fixes && report.fixes.length > 0) finding.fixes = report.fixes;
  findings.push(finding);
}

/** Moves a finding's offsets from its document's text to the file's text. */
function shiftFinding(
  finding: Finding,
  shift: number,
  documents: readonly ParsedDocument[],
): Finding {
  const anchored = finding.fixes?.some((fix) => fix.edits.some((e) => e.document !== undefined));
  if (shift === 0 && !anchored) return finding;
  const shiftEdit = (edit: TextEdit): TextEdit => {
    // An edit in another document is relative to that document's text.
    const base = edit.document === undefined ? shift : (documents[edit.document]?.offset ?? shift);
    return { start: edit.start + base, end: edit.end + base, newText: edit.newText };
  };
  const shiftFix = (fix: Fix): Fix => ({ ...fix, edits: fix.edits.map(shiftEdit) });
  return {
    ...finding,
    start: finding.start + shift,
    end: finding.end + shift,
    ...(finding.fixes ? { fixes: finding.fixes.map(shiftFix) } : {}),
  };
}

/** SOPS writes a top-level `sops` mapping with a `mac` into every file it encrypts. */
function hasSopsMetadata(document: ParsedDocument): boolean {
  const sops = entryOf(document.document.contents, 'sops')?.value;
  return isMap(sops) && entryOf(sops, 'mac') !== undefined;
}
