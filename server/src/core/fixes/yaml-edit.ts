/**
 * Text edits that change one YAML collection and leave every other byte of the file alone.
 *
 * The document is never re-stringified: comments, key order, quoting, blank lines and the
 * author's indentation outside the edited entry survive. New text is rendered by a small
 * emitter in the style of the collection it goes into (block or flow; JSON inside JSON
 * documents) and with the file's own line ending.
 *
 * Ownership of comments and blank lines, for block collections:
 * - the comment lines directly above an entry (no blank line between), at the entry's own
 *   column, belong to it, unless they open the document (a file header is never removed);
 * - comment lines directly below an entry and indented deeper than it belong to it (they sit
 *   inside it, e.g. a commented-out field);
 * - a comment at the end of the entry's last line belongs to it;
 * - every other comment stays where it is. Removing an entry that sits between two blank
 *   lines also removes the blank lines below it, so that no double gap is left.
 *
 * Layouts that these primitives do not handle (explicit `? ` keys, a block entry that does not
 * start its line other than after `- `) raise {@link YamlEditError}: a fix built on them should
 * then be left out rather than offered with edits that could break the file.
 */
import { isMap, isNode, isPair, isScalar, isSeq, parse } from 'yaml';
import type { Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { parseSegment } from '../parse';
import type { TextEdit } from '../types';

/** A plain value that the emitter can write as YAML or JSON. */
export type YamlValue =
  string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** How new block text is laid out; detect it from the document with {@link detectStyle}. */
export interface EditStyle {
  /** Spaces by which a nested block mapping is indented under its key. */
  indent: number;
  /** Columns between a key and the `-` of its block sequence: 0 (`key:\n- a`) or more. */
  sequenceIndent: number;
  /** Flow collections hold JSON: keys and strings are written double-quoted, JSON-style. */
  json: boolean;
}

/** Options shared by the edits that write new text. */
export interface EditOptions {
  /**
   * Defaults to the style that the edited collection shows, completed from its document's
   * (`source` must then be the text of one YAML document, as rules receive it).
   */
  style?: EditStyle;
}

/** Options of {@link addEntryToMapping}. */
export interface AddEntryOptions extends EditOptions {
  /**
   * Sibling keys to place the new entry after, in order of preference; the first one present
   * wins. The entry goes at the end of the mapping when none is present.
   */
  after?: readonly string[];
}

/** Raised for a layout that the primitives do not edit safely. */
export class YamlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditError';
  }
}

// ---------------------------------------------------------------------------------------
// Lines and ranges
// ---------------------------------------------------------------------------------------

/** The file's line ending: CRLF when its first line break is one, else LF. */
export function lineEnding(source: string): '\n' | '\r\n' {
  const newline = source.indexOf('\n');
  return newline > 0 && source[newline - 1] === '\r' ? '\r\n' : '\n';
}

function lineStart(source: string, position: number): number {
  const start = position <= 0 ? 0 : source.lastIndexOf('\n', position - 1) + 1;
  // A byte-order mark opens the text but no line: columns (and inserted lines) start after it.
  return start === 0 && position > 0 && source.charCodeAt(0) === 0xfeff ? 1 : start;
}

function nextLineStart(source: string, position: number): number {
  const newline = source.indexOf('\n', position);
  return newline === -1 ? source.length : newline + 1;
}

