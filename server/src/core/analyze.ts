/**
 * The core's entry point: a file's text in, findings out. Pure: what it needs to know about
 * the disk (git status) is passed in by the adapter.
 *
 * Each document is analysed on its own, in offsets relative to its text, and the result is
 * cached by the document's parse (itself cached by text) and the file context: an edit inside
 * one document of a large file re-analyses that document only (and the documents whose fixes
 * edit it, see `TextEdit.document`).
 */
import { ANALYSIS_LIMITS, documentCountLimitOf, fileLimitOf, findingsLimitOf } from './limits';
import type { LimitExceeded } from './limits';
import { lineAt, lineStartsOf } from './lines';
import { objectsOf } from './model';
import { placeDocument, previousIndexOf, rememberFile, splitFile } from './incremental-split';
import { parseFileSegment } from './parse';
import type { DocumentSegment, ParsedDocument } from './parse';
import type { GitStatus } from './repo';
import { RULES, isKnownRuleId, ruleById } from './rules';
import type { FileContext, RuleReport } from './rules/types';
import { DEFAULT_SETTINGS } from './settings';
import type { Settings } from './settings';
import { prepareSecretFacts, secretLookupForFile } from './secret-index';
import type { IndexedSecret, SecretLookup } from './secret-index';
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
  /** The Secret lookups the rules made: the analysis is stale when an answer changes. */
  secretAnswers?: SecretAnswer[];
  /** The Secrets (`secretLookupForFile`'s key) with which the answers were last checked. */
  secretsKey?: string;
  /**
   * Set when a rule read the file's other documents: the analysis is stale when the file's
   * Secrets or the index change (`secretLookupForFile`'s cache key).
   */
  fileSecretsKey?: string;
  /**
   * Other documents of the file that fixes edit (`TextEdit.document`), by index: the analysis
   * is stale when the document at that index is no longer the same parse.
   */
  editedDocuments?: Map<number, Document.Parsed>;
}

declare module './parse' {
  interface ParseMemo {
    /** Per file context: what analysing the document found. */
    analyses?: Map<number, DocumentAnalysis>;
    /** Whether the document is a SOPS file's (it has `sops.mac`). */
    sops?: boolean;
  }
}

/**
 * File contexts by number: the per-document caches are keyed by a context's number, so that a
 * re-analysis of a file of thousands of documents compares the long context key once, not
 * once per document. Contexts are few (files × settings × days); the map is cleared when it
 * grows past CONTEXT_IDS_LIMIT, which only costs re-analyses.
 */
const contextIds = new Map<string, number>();
const CONTEXT_IDS_LIMIT = 100_000;
let nextContextId = 0;

function contextIdOf(key: string): number {
  let id = contextIds.get(key);
  if (id === undefined) {
    if (contextIds.size >= CONTEXT_IDS_LIMIT) contextIds.clear();
    contextIds.set(key, (id = nextContextId++));
  }
  return id;
}

/** Analyses one file's text with every enabled rule. */
export function analyze(input: AnalysisInput): AnalysisResult {
  const steps = analyzeInSteps(input);
  try {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  } catch (error) {
    // Rules are guarded one by one; this catches the rest (parsing, suppressions, the index)
    // so that no input can crash an adapter. The class only: a message may quote the input.
    return { findings: [], internalErrors: [`analysis: ${errorClass(error)}`] };
  }
}

/** An error's class name, never its message (it may quote the input). */
export function errorClass(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}

/**
 * {@link analyze} in small steps: the generator pauses after parsing each document and after
 * analysing each one (documents reused from a cache pause every 256), so that a caller with an event loop (the language server) can yield
 * between steps and drop an analysis whose text is already stale. The result is the same as
 * {@link analyze}'s.
 */
