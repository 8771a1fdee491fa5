/**
 * Re-splitting a file after an edit without re-reading what the edit did not touch. A keystroke
 * in a large multi-document file changes one document; the others are found again by a memory
 * comparison of their old text against the new text (before the edit at the same offset, after
 * it shifted by the edit's length), which costs far less than splitting the whole text and
 * looking every document up in the parse cache by its text (hashing all of it).
 *
 * The result is always what {@link splitDocuments} gives for the whole new text: the documents
 * between the unchanged ones are split afresh, and each boundary between a kept document and a
 * re-split region is checked to be one that a whole-file split would make at that place (the
 * splitter decides a boundary from the document before it and the line at it, nothing else);
 * where it is not, the region grows by a document and is checked again.
 */
import { splitDocuments } from './parse';
import { sharedAffixes } from './text-affixes';
import type { DocumentSegment, ParsedDocument, ParsedSegment } from './parse';

/** A file's documents as last split and parsed. */
interface FileMemo {
  text: string;
  segments: readonly DocumentSegment[];
  parsed: readonly ParsedDocument[];
}

/** A split of a file, with the parses of the documents that the previous text had too. */
export interface FileSplit {
  segments: DocumentSegment[];
  /** Per segment: the parse of the same text from the previous split, or undefined. */
  reused: (ParsedSegment | undefined)[];
  /**
   * The previous split's documents, which `reused` holds some of (the very objects): their
   * positions there tell what else about them a caller may reuse.
   */
  previous?: readonly ParsedDocument[];
}

/** The most recently split files, by key (a path): open documents being edited. */
const memos = new Map<string, FileMemo>();
const MAX_MEMOS = 32;
/**
 * Characters of the remembered files' texts, at most: a memo keeps its file's parses alive
 * beyond the parse cache's own bound, and 32 files of 5 MiB would hold gigabytes. The most
 * recent file is always kept, whatever its length.
 */
const MAX_MEMO_CHARACTERS = 16 * 1024 * 1024;
let memoCharacters = 0;

/**
 * Splits `text`, the current text of the file known by `key`, reusing what its previous split
 * (see {@link rememberFile}) had in common with it. Without a key, a plain split.
 */
export function splitFile(text: string, key: string | undefined): FileSplit {
  const previous = key === undefined ? undefined : memos.get(key);
  if (!previous || text.length === 0) {
    const segments = splitDocuments(text);
    return { segments, reused: segments.map(() => undefined) };
  }
  return resplit(previous, text);
}

/**
 * Where the document at `index` of a split was in the previous split's documents, or -1 when
 * it is new. The split keeps the documents before an edit at their places and those after it
 * at the same distance from the end, so this is a comparison or two, with no document read.
 */
export function previousIndexOf(split: FileSplit, index: number): number {
  const kept = split.reused[index];
  const previous = split.previous;
  if (!kept || !previous) return -1;
  if (previous[index] === kept) return index;
  const fromEnd = previous.length - (split.reused.length - index);
  return previous[fromEnd] === kept ? fromEnd : -1;
}

/** Keeps a file's split and parses for its next {@link splitFile}. */
export function rememberFile(
  key: string | undefined,
  text: string,
  segments: readonly DocumentSegment[],
  parsed: readonly ParsedDocument[],
): void {
  if (key === undefined) return;
  forget(key);
  memos.set(key, { text, segments, parsed });
  memoCharacters += text.length;
  for (const oldest of memos.keys()) {
    if (memos.size <= MAX_MEMOS && memoCharacters <= MAX_MEMO_CHARACTERS) break;
    if (oldest === key) break;
    forget(oldest);
  }
}

function forget(key: string): void {
  const memo = memos.get(key);
  if (!memo) return;
  memoCharacters -= memo.text.length;
  memos.delete(key);
}

/**
 * A parse placed in its file. A document kept from the previous split at the same place is
 * returned as it is (no copy: a keystroke keeps thousands of them); others are copied with
 * their new offset and index.
 */
export function placeDocument(
  parsed: ParsedSegment | ParsedDocument,
  offset: number,
  index: number,
): ParsedDocument {
  if ('offset' in parsed && parsed.offset === offset && parsed.index === index) return parsed;
  // Field by field rather than a spread: a keystroke early in a large file moves thousands of
  // documents, and a literal of one shape is several times cheaper to build. The type lists
  // every field, so that one added to ParsedSegment cannot be forgotten here.
  const placed = {
    text: parsed.text,
    document: parsed.document,
    ok: parsed.ok,
    limit: parsed.limit,
    nodes: parsed.nodes,
    memo: parsed.memo,
    offset,
    index,
  } satisfies Record<keyof ParsedDocument, unknown>;
  return placed as ParsedDocument;
}

/**
 * The documents remembered for exactly this text of the file (the analysis just parsed it and
 * the Secret index asks again): no split, no lookup at all.
 */
export function rememberedDocuments(
  key: string | undefined,
  text: string,
): readonly ParsedDocument[] | undefined {
  const memo = key === undefined ? undefined : memos.get(key);
  return memo && memo.text === text ? memo.parsed : undefined;
}

/** Forgets every remembered file (tests). */
export function forgetFiles(): void {
  memos.clear();
  memoCharacters = 0;
}

