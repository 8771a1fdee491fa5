/**
 * YAML as Kubernetes reads it (YAML 1.1 resolution through go-yaml v2), split and parsed one
 * document at a time so that a syntax error stays inside its document and an unchanged
 * document is never parsed twice.
 */
import { parseDocument } from 'yaml';
import type { Alias, Node } from 'yaml';
import {
  ANALYSIS_LIMITS,
  documentCountLimitOf,
  fileLimitOf,
  inspectDocument,
  parseYamlDocument,
  parserLimitOf,
} from './limits';
import type { LimitExceeded } from './limits';
import type { Document } from 'yaml';
import { PARSE_OPTIONS } from './parse-options';
import { fastParse } from './fast-yaml';
import { placeDocument, rememberFile, rememberedDocuments, splitFile } from './incremental-split';

/** One YAML document's text and where it starts in its file. */
export interface DocumentSegment {
  text: string;
  offset: number;
}

/** A parsed document; node ranges are relative to `text`. */
export interface ParsedSegment {
  text: string;
  document: Document.Parsed;
  /** False when the YAML has errors: rules then skip the document rather than guess. */
  ok: boolean;
  /** Set (with `ok` false) when the document passes a limit of limits.ts: not analysed. */
  limit?: LimitExceeded;
  /** Nodes of the parse, the weight of its entry in the parse cache. */
  nodes?: number;
  /**
   * What other modules worked out from this parse, kept with it: its placed copies share it,
   * so that a keystroke in a file of thousands of documents reads a property of each
   * unchanged document instead of looking it up in a cache. Each module adds its own fields
   * (declaration merging on {@link ParseMemo}).
   */
  memo: ParseMemo;
}

/** See {@link ParsedSegment.memo}; extended by the modules that fill it. */
export interface ParseMemo {
  /** Set by {@link parseFileSegment} once it found the text worth parsing (not skipped). */
  readable?: boolean;
}

/** A parsed document placed in its file. */
export interface ParsedDocument extends ParsedSegment {
  /** Offset of `text` in the file: add it to node ranges to get file offsets. */
  offset: number;
  /** 0-based position of the document in its file. */
  index: number;
}