export function* analyzeInSteps(input: AnalysisInput): Generator<void, AnalysisResult, void> {
  const settings = input.settings ?? DEFAULT_SETTINGS;
  const documents: ParsedDocument[] = [];
  const tooLarge = fileLimitOf(input.text);
  if (tooLarge) return limitResult(settings, tooLarge);
  // An edit re-splits and re-parses only the documents it touched (incremental-split.ts).
  const split = splitFile(input.text, input.path);
  const { segments, reused, previous } = split;
  const tooMany = documentCountLimitOf(input.text, segments.length);
  if (tooMany) return limitResult(settings, tooMany);
  yield; // the checks and the split above read the whole text
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] as DocumentSegment;
    const parsed = reused[index] ?? parseFileSegment(segment.text);
    const document = placeDocument(parsed, segment.offset, index);
    documents.push(document);
    if (!reused[index]) {
      // What the file-wide steps below read of a new document, read in its parse's slice.
      hasSopsMetadata(document);
      prepareSecretFacts(document);
    }
    // A document kept from the previous split costs nothing: pause after real work only.
    if (!reused[index] || index % 256 === 255) yield;
  }
  rememberFile(input.path, input.text, segments, documents);
  const file: FileContext = {
    path: input.path,
    git: input.git,
    sopsEncrypted: documents.some(hasSopsMetadata),
    settings,
  };
  // The file's own Secrets are read from its current text; the key covers them and the index.
  const secrets = secretLookupForFile(input.secrets, input.path, input.text, documents, split);
  file.secrets = secrets.lookup;
  file.documents = documents;
  const contextId = contextIdOf(
    JSON.stringify([
      file.path,
      file.git,
      file.sopsEncrypted,
      settings,
      // Not the Secrets themselves: each analysis records the lookups it made (see
      // analyzeRecording), so that a change to a Secret re-analyses only the documents that
      // asked for it, not every document of every file.
      input.secrets !== undefined,
      input.siblingExists !== undefined,
      // Certificate expiry findings depend on the date: a cached analysis lasts one UTC day.
      new Date().toISOString().slice(0, 10),
    ]),
  );
  const findings: Finding[] = [];
  const internalErrors: string[] = [];
  const last = previous && fileAnalyses.get(previous);
  const reusable = last?.contextId === contextId ? last : undefined;
  const next: FileAnalysis = {
    contextId,
    analyses: [],
    secretsKey: secrets.cacheKey,
    dependency: new Uint8Array(documents.length),
    findings,
    findingEnds: new Uint32Array(documents.length),
  };
  for (const document of documents) {
    const index = document.index;
    // A document kept in place or shifted whole by the edit, whose analysis depends on its
    // text and the file's context only (or also on Secrets, unchanged since), is what it was:
    // its findings are read from the last result, without touching its parse or its analysis
    // (thousands per keystroke).
    const before = reusable ? previousIndexOf(split, index) : -1;
    const dependency = before >= 0 ? reusable?.dependency[before] : undefined;
    if (
      reusable &&
      (dependency === SELF_CONTAINED ||
        (dependency === ON_SECRETS && reusable.secretsKey === secrets.cacheKey))
    ) {
      const analysis = reusable.analyses[before] as DocumentAnalysis;
      const from = before === 0 ? 0 : (reusable.findingEnds[before - 1] ?? 0);
      const to = reusable.findingEnds[before] ?? 0;
      if (document === previous?.[before]) {
        for (let at = from; at < to; at++) findings.push(reusable.findings[at] as Finding);
      } else if (to > from) {
        for (const finding of placedFindings(analysis, document, documents)) findings.push(finding);
      }
      next.analyses.push(analysis);
      next.dependency[index] = dependency;
      next.findingEnds[index] = findings.length;
      if (index % 256 === 255) yield;
      continue;
    }
    const memo = document.memo;
    let analysis = memo.analyses?.get(contextId);
    const cached = analysis;
    if (
      !analysis ||
      !sameSiblingAnswers(analysis, input.siblingExists) ||
      !sameSecretAnswers(analysis, file.secrets, secrets.cacheKey) ||
      (analysis.fileSecretsKey !== undefined && analysis.fileSecretsKey !== secrets.cacheKey) ||
      !sameEditedDocuments(analysis, documents)
    ) {
      analysis = analyzeRecording(document, file, input, secrets.cacheKey);
      recordEditedDocuments(analysis, document, documents);
      (memo.analyses ??= new Map()).set(contextId, analysis);
    }
    for (const finding of placedFindings(analysis, document, documents)) findings.push(finding);
    if (analysis.internalErrors.length > 0) internalErrors.push(...analysis.internalErrors);
    next.analyses.push(analysis);
    next.dependency[index] = dependencyOf(analysis);
    next.findingEnds[index] = findings.length;
    if (analysis !== cached || document.index % 256 === 255) yield;
  }
  fileAnalyses.set(documents, next);
  // A copy: the caller may sort or change the array the next analysis reads from.
  return { findings: capFindings(findings.slice(), settings, input.text), internalErrors };
}

