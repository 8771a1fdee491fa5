/**
 * YAML as Kubernetes reads it (YAML 1.1 resolution through go-yaml v2), split and parsed one
 * document at a time so that a syntax error stays inside its document and an unchanged
 * document is never parsed twice.
 */
import { parseDocument, visit } from 'yaml';
import type { Alias, Node } from 'yaml';
import type { Document, ParseOptions, DocumentOptions, SchemaOptions, Tags } from 'yaml';

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
}

/** A parsed document placed in its file. */
export interface ParsedDocument extends ParsedSegment {
  /** Offset of `text` in the file: add it to node ranges to get file offsets. */
  offset: number;
  /** 0-based position of the document in its file. */
  index: number;
}

const DOCUMENT_START = /^---(?=[ \t]|\r?$)/;
const DOCUMENT_END = /^\.\.\.(?=[ \t]|\r?$)/;
const HEADER_LINE = /^(?:[ \t]*(?:#.*)?|%.*)\r?$/;

/**
 * Splits a file at its document markers. A `---` line opens a new segment unless everything
 * before it in the current one is blank lines, comments or directives (they belong to the
 * document it opens); a `...` line closes the current segment.
 */
export function splitDocuments(text: string): DocumentSegment[] {
  const segments: DocumentSegment[] = [];
  let segmentStart = 0;
  let onlyHeaderSoFar = true;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(lineStart, newline === -1 ? text.length : newline);
    if (DOCUMENT_START.test(line)) {
      if (!onlyHeaderSoFar) {
        segments.push({ text: text.slice(segmentStart, lineStart), offset: segmentStart });
        segmentStart = lineStart;
      }
      onlyHeaderSoFar = false;
    } else if (DOCUMENT_END.test(line)) {
      segments.push({ text: text.slice(segmentStart, lineEnd), offset: segmentStart });
      segmentStart = lineEnd;
      onlyHeaderSoFar = true;
    } else if (onlyHeaderSoFar && !HEADER_LINE.test(line)) {
      onlyHeaderSoFar = false;
    }
    lineStart = lineEnd;
  }
  if (segmentStart < text.length || segments.length === 0) {
    segments.push({ text: text.slice(segmentStart), offset: segmentStart });
  }
  return segments;
}

/**
 * go-yaml v2 knows no sexagesimal numbers (`1:20` stays a string) and sigs.k8s.io/yaml turns
 * timestamps back into strings, so neither is a non-string value to Kubernetes.
 */
function goYamlTags(tags: Tags): Tags {
  return tags.filter((tag) => {
    if (typeof tag !== 'object' || tag === null) return true;
    const format = 'format' in tag ? tag.format : undefined;
    return format !== 'TIME' && tag.tag !== 'tag:yaml.org,2002:timestamp';
  });
}

const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: false,
  prettyErrors: false,
  customTags: goYamlTags,
};

const MAX_CACHED_SEGMENTS = 20_000;
const segmentCache = new Map<string, ParsedSegment>();

/** Parses one document's text, reusing the result for text seen before. */
export function parseSegment(text: string): ParsedSegment {
  const cached = segmentCache.get(text);
  if (cached) {
    // Refresh its place so that the least recently used segment is evicted first.
    segmentCache.delete(text);
    segmentCache.set(text, cached);
    return cached;
  }
  const document = parseDocument(text, PARSE_OPTIONS);
  const parsed: ParsedSegment = { text, document, ok: document.errors.length === 0 };
  if (parsed.ok && text.includes('*')) recordAliasTargets(document);
  segmentCache.set(text, parsed);
  if (segmentCache.size > MAX_CACHED_SEGMENTS) {
    const oldest = segmentCache.keys().next().value;
    if (oldest !== undefined) segmentCache.delete(oldest);
  }
  return parsed;
}

/** Splits and parses a whole file. */
export function parseFile(text: string): ParsedDocument[] {
  return splitDocuments(text).map((segment, index) => ({
    ...parseSegment(segment.text),
    offset: segment.offset,
    index,
  }));
}

const aliasTargets = new WeakMap<Alias, Node>();

/**
 * Kubernetes reads an alias (`*name`) as the node it names, so accessors do too: this records
 * each alias's target once per parse, and {@link aliasTarget} answers without the document.
 */
function recordAliasTargets(document: Document.Parsed): void {
  visit(document, {
    Alias(_, alias) {
      const target = alias.resolve(document);
      if (target) aliasTargets.set(alias, target);
    },
  });
}

/** The node an alias stands for, when the alias was parsed by {@link parseSegment}. */
export function aliasTarget(alias: Alias): Node | undefined {
  return aliasTargets.get(alias);
}