/** How many files are remembered, and their characters (tests). */
export function rememberedFiles(): { files: number; characters: number } {
  return { files: memos.size, characters: memoCharacters };
}

function resplit(previous: FileMemo, text: string): FileSplit {
  const old = previous.segments;
  const count = old.length;
  const delta = text.length - previous.text.length;
  // Leading documents unchanged at the same offsets, then trailing ones shifted by `delta`.
  // The documents inside the texts' common prefix and suffix are found by binary search; the
  // loops then check the next ones as before (none matches when documents are contiguous).
  const { prefix, suffix } = sharedAffixes(previous.text, text);
  let kept = segmentsEndingBy(old, prefix);
  while (kept < count && startsAt(text, old[kept], 0)) kept++;
  while (kept > 0 && !boundaryHolds(text, old[kept - 1]?.text, endOf(old[kept - 1]))) kept--;
  const regionStart = kept === 0 ? 0 : endOf(old[kept - 1]);
  let trailing = Math.min(
    count - kept,
    count - segmentsStartingBefore(old, previous.text.length - suffix),
  );
  while (trailing > 0 && (old[count - trailing]?.offset ?? 0) + delta < regionStart) trailing--;
  while (
    trailing < count - kept &&
    startsAt(text, old[count - 1 - trailing], delta) &&
    (old[count - 1 - trailing]?.offset ?? 0) + delta >= regionStart
  ) {
    trailing++;
  }
  for (;;) {
    const regionEnd = trailing === 0 ? text.length : (old[count - trailing]?.offset ?? 0) + delta;
    const region =
      regionEnd > regionStart
        ? splitDocuments(text.slice(regionStart, regionEnd)).map((segment) => ({
            text: detached(segment.text),
            offset: segment.offset + regionStart,
          }))
        : [];
    const before = region[region.length - 1]?.text ?? old[kept - 1]?.text;
    if (trailing > 0 && !boundaryHolds(text, before, regionEnd)) {
      trailing--;
      continue;
    }
    const segments: DocumentSegment[] = [];
    const reused: (ParsedSegment | undefined)[] = [];
    for (let index = 0; index < kept; index++) {
      const segment = old[index];
      if (!segment) continue;
      segments.push(segment);
      reused.push(previous.parsed[index]);
    }
    for (const segment of region) {
      segments.push(segment);
      reused.push(undefined);
    }
    for (let index = count - trailing; index < count; index++) {
      const segment = old[index];
      if (!segment) continue;
      segments.push({ text: segment.text, offset: segment.offset + delta });
      reused.push(previous.parsed[index]);
    }
    if (segments.length === 0) return { segments: splitDocuments(text), reused: [undefined] };
    return { segments, reused, previous: previous.parsed };
  }
}

/**
 * A copy of `text` that does not keep the string it was cut from alive. V8 makes a slice of 13
 * characters or more a view into the whole string: a re-split document's text would hold the
 * file's text of that keystroke, for as long as the parse cache holds the document (typing 100
 * characters into a 3.8 MB file kept 760 MB). A concatenation sliced again is copied into a
 * string of the document's own length.
 */
function detached(text: string): string {
  return ` ${text}`.slice(1);
}

/** How many of the first segments end at or before `offset` (segments are in text order). */
function segmentsEndingBy(segments: readonly DocumentSegment[], offset: number): number {
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (endOf(segments[middle]) <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** How many of the first segments start before `offset` (segments are in text order). */
function segmentsStartingBefore(segments: readonly DocumentSegment[], offset: number): number {
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((segments[middle]?.offset ?? 0) < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

function endOf(segment: DocumentSegment | undefined): number {
  return segment ? segment.offset + segment.text.length : 0;
}

/** Whether the old segment's text is in the new text at its offset moved by `shift`. */
function startsAt(text: string, segment: DocumentSegment | undefined, shift: number): boolean {
  if (!segment) return false;
  const at = segment.offset + shift;
  const end = at + segment.text.length;
  // A slice shares the text's memory, and comparing equal-length strings is a memory
  // comparison; `startsWith` measured several times slower here.
  return at >= 0 && end <= text.length && text.slice(at, end) === segment.text;
}

const MARKER_AT_LINE = /^---(?:[ \t]|\r?$)/;
const END_MARKER_LINE = /(?:^|\n)\.\.\.(?:[ \t][^\n]*)?\r?\n?$/;
const HEADER_ONLY = /^(?:(?:[ \t]*(?:#[^\n]*)?|%[^\n]*)\r?(?:\n|$))*$/;

/**
 * Whether a whole-file split ends a document at `at`, right after the document `before`
 * (undefined: nothing before): `at` starts a line, and `before` ends with a `...` line, or it
 * has content and the line at `at` is a `---` marker, or the text ends there.
 */
function boundaryHolds(text: string, before: string | undefined, at: number): boolean {
  if (before === undefined) return true;
  // The splitter reads whole lines: a document ends only where a line does.
  if (at > 0 && text.charCodeAt(at - 1) !== 0x0a) return false;
  if (at >= text.length || END_MARKER_LINE.test(before)) return true;
  if (HEADER_ONLY.test(before)) return false;
  const lineEnd = text.indexOf('\n', at);
  return MARKER_AT_LINE.test(text.slice(at, lineEnd === -1 ? text.length : lineEnd));
}