/**
 * A file's last analysis, by position: what a keystroke's re-analysis reuses of the documents
 * that the edit left whole. Kept with the file's documents (the split remembers them), so it
 * lives as long as they do.
 */
interface FileAnalysis {
  contextId: number;
  /** Per document. */
  analyses: DocumentAnalysis[];
  /** The Secrets the analyses were checked against (`secretLookupForFile`'s key). */
  secretsKey: string;
  /** Per document: what beyond its text and the context its analysis depends on. */
  dependency: Uint8Array;
  /** Every document's findings in file order, before the cap. */
  findings: readonly Finding[];
  /** Per document: the end of its findings in `findings`. */
  findingEnds: Uint32Array;
}

const fileAnalyses = new WeakMap<readonly ParsedDocument[], FileAnalysis>();

/** An analysis that depends on its document's text and the file's context only. */
const SELF_CONTAINED = 0;
/** One that also read the file's or the workspace's Secrets: valid while they are the same. */
const ON_SECRETS = 1;
/** One that read sibling files or another document, or whose rule failed: checked each time. */
const ON_MORE = 2;

function dependencyOf(analysis: DocumentAnalysis): number {
  if (analysis.siblingAnswers || analysis.editedDocuments || analysis.internalErrors.length > 0) {
    return ON_MORE;
  }
  return analysis.secretAnswers || analysis.fileSecretsKey !== undefined
    ? ON_SECRETS
    : SELF_CONTAINED;
}

/**
 * Sibling files and Secrets are asked about by name as rules need them, so the answers cannot
 * be part of the cache key: they are recorded with the analysis and checked again on a cache
 * hit.
 */
function analyzeRecording(
  document: ParsedDocument,
  file: FileContext,
  input: AnalysisInput,
  fileSecretsKey: string,
): DocumentAnalysis {
  const recording: FileContext = { ...file };
  const siblingExists = input.siblingExists;
  const siblingAnswers = new Map<string, boolean>();
  if (siblingExists) {
    recording.siblingExists = (name: string): boolean => {
      const answer = siblingExists(name);
      siblingAnswers.set(name, answer);
      return answer;
    };
  }
  const secrets = file.secrets;
  const secretAnswers: SecretAnswer[] = [];
  if (secrets) {
    recording.secrets = {
      version: secrets.version,
      lookup(name, namespace) {
        const found = secrets.lookup(name, namespace);
        secretAnswers.push({ name, namespace, signature: answerSignature(found) });
        return found;
      },
    };
  }
  // A rule that reads the file's other documents (to extend a Secret defined beside the
  // workload, say) depends on the file's Secrets as a whole, as every analysis used to.
  let readOtherDocuments = false;
  Object.defineProperty(recording, 'documents', {
    enumerable: true,
    get: () => {
      readOtherDocuments = true;
      return file.documents;
    },
  });
  const analysis = analyzeDocument(document, recording);
  if (readOtherDocuments) analysis.fileSecretsKey = fileSecretsKey;
  if (siblingAnswers.size > 0) analysis.siblingAnswers = siblingAnswers;
  if (secretAnswers.length > 0) {
    analysis.secretAnswers = secretAnswers;
    analysis.secretsKey = fileSecretsKey;
  }
  return analysis;
}

/** A Secret lookup a rule made, and what about its answer can change a finding. */
interface SecretAnswer {
  name: string;
  namespace: string | undefined;
  signature: string;
}

function answerSignature(found: readonly IndexedSecret[]): string {
  return JSON.stringify(
    found.map((secret) => [
      secret.path ?? null,
      secret.name,
      secret.namespace ?? null,
      secret.openKeys,
      secret.keys.map((key) => [key.key, key.field]),
    ]),
  );
}