/** The text of the line starting at `start`, without its line break. */
function lineText(source: string, start: number): string {
  const newline = source.indexOf('\n', start);
  const text = source.slice(start, newline === -1 ? source.length : newline);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

function isCommentLine(line: string): boolean {
  return /^[ \t]*#/.test(line);
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function spaces(count: number): string {
  return ' '.repeat(Math.max(0, count));
}

/** Moves `end` back over white space, never before `floor`. */
function trimBack(source: string, floor: number, end: number): number {
  let position = end;
  while (position > floor && /[ \t\r\n]/.test(source[position - 1] ?? '')) position--;
  return position;
}

function rangeStart(node: Node): number {
  const range = node.range;
  if (!range) throw new YamlEditError('node without a source range');
  return range[0];
}

/**
 * Where a node's content ends: after its last character, before any trailing comment, white
 * space or line break (a block collection's range runs on to the next line).
 */
function contentEnd(source: string, node: Node): number {
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last: unknown = node.items[node.items.length - 1];
    if (isPair(last)) return pairEnd(source, last);
    if (isNode(last)) return contentEnd(source, last);
  }
  const range = node.range;
  if (!range) throw new YamlEditError('node without a source range');
  // A block scalar with keep chomping (`|+`) owns its trailing blank lines.
  if (isScalar(node) && /^[|>][0-9]?\+/.test(source.slice(range[0], range[0] + 3))) return range[1];
  return trimBack(source, range[0], range[1]);
}

function pairEnd(source: string, pair: Pair): number {
  const key = pair.key;
  if (!isNode(key)) throw new YamlEditError('a mapping entry without a key node');
  const keyEnd = contentEnd(source, key);
  return isNode(pair.value) && pair.value.range
    ? Math.max(keyEnd, contentEnd(source, pair.value))
    : keyEnd;
}

/**
 * `[start, end)` of a node's content: from its first character to its last, without the
 * trailing comment, white space or line break that the parser includes in block ranges.
 */
export function contentRange(source: string, node: Node): [number, number] {
  return [rangeStart(node), contentEnd(source, node)];
}

// ---------------------------------------------------------------------------------------
// The items of a collection, located in the text
// ---------------------------------------------------------------------------------------

/** An item of a collection: where it starts (key, or `-` in a block sequence) and ends. */
interface Located {
  start: number;
  end: number;
}

function locatePairs(source: string, map: YAMLMap): Located[] {
  return map.items.map((pair) => {
    if (!isNode(pair.key) || !pair.key.range) {
      throw new YamlEditError('a mapping entry without a key node');
    }
    return { start: pair.key.range[0], end: pairEnd(source, pair) };
  });
}

const DASH_PREFIX = /^(?:[ \t]*-[ \t]+)*[ \t]*$/;

/**
 * The `-` indicator of a block sequence item: the first `-` after the previous item that is
 * followed by white space and preceded on its line only by indentation or other `- `.
 * Searching forward from the previous item skips anchors, tags and comments in between.
 */
function dashOf(source: string, from: number, itemStart: number): number {
  for (let i = from; i < itemStart; i++) {
    if (source[i] !== '-') continue;
    const next = source[i + 1];
    if (next !== undefined && !/[ \t\r\n]/.test(next)) continue;
    if (DASH_PREFIX.test(source.slice(lineStart(source, i), i))) return i;
  }
  throw new YamlEditError('block sequence item without a "-" indicator');
}

function locateItems(source: string, seq: YAMLSeq): Located[] {
  const located: Located[] = [];
  let previousEnd = rangeStart(seq);
  for (const item of seq.items) {
    if (!isNode(item)) throw new YamlEditError('sequence item without a node');
    const itemStart = rangeStart(item);
    const end = contentEnd(source, item);
    const start = seq.flow ? itemStart : dashOf(source, previousEnd, itemStart + 1);
    located.push({ start, end });
    previousEnd = end;
  }
  return located;
}

/** The lines a block item owns (see the module comment), and where it sits. */
interface BlockSpan {
  start: number;
  end: number;
  column: number;
  /** The item is first on its line (not after a `- ` on the same line). */
  startsLine: boolean;
}

const HEADER_LINE = /^(?:[ \t]*(?:#.*)?|%.*|---.*)$/;

function isDocumentHeader(text: string): boolean {
  return text.split(/\r?\n/).every((line) => HEADER_LINE.test(line));
}

function blockSpan(source: string, item: Located): BlockSpan {
  const itemLine = lineStart(source, item.start);
  const column = item.start - itemLine;
  const startsLine = /^ *$/.test(source.slice(itemLine, item.start));
  let end = nextLineStart(source, Math.max(item.end - 1, item.start));
  while (end < source.length) {
    const line = lineText(source, end);
    if (!isCommentLine(line) || indentOf(line) <= column) break;
    end = nextLineStart(source, end);
  }
  let start = startsLine ? itemLine : item.start;
  if (startsLine) {
    let first = itemLine;
    while (first > 0) {
      const above = lineStart(source, first - 1);
      const line = lineText(source, above);
      if (!isCommentLine(line) || indentOf(line) !== column) break;
      first = above;
    }
    if (first < itemLine && !isDocumentHeader(source.slice(0, first))) start = first;
  }
  return { start, end, column, startsLine };
}

// ---------------------------------------------------------------------------------------
// Removing
// ---------------------------------------------------------------------------------------

/**
 * Removes one entry of a mapping.
 *
 * Block style: deletes the lines the entry owns (see the module comment). The first entry of
 * a map written on a `- ` line is cut up to the next key, which moves onto the `- ` line.
 * Removing the only entry leaves an empty flow map `{}`: after the parent's `key:` or `-` when
 * that line ends there (`labels: {}`), else on its own line at the entry's column.
 *
 * Flow style and JSON: deletes the entry and one adjacent comma (the one after it, or before
 * it for the last entry), so that the rest stays valid; the only entry leaves `{}`.
 */
export function removeEntry(source: string, map: YAMLMap, pair: Pair): TextEdit[] {
  const index = map.items.indexOf(pair as (typeof map.items)[number]);
  if (index === -1) throw new YamlEditError('the entry is not in this mapping');
  return removeAt(source, map, locatePairs(source, map), index, '{}');
}

/**
 * Removes one item of a sequence; block items with all their lines (a multi-line map item
 * too), flow items with one adjacent comma. The only item leaves `[]`, placed as for
 * {@link removeEntry}.
 */
export function removeItem(source: string, seq: YAMLSeq, item: unknown): TextEdit[] {
  const index = seq.items.indexOf(item);
  if (index === -1) throw new YamlEditError('the item is not in this sequence');
  return removeAt(source, seq, locateItems(source, seq), index, '[]');
}

function removeAt(
  source: string,
  collection: YAMLMap | YAMLSeq,
  located: Located[],
  index: number,
  empty: '{}' | '[]',
): TextEdit[] {
  const target = located[index];
  if (!target) throw new YamlEditError('no such item');
  if (collection.flow) return removeFlowItem(collection, located, index, empty);
  const span = blockSpan(source, target);
  if (located.length === 1) return emptyBlockCollection(source, span, target, empty);
  if (!span.startsLine) {
    // Only the first item can share its line with a `- `: cut up to the next one.
    const next = located[index + 1];
    if (index !== 0 || !next) throw new YamlEditError('unsupported block layout');
    return [{ start: target.start, end: next.start, newText: '' }];
  }
  let end = span.end;
  const blankAbove =
    span.start === 0 || isBlank(lineText(source, lineStart(source, span.start - 1)));
  if (blankAbove) {
    while (end < source.length && isBlank(lineText(source, end))) end = nextLineStart(source, end);
  }
  return [{ start: span.start, end, newText: '' }];
}

function removeFlowItem(
  collection: YAMLMap | YAMLSeq,
  located: Located[],
  index: number,
  empty: '{}' | '[]',
): TextEdit[] {
  const target = located[index];
  const next = located[index + 1];
  const previous = located[index - 1];
  if (!target) throw new YamlEditError('no such item');
  if (next) return [{ start: target.start, end: next.start, newText: '' }];
  if (previous) return [{ start: previous.end, end: target.end, newText: '' }];
  const range = collection.range;
  if (!range) throw new YamlEditError('collection without a source range');
  return [{ start: range[0], end: range[1], newText: empty }];
}

function emptyBlockCollection(
  source: string,
  span: BlockSpan,
  target: Located,
  empty: '{}' | '[]',
): TextEdit[] {
  if (!span.startsLine) return [{ start: target.start, end: target.end, newText: empty }];
  let cursor = span.start;
  while (cursor > 0) {
    const above = lineStart(source, cursor - 1);
    const line = lineText(source, above);
    if (isBlank(line) || isCommentLine(line)) {
      cursor = above;
      continue;
    }
    // The first line above that is not blank or a comment is the parent's: `key:` or `-`.
    const content = line.trimEnd();
    if (content.endsWith(':') || /(?:^|[ \t])-$/.test(content)) {
      const at = above + content.length;
      return [
        { start: at, end: at, newText: ` ${empty}` },
        { start: span.start, end: span.end, newText: '' },
      ];
    }
    break;
  }
  const lineBreak = source.slice(span.start, span.end).endsWith('\n') ? lineEnding(source) : '';
  return [{ start: span.start, end: span.end, newText: spaces(span.column) + empty + lineBreak }];
}

// ---------------------------------------------------------------------------------------
// Adding and replacing
// ---------------------------------------------------------------------------------------

/** Adds `key: value` after the last entry of a mapping (the caller checks `key` is new). */
export function appendEntry(
  source: string,
  map: YAMLMap,
  key: string,
  value: YamlValue,
  options: EditOptions = {},
): TextEdit[] {
  return insertEntry(source, map, map.items.length - 1, key, value, options);
}

/**
 * Adds `key: value` to a mapping that lacks the key: after the first sibling of
 * `options.after` that is present, else at the end; in the mapping's style.
 */
export function addEntryToMapping(
  source: string,
  map: YAMLMap,
  key: string,
  value: YamlValue,
  options: AddEntryOptions = {},
): TextEdit[] {
  let index = map.items.length - 1;
  for (const sibling of options.after ?? []) {
    const found = map.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === sibling);
    if (found !== -1) {
      index = found;
      break;
    }
  }
  return insertEntry(source, map, index, key, value, options);
}

function insertEntry(
  source: string,
  map: YAMLMap,
  afterIndex: number,
  key: string,
  value: YamlValue,
  options: EditOptions,
): TextEdit[] {
  const style = styleFor(source, map, options);
  const located = locatePairs(source, map);
  if (map.flow) {
    return insertIntoFlow(source, map, located, afterIndex, style, (layout) => {
      const keyText = renderKey(key, style.json ? 'json' : 'flow');
      const valueText =
        layout.pretty && style.json
          ? renderPrettyJson(value, layout.column, layout.unit, lineEnding(source))
          : renderFlow(value, style.json);
      return `${keyText}: ${valueText}`;
    });
  }
  const after = located[afterIndex];
  if (!after) throw new YamlEditError('an empty block mapping');
  const span = blockSpan(source, after);
  return [insertLines(source, span.end, renderPairLines(key, value, span.column, style))];
}

/** Adds an item after the last item of a sequence, in the sequence's style. */
export function appendItem(
  source: string,
  seq: YAMLSeq,
  value: YamlValue,
  options: EditOptions = {},
): TextEdit[] {
  const style = styleFor(source, seq, options);
  const located = locateItems(source, seq);
  if (seq.flow) {
    return insertIntoFlow(source, seq, located, located.length - 1, style, (layout) =>
      layout.pretty && style.json
        ? renderPrettyJson(value, layout.column, layout.unit, lineEnding(source))
        : renderFlow(value, style.json),
    );
  }
  const last = located[located.length - 1];
  const lastItem: unknown = seq.items[seq.items.length - 1];
  if (!last || !isNode(lastItem)) throw new YamlEditError('an empty block sequence');
  const span = blockSpan(source, last);
  const lines = renderSequenceItem(
    value,
    span.column,
    itemContentOffset(source, last, lastItem),
    style,
  );
  return [insertLines(source, span.end, lines)];
}

/**
 * Replaces one item of a sequence by a new value, in place: a block item keeps its `- `, the
 * comment at the end of its last line and everything around it; comments inside it go.
 */
export function replaceItem(
  source: string,
  seq: YAMLSeq,
  item: unknown,
  value: YamlValue,
  options: EditOptions = {},
): TextEdit[] {
  const index = seq.items.indexOf(item);
  if (index === -1 || !isNode(item)) throw new YamlEditError('the item is not in this sequence');
  const style = styleFor(source, seq, options);
  const [start, end] = contentRange(source, item);
  if (seq.flow) return [{ start, end, newText: renderFlow(value, style.json) }];
  const column = start - lineStart(source, start);
  let lines: string[];
  if (isNonEmptyObject(value)) lines = renderMapLines(value, column, style);
  else if (isNonEmptyArray(value)) lines = renderSequenceLines(value, column, 2, style);
  else lines = [spaces(column) + renderInline(value)];
  const [first = '', ...rest] = lines;
  return [{ start, end, newText: [first.slice(column), ...rest].join(lineEnding(source)) }];
}

/**
 * Replaces one entry of a mapping, key and value, by `key: value`, in place: the comments
 * around it and the one at the end of its last line stay; comments inside its value go.
 */
export function replaceEntry(
  source: string,
  map: YAMLMap,
  pair: Pair,
  key: string,
  value: YamlValue,
  options: EditOptions = {},
): TextEdit[] {
  const index = map.items.indexOf(pair as (typeof map.items)[number]);
  const target = locatePairs(source, map)[index];
  if (index === -1 || !target) throw new YamlEditError('the entry is not in this mapping');
  const style = styleFor(source, map, options);
  if (map.flow) {
    const keyText = renderKey(key, style.json ? 'json' : 'flow');
    return [
      {
        start: target.start,
        end: target.end,
        newText: `${keyText}: ${renderFlow(value, style.json)}`,
      },
    ];
  }
  const column = target.start - lineStart(source, target.start);
  const [first = '', ...rest] = renderPairLines(key, value, column, style);
  const newText = [first.slice(column), ...rest].join(lineEnding(source));
  return [{ start: target.start, end: target.end, newText }];
}

/**
 * Replaces a scalar's text by another value's. A double-quoted string stays double-quoted
 * (so JSON stays JSON); anything else is written plain when safe, else double-quoted.
 */
export function replaceScalar(
  source: string,
  scalar: Scalar,
  value: string | number | boolean | null,
): TextEdit[] {
  const [start, end] = contentRange(source, scalar);
  const json = scalar.type === 'QUOTE_DOUBLE' && typeof value === 'string';
  return [{ start, end, newText: scalarText(value, json ? 'json' : 'flow') }];
}

/** Columns between a block item's `-` and its content (`- name` is 2, `-   name` is 4). */
function itemContentOffset(source: string, located: Located, item: Node): number {
  // Only plain indentation counts: `- &anchor value` says nothing about the layout.
  const between = source.slice(located.start + 1, rangeStart(item));
  return /^ +$/.test(between) ? between.length + 1 : 2;
}

/** Layout of a new item in a flow collection. */
interface FlowLayout {
  /** The collection has one item a line (pretty JSON): write the new one on its own line. */
  pretty: boolean;
  column: number;
  unit: number;
}

function insertIntoFlow(
  source: string,
  collection: YAMLMap | YAMLSeq,
  located: Located[],
  afterIndex: number,
  style: EditStyle,
  render: (layout: FlowLayout) => string,
): TextEdit[] {
  const open = collection.range?.[0];
  if (open === undefined) throw new YamlEditError('collection without a source range');
  const after = located[afterIndex];
  if (!after) {
    return [
      { start: open + 1, end: open + 1, newText: render({ pretty: false, column: 0, unit: 2 }) },
    ];
  }
  const itemLine = lineStart(source, after.start);
  if (itemLine === lineStart(source, open)) {
    const newText = `, ${render({ pretty: false, column: 0, unit: style.indent })}`;
    return [{ start: after.end, end: after.end, newText }];
  }
  const column = after.start - itemLine;
  const unit = column - indentOf(lineText(source, lineStart(source, open)));
  const layout = { pretty: true, column, unit: unit > 0 ? unit : style.indent };
  const newText = `,${lineEnding(source)}${spaces(column)}${render(layout)}`;
  return [{ start: after.end, end: after.end, newText }];
}

/** Inserts whole lines at a line start (or at the end of a file without a final newline). */
function insertLines(source: string, at: number, lines: readonly string[]): TextEdit {
  const eol = lineEnding(source);
  const body = lines.join(eol);
  const atUnterminatedEnd = at === source.length && at > 0 && !source.endsWith('\n');
  return { start: at, end: at, newText: atUnterminatedEnd ? eol + body : body + eol };
}

// ---------------------------------------------------------------------------------------
// Style detection
// ---------------------------------------------------------------------------------------

/**
 * The layout used under `node` (pass the document root to learn the whole document's):
 * the most common indentation of nested block maps and of block sequences under their key,
 * and whether its flow collections are JSON (double-quoted keys, or a document that is one
 * flow collection). Defaults: 2 spaces, sequences indented alike.
 */
export function detectStyle(source: string, node: unknown): EditStyle {
  return completeStyle(sampleStyle(source, node));
}

/**
 * The style for new text in `collection`: what the collection itself shows, completed from
 * the whole document (a list of plain scalars shows nothing about nested indentation).
 */
function styleFor(source: string, collection: Node, options: EditOptions): EditStyle {
  if (options.style) return options.style;
  const own = sampleStyle(source, collection);
  const documentWide = sampleStyle(source, parseSegment(source).document.contents);
  return completeStyle({
    indent: own.indent ?? documentWide.indent,
    sequenceIndent: own.sequenceIndent ?? documentWide.sequenceIndent,
    json: own.json || documentWide.json,
  });
}

interface StyleSample {
  indent: number | undefined;
  sequenceIndent: number | undefined;
  json: boolean;
}

function completeStyle(sample: StyleSample): EditStyle {
  const indent = sample.indent ?? 2;
  return { indent, sequenceIndent: sample.sequenceIndent ?? indent, json: sample.json };
}

function sampleStyle(source: string, node: unknown): StyleSample {
  const indents = new Map<number, number>();
  const sequenceIndents = new Map<number, number>();
  let json = false;
  const columnOf = (position: number): number => position - lineStart(source, position);
  const count = (tally: Map<number, number>, value: number): void => {
    tally.set(value, (tally.get(value) ?? 0) + 1);
  };
  const visit = (current: unknown): void => {
    if (isMap(current)) {
      for (const pair of current.items) {
        const key = pair.key;
        const value = pair.value;
        if (current.flow && isScalar(key) && key.type === 'QUOTE_DOUBLE') json = true;
        if (!current.flow && isNode(key) && key.range && isNode(value) && value.range) {
          const keyColumn = columnOf(key.range[0]);
          if (isMap(value) && !value.flow) {
            const firstKey = value.items[0]?.key;
            if (isNode(firstKey) && firstKey.range) {
              const indent = columnOf(firstKey.range[0]) - keyColumn;
              if (indent > 0) count(indents, indent);
            }
          } else if (isSeq(value) && !value.flow) {
            const indent = columnOf(value.range[0]) - keyColumn;
            if (indent >= 0) count(sequenceIndents, indent);
          }
        }
        visit(value);
      }
    } else if (isSeq(current)) {
      const strings = current.items.filter(isScalar);
      if (
        current.flow &&
        strings.length > 0 &&
        strings.every((item) => typeof item.value !== 'string' || item.type === 'QUOTE_DOUBLE') &&
        strings.some((item) => item.type === 'QUOTE_DOUBLE')
      ) {
        json = true;
      }
      current.items.forEach(visit);
    }
  };
  visit(node);
  // A document that opens with `{` or `[` is flow throughout: most likely a JSON manifest,
  // and JSON is valid flow YAML anyway.
  if (/^\s*[[{]/.test(source)) json = true;
  return { indent: mostCommon(indents), sequenceIndent: mostCommon(sequenceIndents), json };
}

function mostCommon(tally: Map<number, number>): number | undefined {
  let best: number | undefined;
  let bestCount = 0;
  for (const [value, count] of tally) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------
// The emitter
// ---------------------------------------------------------------------------------------

function isNonEmptyArray(value: YamlValue): value is readonly YamlValue[] {
  return Array.isArray(value) && value.length > 0;
}

function isObject(value: YamlValue): value is { readonly [key: string]: YamlValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyObject(value: YamlValue): value is { readonly [key: string]: YamlValue } {
  return isObject(value) && Object.keys(value).length > 0;
}

function renderPairLines(
  key: string,
  value: YamlValue,
  column: number,
  style: EditStyle,
): string[] {
  const head = `${spaces(column)}${renderKey(key, 'block')}:`;
  if (isNonEmptyArray(value)) {
    return [head, ...renderSequenceLines(value, column + style.sequenceIndent, 2, style)];
  }
  if (isNonEmptyObject(value))
    return [head, ...renderMapLines(value, column + style.indent, style)];
  return [`${head} ${renderInline(value)}`];
}

function renderMapLines(
  value: { readonly [key: string]: YamlValue },
  column: number,
  style: EditStyle,
): string[] {
  return Object.entries(value).flatMap(([key, item]) => renderPairLines(key, item, column, style));
}

function renderSequenceLines(
  items: readonly YamlValue[],
  dashColumn: number,
  contentOffset: number,
  style: EditStyle,
): string[] {
  return items.flatMap((item) => renderSequenceItem(item, dashColumn, contentOffset, style));
}

function renderSequenceItem(
  item: YamlValue,
  dashColumn: number,
  contentOffset: number,
  style: EditStyle,
): string[] {
  const contentColumn = dashColumn + contentOffset;
  let lines: string[];
  if (isNonEmptyObject(item)) lines = renderMapLines(item, contentColumn, style);
  else if (isNonEmptyArray(item)) lines = renderSequenceLines(item, contentColumn, 2, style);
  else return [`${spaces(dashColumn)}- ${renderInline(item)}`];
  // The item's first line moves up onto the `- ` line, which takes its indentation's place.
  const [first = '', ...rest] = lines;
  return [
    `${spaces(dashColumn)}-${spaces(contentOffset - 1)}${first.slice(contentColumn)}`,
    ...rest,
  ];
}

/** A scalar, `[]` or `{}` on one line of block YAML. */
function renderInline(value: YamlValue): string {
  if (Array.isArray(value)) return '[]';
  if (isObject(value)) return '{}';
  return scalarText(value as string | number | boolean | null, 'block');
}

function renderFlow(value: YamlValue, json: boolean): string {
  if (Array.isArray(value)) {
    return `[${value.map((item: YamlValue) => renderFlow(item, json)).join(', ')}]`;
  }
  if (isObject(value)) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${renderKey(key, json ? 'json' : 'flow')}: ${renderFlow(item, json)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return scalarText(value as string | number | boolean | null, json ? 'json' : 'flow');
}

/** JSON with one item a line; continuation lines are indented from `column` by `unit`. */
function renderPrettyJson(value: YamlValue, column: number, unit: number, eol: string): string {
  const inner = column + unit;
  if (isNonEmptyArray(value)) {
    const items = value.map((item) => spaces(inner) + renderPrettyJson(item, inner, unit, eol));
    return `[${eol}${items.join(`,${eol}`)}${eol}${spaces(column)}]`;
  }
  if (isNonEmptyObject(value)) {
    const entries = Object.entries(value).map(
      ([key, item]) =>
        `${spaces(inner)}${scalarText(key, 'json')}: ${renderPrettyJson(item, inner, unit, eol)}`,
    );
    return `{${eol}${entries.join(`,${eol}`)}${eol}${spaces(column)}}`;
  }
  return renderFlow(value, true);
}

function renderKey(key: string, context: 'block' | 'flow' | 'json'): string {
  return scalarText(key, context);
}

/**
 * Characters that are safe in a plain scalar in block and flow context alike, when not first
 * (`-`, `~`, `@`, `=` and `+` may not start one, or start one that means something else).
 */
const PLAIN_CANDIDATE = /^[A-Za-z0-9_./][A-Za-z0-9_./@+=~ -]*$/;

/**
 * A scalar's text: plain when every YAML reader would read it back as the same string (YAML
 * 1.1 turns `yes`, `0644`, `1_000`, `1:20`, `2001-12-14` into other types; YAML 1.2 turns
 * `1e3` into a number), double-quoted otherwise. `json` always double-quotes strings.
 */
export function scalarText(
  value: string | number | boolean | null,
  context: 'block' | 'flow' | 'json',
): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return numberText(value, context === 'json');
  if (context !== 'json' && isPlainSafe(value)) return value;
  return doubleQuoted(value);
}

function numberText(value: number, json: boolean): string {
  if (!Number.isFinite(value)) {
    if (json) throw new YamlEditError('JSON has no NaN or Infinity');
    if (Number.isNaN(value)) return '.nan';
    return value > 0 ? '.inf' : '-.inf';
  }
  const text = String(value);
  // YAML 1.1 floats need a dot: `1e+21` would be a string there.
  return !json && /e/.test(text) && !text.includes('.') ? text.replace('e', '.0e') : text;
}

function isPlainSafe(value: string): boolean {
  if (!PLAIN_CANDIDATE.test(value) || value.endsWith(' ')) return false;
  try {
    return (
      parse(value, { version: '1.1', logLevel: 'silent' }) === value &&
      parse(value, { version: '1.2', logLevel: 'silent' }) === value
    );
  } catch {
    return false;
  }
}

/**
 * A double-quoted scalar, valid as YAML and JSON. JSON.stringify leaves DEL, C1 controls,
 * U+2028/U+2029 (line breaks to YAML 1.1) and the BOM raw: escape them too.
 */
function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// ---------------------------------------------------------------------------------------
// Combining edits
// ---------------------------------------------------------------------------------------

/**
 * Sorts edits by offset and merges those that touch (an insertion at the end or start of a
 * deletion, several insertions at one offset) into one, keeping the array order of edits at
 * the same offset, as LSP clients do. Returns undefined when two edits overlap: the edits came
 * from stale or conflicting plans and must not be offered.
 */
export function normalizeEdits(edits: readonly TextEdit[]): TextEdit[] | undefined {
  const sorted = edits
    .map((edit, order) => ({ edit, order }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.order - b.order)
    .map(({ edit }) => edit);
  const merged: TextEdit[] = [];
  for (const edit of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && edit.start < previous.end) return undefined;
    if (previous && edit.start === previous.end) {
      merged[merged.length - 1] = {
        start: previous.start,
        end: edit.end,
        newText: previous.newText + edit.newText,
      };
    } else {
      merged.push({ ...edit });
    }
  }
  return merged;
}