const HEADER_LINE = /^(?:[ \t]*(?:#.*)?|%.*)\r?$/;

/**
 * Splits a file at its document markers. A `---` line opens a new segment unless everything
 * before it in the current one is blank lines, comments or directives (they belong to the
 * document it opens); a `...` line closes the current segment.
 *
 * This runs on every keystroke over the whole file, so it never copies a line: past a
 * segment's header it jumps from marker to marker with one regular-expression search.
 */
export function splitDocuments(text: string): DocumentSegment[] {
  const segments: DocumentSegment[] = [];
  let segmentStart = 0;
  let onlyHeaderSoFar = true;
  let lineStart = 0;
  while (lineStart < text.length) {
    if (!onlyHeaderSoFar) {
      const marker = nextMarkerLine(text, lineStart);
      if (marker === -1) break;
      lineStart = marker;
    }
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const contentEnd = newline === -1 ? text.length : newline;
    if (isMarkerLine(text, lineStart, contentEnd, '---')) {
      if (!onlyHeaderSoFar) {
        segments.push({ text: text.slice(segmentStart, lineStart), offset: segmentStart });
        segmentStart = lineStart;
      }
      onlyHeaderSoFar = false;
    } else if (isMarkerLine(text, lineStart, contentEnd, '...')) {
      segments.push({ text: text.slice(segmentStart, lineEnd), offset: segmentStart });
      segmentStart = lineEnd;
      onlyHeaderSoFar = true;
    } else if (onlyHeaderSoFar && !HEADER_LINE.test(text.slice(lineStart, contentEnd))) {
      onlyHeaderSoFar = false;
    }
    lineStart = lineEnd;
  }
  if (segmentStart < text.length || segments.length === 0) {
    segments.push({ text: text.slice(segmentStart), offset: segmentStart });
  }
  return segments;
}

/** `---` or `...` at a line start, followed by a space, a tab or the line's end. */
const MARKER_LINE = /^(?:---|\.\.\.)(?=[ \t]|\r?$)/gm;

/** The start of the next line at or after `from` (a line start) that is a marker line, or -1. */
function nextMarkerLine(text: string, from: number): number {
  MARKER_LINE.lastIndex = from;
  for (let match = MARKER_LINE.exec(text); match; match = MARKER_LINE.exec(text)) {
    // `^` in multiline mode also matches after a lone \r or U+2028; only \n ends a line here.
    if (match.index === 0 || text.charCodeAt(match.index - 1) === 0x0a) return match.index;
  }
  return -1;
}

function isMarkerLine(text: string, start: number, contentEnd: number, marker: string): boolean {
  if (!text.startsWith(marker, start)) return false;
  const after = start + marker.length;
  if (after === contentEnd) return true;
  const next = text.charCodeAt(after);
  return next === 0x20 || next === 0x09 || (next === 0x0d && after + 1 === contentEnd);
}

/**
 * Parses by text, most recently used first. Two generations instead of a strict LRU: a hit in
 * the young map costs one lookup and no write, which matters because a re-analysis looks up
 * every document of its file; a hit in the old generation moves the entry to the young one;
 * when the young one is full it becomes the old one, and what was not used since is dropped.
 * At most 2 × `youngLimit` parses are kept.
 */
class SegmentCache {
  private young = new Map<string, ParsedSegment>();
  private old = new Map<string, ParsedSegment>();
  /** Weight of the young generation's parses: a few huge documents fill it as many small do. */
  private youngNodes = 0;

  constructor(
    private readonly youngLimit: number,
    private readonly youngNodeLimit = Infinity,
  ) {}

  get(text: string): ParsedSegment | undefined {
    const young = this.young.get(text);
    if (young) return young;
    const old = this.old.get(text);
    if (old) {
      this.old.delete(text);
      this.set(text, old);
    }
    return old;
  }

  set(text: string, parsed: ParsedSegment): void {
    if (this.young.size >= this.youngLimit || this.youngNodes >= this.youngNodeLimit) {
      this.old = this.young;
      this.young = new Map();
      this.youngNodes = 0;
    }
    this.young.set(text, parsed);
    // Text counts too (a node per 8 characters): a document of one 1 MB value has few nodes.
    this.youngNodes += (parsed.nodes ?? 0) + text.length / 8;
  }
}

const YOUNG_SEGMENTS = 10_000;
/**
 * A parsed node takes about 250 bytes: counting segments alone, each keystroke in a 1 MB
 * document would keep another 10 MB parse, until memory ran out. Two generations of at most
 * this many nodes each stay under about 500 MB whatever the texts (a file may have about
 * 500,000 nodes, see limits.ts), and hold any one file whole.
 */
const YOUNG_NODES = 1_000_000;
const segmentCache = new SegmentCache(YOUNG_SEGMENTS, YOUNG_NODES);

/**
 * Parses one document's text, reusing the result for text seen before. The fast path
 * (fast-yaml.ts) builds the same document as `yaml` for the plain YAML of most manifests, six
 * to eight times faster; for anything else it declines and `yaml` parses.
 */
export function parseSegment(text: string): ParsedSegment {
  const cached = segmentCache.get(text);
  if (cached) return cached;
  const fast = fastParse(text);
  const document = fast?.document ?? parseYamlDocument(text, PARSE_OPTIONS);
  const parsed: ParsedSegment = { text, document, ok: document.errors.length === 0, memo: {} };
  // The fast path's documents have no aliases and nest far less than the limit: their node
  // count is all that inspecting them would tell.
  if (fast) parsed.nodes = fast.nodes;
  else recordAliasTargets(parsed);
  const limit = parsed.ok ? undefined : parserLimitOf(document, text);
  if (limit) parsed.limit = limit;
  segmentCache.set(text, parsed);
  return parsed;
}

/**
 * Splits and parses a whole file. With `key` (the file's path), the split and parses of the
 * previous text with that key are reused where the texts agree (see `incremental-split.ts`).
 */
export function parseFile(text: string, key?: string): ParsedDocument[] {
  // This very text was parsed last for this file (and passed the limits then).
  const remembered = rememberedDocuments(key, text);
  if (remembered) return [...remembered];
  // A file past the limits is not parsed at all (hovers, definitions and the index skip it).
  if (fileLimitOf(text)) return [];
  const { segments, reused } = splitFile(text, key);
  if (documentCountLimitOf(text, segments.length)) return [];
  const documents = segments.map((segment, index) =>
    placeDocument(reused[index] ?? parseFileSegment(segment.text), segment.offset, index),
  );
  rememberFile(key, text, segments, documents);
  return documents;
}

/**
 * One document of a file: parsed, unless no rule or feature reads it: it cannot hold a
 * Kubernetes object (see {@link cannotHoldObject}), it is a CustomResourceDefinition (see
 * {@link isCustomResourceDefinition}) or JSON without a Kubernetes object (see
 * {@link isJsonWithoutObject}). Such a document gets an empty parse.
 */
export function parseFileSegment(text: string): ParsedSegment {
  const skipped = skippedCache.get(text);
  if (skipped) return skipped;
  // The parse cache also holds what other callers of parseSegment parsed: a parse is taken
  // from it only once this function has found its text worth parsing, so that whether a
  // document is skipped never depends on what was parsed before (a skipped document deep
  // past the nesting limit would otherwise get its analysis-limit finding only sometimes).
  const cached = segmentCache.get(text);
  if (cached?.memo.readable) return cached;
  if (cannotHoldObject(text) || isCustomResourceDefinition(text) || isJsonWithoutObject(text)) {
    const empty = { text, document: parseDocument('', PARSE_OPTIONS), ok: true, memo: {} };
    skippedCache.set(text, empty);
    return empty;
  }
  const parsed = cached ?? parseSegment(text);
  parsed.memo.readable = true;
  return parsed;
}

/**
 * A document that cannot hold a Kubernetes object, nor mark its file as SOPS-encrypted: its
 * text has no `kind` (every object names its kind, and YAML spells a `kind` key with those
 * letters, or with a backslash escape in a double-quoted string), no `sops` and no backslash.
 * No rule or feature reads such a document (an OpenAPI spec, a Helm values file, a CI
 * workflow), yet parsing a 2 MB one took about 150 ms on every keystroke.
 */
export function cannotHoldObject(text: string): boolean {
  return !text.includes('kind') && !text.includes('sops') && !text.includes('\\');
}

/**
 * JSON that holds no Kubernetes object: an array, or an object without a string `kind` (a
 * package.json, a dashboard, a test's expected results). No rule or feature reads such a
 * document, and `yaml` parses JSON's flow style about as slowly as it parses anything, while
 * the engine's own `JSON.parse` answers in a fraction of that. YAML 1.1 reads valid JSON
 * as the same tree (or fails, which also yields no object), so the answer is certain, with
 * two exceptions that mean "parse it": a `"<<"` key (a merge key to YAML 1.1 readers) and
 * nesting near {@link ANALYSIS_LIMITS}.maxDepth (the parse reports passing it).
 */
export function isJsonWithoutObject(text: string): boolean {
  const first = text.trimStart().charCodeAt(0);
  if (first !== 0x5b && first !== 0x7b) return false; // `[` or `{`
  if (text.includes('"<<"')) return false;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (!withinDepth(value, ANALYSIS_LIMITS.maxDepth - 1)) return false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
  return typeof (value as { kind?: unknown }).kind !== 'string';
}

/** Whether JSON's collections nest at most `depth` deep (iteratively: any depth is safe). */
function withinDepth(root: unknown, depth: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [value, level] = top;
    if (typeof value !== 'object' || value === null) continue;
    if (level >= depth) return false;
    for (const child of Object.values(value)) {
      if (typeof child === 'object' && child !== null) stack.push([child, level + 1]);
    }
  }
  return true;
}

/**
 * Skipped documents by text, so that a skipped document keeps its identity (and what is
 * memoised with it) across analyses: a small cache of their own, since a skipped CRD is large
 * and deciding again is cheap.
 */
const skippedCache = new SegmentCache(128);

/** A line that starts at column 0 and is neither blank nor a comment. */
const TOP_LEVEL_LINE = /^[^ \t\r\n#].*$/gm;
const CRD_KEY = /^(apiVersion|kind|metadata|spec|status):(?=[ \t]|$)/;
const CRD_KIND = /^kind:[ \t]*(["']?)CustomResourceDefinition\1(?:[ \t]+#.*)?[ \t]*$/;
const CRD_API_VERSION =
  /^apiVersion:[ \t]*(["']?)apiextensions\.k8s\.io\/v1(?:beta1)?\1(?:[ \t]+#.*)?[ \t]*$/;
const BARE_MARKER = /^(?:---|\.\.\.)(?:[ \t]+#.*)?[ \t]*$/;

/**
 * A CustomResourceDefinition is a schema: never a Secret, a workload, RBAC or an encryption
 * configuration, so no rule reads it, yet it is often most of a release manifest (the largest
 * document of argo-cd's install.yaml is a 1.4 MB CRD, a quarter of a second to parse). Such
 * a document gets an empty parse: its comments still count (suppressions are read from the
 * text), its nodes are never built.
 *
 * Recognised from the text only when that is certain: a block mapping at column 0 whose
 * column-0 lines are exactly the keys a CRD has (`apiVersion`, `kind`, `metadata`, `spec`,
 * `status`), one `kind: CustomResourceDefinition` and one `apiVersion:
 * apiextensions.k8s.io/v1` (or `v1beta1`). Any other column-0 line (another key, a tag, an
 * anchor or alias, an explicit `?` key, flow style, JSON, a `sops` key) means "parse it".
 */
export function isCustomResourceDefinition(text: string): boolean {
  if (!text.includes('CustomResourceDefinition')) return false;
  let kinds = 0;
  let apiVersions = 0;
  TOP_LEVEL_LINE.lastIndex = 0;
  for (let match = TOP_LEVEL_LINE.exec(text); match; match = TOP_LEVEL_LINE.exec(text)) {
    // `^` in multiline mode also matches after a lone \r or U+2028: not plain block YAML.
    if (match.index > 0 && text.charCodeAt(match.index - 1) !== 0x0a) return false;
    const line = match[0];
    if (line.startsWith('%')) continue; // a directive
    if (line.startsWith('---') || line.startsWith('...')) {
      if (!BARE_MARKER.test(line)) return false;
      continue;
    }
    const key = CRD_KEY.exec(line)?.[1];
    if (key === undefined) return false;
    if (key === 'kind' && (++kinds > 1 || !CRD_KIND.test(line))) return false;
    if (key === 'apiVersion' && (++apiVersions > 1 || !CRD_API_VERSION.test(line))) return false;
  }
  return kinds === 1 && apiVersions === 1;
}

const aliasTargets = new WeakMap<Alias, Node>();

/**
 * Kubernetes reads an alias (`*name`) as the node it names, so accessors do too: this records
 * each alias's target once per parse, and {@link aliasTarget} answers without the document.
 * The same pass checks the document's nesting and what its aliases expand to (limits.ts): a
 * document past a limit is marked not ok, so that no rule walks it.
 */
function recordAliasTargets(parsed: ParsedSegment): void {
  const inspection = inspectDocument(parsed.document, parsed.text);
  parsed.nodes = inspection.nodes;
  for (const [alias, target] of inspection.aliasTargets) aliasTargets.set(alias, target);
  if (inspection.limit && parsed.ok) {
    parsed.ok = false;
    parsed.limit = inspection.limit;
  }
}

/** The node an alias stands for, when the alias was parsed by {@link parseSegment}. */
export function aliasTarget(alias: Alias): Node | undefined {
  return aliasTargets.get(alias);
}