function sameSecretAnswers(
  analysis: DocumentAnalysis,
  secrets: SecretLookup | undefined,
  secretsKey: string,
): boolean {
  if (!analysis.secretAnswers) return true;
  // Unchanged Secrets (index and file) give unchanged answers: no need to ask again.
  if (analysis.secretsKey === secretsKey) return true;
  const same = analysis.secretAnswers.every(
    (answer) =>
      secrets !== undefined &&
      answerSignature(secrets.lookup(answer.name, answer.namespace)) === answer.signature,
  );
  if (same) analysis.secretsKey = secretsKey;
  return same;
}

/** Notes which other documents the fixes of an analysis edit (see `TextEdit.document`). */
function recordEditedDocuments(
  analysis: DocumentAnalysis,
  document: ParsedDocument,
  documents: readonly ParsedDocument[],
): void {
  for (const finding of analysis.findings) {
    if (hasLazyFixes(finding)) continue; // they edit their own document only
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
  if (document.limit && !disabledInDocument.has(ANALYSIS_LIMIT)) {
    pushFinding(findings, settings, ANALYSIS_LIMIT, document.limit);
  }
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

const ANALYSIS_LIMIT = 'analysis-limit';

/**
 * At most {@link ANALYSIS_LIMITS}.maxFindings findings, in file order, then one
 * `analysis-limit` finding that says how many were left out: an editor handed 200,000
 * diagnostics (a suppression comment naming 200,000 unknown ids) stops responding.
 */
function capFindings(findings: Finding[], settings: Settings, text: string): Finding[] {
  const limit = findingsLimitOf(text, findings.length);
  if (!limit) return findings;
  const kept = findings.slice(0, ANALYSIS_LIMITS.maxFindings);
  pushFinding(kept, settings, ANALYSIS_LIMIT, limit);
  return kept;
}

/** The result for a file past a limit of limits.ts: one `analysis-limit` finding, no parse. */
function limitResult(settings: Settings, limit: LimitExceeded): AnalysisResult {
  const findings: Finding[] = [];
  pushFinding(findings, settings, ANALYSIS_LIMIT, limit);
  return { findings, internalErrors: [] };
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
  else if (report.lazyFixes) defineLazyFixes(finding, report.lazyFixes);
  findings.push(finding);
}

/**
 * Gives a finding a `fixes` property that runs `build` when first read and keeps its result
 * (undefined when it builds none, as for a finding without fixes).
 */
function defineLazyFixes(finding: Finding, build: () => Fix[]): void {
  const settle = (fixes: Fix[] | undefined): Fix[] | undefined => {
    Object.defineProperty(finding, 'fixes', {
      value: fixes,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return fixes;
  };
  Object.defineProperty(finding, 'fixes', {
    enumerable: true,
    configurable: true,
    get: () => {
      const fixes = build();
      return settle(fixes.length > 0 ? fixes : undefined);
    },
    set: settle,
  });
}

/** Whether a finding's fixes are still to be built (see {@link defineLazyFixes}). */
function hasLazyFixes(finding: Finding): boolean {
  return Object.getOwnPropertyDescriptor(finding, 'fixes')?.get !== undefined;
}

/** An analysis's findings in file offsets. */
function placedFindings(
  analysis: DocumentAnalysis,
  document: ParsedDocument,
  documents: readonly ParsedDocument[],
): Finding[] {
  return analysis.findings.map((finding) => shiftFinding(finding, document.offset, documents));
}

/** Moves a finding's offsets from its document's text to the file's text. */
function shiftFinding(
  finding: Finding,
  shift: number,
  documents: readonly ParsedDocument[],
): Finding {
  if (hasLazyFixes(finding)) {
    // Lazy fixes edit their own document only: shift them when (if ever) they are built.
    if (shift === 0) return finding;
    const shifted: Finding = {
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      start: finding.start + shift,
      end: finding.end + shift,
    };
    defineLazyFixes(shifted, () =>
      (finding.fixes ?? []).map((fix) => ({
        ...fix,
        edits: fix.edits.map((edit) => ({
          start: edit.start + shift,
          end: edit.end + shift,
          newText: edit.newText,
        })),
      })),
    );
    return shifted;
  }
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
  return (document.memo.sops ??= readSopsMetadata(document));
}

function readSopsMetadata(document: ParsedDocument): boolean {
  const sops = entryOf(document.document.contents, 'sops')?.value;
  return isMap(sops) && entryOf(sops, 'mac') !== undefined;
}
