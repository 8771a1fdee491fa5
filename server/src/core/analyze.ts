/**
 * The core's entry point: a file's text in, findings out. Pure: what it needs to know about
 * the disk (git status) is passed in by the adapter.
 *
 * Each document is analysed on its own, in offsets relative to its text, and the result is
 * cached by the document's parse (itself cached by text) and the file context: an edit inside
 * one document of a large file re-analyses that document only.
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
import { suppressionsOf } from './suppressions';
import type { Finding, Fix } from './types';
import { entryOf, isMap } from './yaml-nodes';
import type { Document } from 'yaml';

export interface AnalysisInput {
  text: string;
  /** Absolute path on disk, when the text is a file's. */
  path?: string;
  git?: GitStatus;
  settings?: Settings;
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
  const contextKey = JSON.stringify([file.path, file.git, file.sopsEncrypted, settings]);
  const findings: Finding[] = [];
  const internalErrors: string[] = [];
  for (const document of documents) {
    let byContext = documentCache.get(document.document);
    if (!byContext) documentCache.set(document.document, (byContext = new Map()));
    let analysis = byContext.get(contextKey);
    if (!analysis) byContext.set(contextKey, (analysis = analyzeDocument(document, file)));
    findings.push(...analysis.findings.map((finding) => shiftFinding(finding, document.offset)));
    internalErrors.push(...analysis.internalErrors);
  }
  return { findings, internalErrors };
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
function shiftFinding(finding: Finding, shift: number): Finding {
  if (shift === 0) return finding;
  const shiftFix = (fix: Fix): Fix => ({
    ...fix,
    edits: fix.edits.map((edit) => ({ ...edit, start: edit.start + shift, end: edit.end + shift })),
  });
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
