/**
 * A fast path for parsing a Kubernetes manifest: a single-pass, line-oriented scanner for the
 * block-YAML subset that real manifests use, which builds the very objects the `yaml` package
 * builds (`Document`, `YAMLMap`, `YAMLSeq`, `Pair`, `Scalar`, with the same values, types,
 * ranges and comments), six to eight times faster (half of what is left is the constructors of
 * `yaml`'s own nodes). Anything outside the subset makes it answer
 * `undefined` ("not sure"), and the caller parses with `yaml` instead.
 *
 * How it stays equivalent: `yaml` parses in three stages (Lexer → Parser, which builds a CST of
 * tokens → Composer, which builds nodes). Where those stages are simple for block YAML (a key,
 * a `-`, a scalar on one line) this module does the same work directly on the line. Where they
 * are subtle (which node a comment or a blank line belongs to, and so the `comment`,
 * `commentBefore`, `spaceBefore` and `range` of nodes), it keeps the very tokens the Lexer
 * makes (space, comment, newline) and ports the Parser's and Composer's rules for them, citing
 * the function of `yaml` (v2.9) each reproduces. test/unit/fast-yaml.test.ts compares both
 * parses field by field over the corpus, the YAML test suite and edge cases, and the fuzzer
 * does over every input it mutates.
 *
 * The subset: an optional `---` line (with a comment), comments, block mappings with plain or
 * quoted one-line keys, block sequences (indented or at their parent's column, `- key: value`
 * compact mappings), plain scalars (multi-line too), one-line single- and double-quoted
 * scalars, block scalars (`|` `>` with `-`/`+` chomping), flow collections of those scalars
 * (on one line in a block value; a document that is one flow collection, such as JSON, may
 * span lines). Declined: anchors, aliases, tags, directives, `...`, explicit `?` keys,
 * multi-line quoted scalars, explicit block-scalar indentation, tabs, a lone CR (one not before
 * a line feed), a BOM past the start, merge keys, empty documents, and anything that would be a
 * syntax error. CRLF line breaks are taken as `yaml` takes them (see {@link lineEndOf}).
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isScalar } from 'yaml';
import type { DocumentOptions, Node, ParseOptions, ScalarTag, Schema, SchemaOptions } from 'yaml';
import { PARSE_OPTIONS } from './parse-options';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * Parses `text` (one YAML document, as `splitDocuments` cuts them) as `parseYamlDocument(text,
 * PARSE_OPTIONS)` of limits.ts does, or answers `undefined` when the text uses anything this
 * fast path does not handle (then that parse must be used).
 */
export function fastParseDocument(text: string): Document.Parsed | undefined {
  return fastParse(text)?.document;
}

/** What {@link fastParse} builds. */
export interface FastParse {
  document: Document.Parsed;
  /**
   * Its nodes (maps, sequences and scalars, keys included), as limits.ts `inspectDocument`
   * counts them: the document has no aliases and nests far less than the depth limit (both are
   * declined), so that walk has nothing else to find.
   */
  nodes: number;
}

/** {@link fastParseDocument}, with the document's node count. */
export function fastParse(text: string): FastParse | undefined {
  if (!textIsPlainBlockYaml(text)) return undefined;
  try {
    const parser = new FastParser(text, PARSE_OPTIONS);
    const document = parser.parse();
    return { document, nodes: parser.nodes };
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

/**
 * Collections nested deeper than this are left to `yaml`, whose handling of deep nesting
 * (RESOURCE_EXHAUSTION past its stack) limits.ts relies on. Real manifests nest about 20
 * deep, CRD schemas about 40; composing flow collections recurses once a level.
 */
const MAX_NESTING = 100;

/** Thrown (one shared instance, no stack trace to build) when the text leaves the subset. */
class Declined {}
const DECLINE = new Declined();

function decline(): never {
  throw DECLINE;
}

/**
 * Characters the fast path never handles anywhere: tabs (indentation rules and the Lexer's
 * tab handling in block scalars), a CR not followed by a line feed (the Lexer takes a lone CR
 * as white space in some places and as content in others), a byte-order mark past the first
 * character. So every CR the scanner sees ends a line, just before its `\n`.
 */
function textIsPlainBlockYaml(text: string): boolean {
  if (text.includes('\t') || text.indexOf('\ufeff', 1) !== -1) return false;
  for (let cr = text.indexOf('\r'); cr !== -1; cr = text.indexOf('\r', cr + 2)) {
    if (text.charCodeAt(cr + 1) !== NEWLINE) return false;
  }
  return true;
}

/**
 * Where the content of the line broken at `nl` (a `\n`, or -1 for the last line) ends: before
 * the `\r` of a CRLF. The Lexer's `getLine` cuts lines there, so a comment or a plain scalar
 * never includes the CR, which is the start of the newline token (`pushNewline`: source
 * `\r\n`); the comments `resolveProps` and `resolveEnd` join across lines take that source.
 */
function lineEndOf(text: string, nl: number): number {
  if (nl === -1) return text.length;
  return text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
}

/** The newline token of a line whose content ends at `eol` and whose `\n` is at `nl`. */
function newlineToken(eol: number, nl: number, indent: number): Token {
  return token('newline', eol, indent, eol === nl ? '\n' : '\r\n');
}

// ---------------------------------------------------------------------------------------------
// Tokens: the Lexer's, only where their placement matters (trivia lines, empty values).

type TokenType =
  | 'space'
  | 'newline'
  | 'comment'
  | 'doc-start'
  | 'map-value-ind'
  | 'comma'
  | 'flow-start'
  | 'flow-end';

/** A CST source token as the `yaml` Parser makes it (`indent` is its line's indentation). */
interface Token {
  type: TokenType;
  offset: number;
  indent: number;
  source: string;
}

function token(type: TokenType, offset: number, indent: number, source: string): Token {
  return { type, offset, indent, source };
}

const isTrivia = (t: Token): boolean =>
  t.type === 'space' || t.type === 'newline' || t.type === 'comment';

/** What `resolveProps` (compose/resolve-props.js) finds in a token list. */
interface Props {
  found: boolean;
  /** In a flow collection: a `,` came before the item. */
  comma: boolean;
  spaceBefore: boolean;
  comment: string;
  hasNewline: boolean;
  end: number;
}

/**
 * Port of `resolveProps` for the tokens the subset has (no anchors, tags or commas): comments
 * before a node join with `\n` (a blank line between two adds one more), a blank line before
 * any comment makes `spaceBefore` (not after a `-` indicator).
 */
function resolveProps(
  tokens: readonly Token[],
  indicator: 'doc-start' | 'map-value-ind' | 'seq-item-ind' | 'explicit-key-ind',
  offset: number,
  startOnNewline: boolean,
  flow = false,
): Props {
  let spaceBefore = false;
  let comma = false;
  let atNewline = startOnNewline;
  let hasSpace = startOnNewline;
  let comment = '';
  let commentSep = '';
  let hasNewline = false;
  let found = false;
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
        hasSpace = true;
        break;
      case 'comment': {
        if (!hasSpace) decline(); // MISSING_CHAR in `yaml`
        const cb = t.source.substring(1) || ' ';
        comment = comment ? comment + commentSep + cb : cb;
        commentSep = '';
        atNewline = false;
        break;
      }
      case 'newline':
        if (atNewline) {
          if (comment) comment += t.source;
          else if (!found || indicator !== 'seq-item-ind') spaceBefore = true;
        } else {
          commentSep += t.source;
        }
        atNewline = true;
        hasNewline = true;
        hasSpace = true;
        break;
      case 'comma':
        if (!flow || comma) decline(); // UNEXPECTED_TOKEN
        comma = true;
        atNewline = false;
        hasSpace = false;
        break;
      default:
        if (t.type !== indicator || found) decline();
        found = true;
        atNewline = false; // doc-start and map-value-ind only: `-` is never a token here
        hasSpace = false;
    }
  }
  const last = tokens[tokens.length - 1];
  const end = last ? last.offset + last.source.length : offset;
  return { found, comma, spaceBefore, comment, hasNewline, end };
}

/** Port of `resolveEnd` (compose/resolve-end.js): the comment after a node and its end. */
function resolveEnd(
  tokens: readonly Token[] | undefined,
  offset: number,
  requireSpace: boolean,
): { comment: string; offset: number } {
  let comment = '';
  if (tokens) {
    let hasSpace = false;
    let sep = '';
    for (const t of tokens) {
      switch (t.type) {
        case 'space':
          hasSpace = true;
          break;
        case 'comment': {
          if (requireSpace && !hasSpace) decline();
          const cb = t.source.substring(1) || ' ';
          comment = comment ? comment + sep + cb : cb;
          sep = '';
          break;
        }
        case 'newline':
          if (comment) sep += t.source;
          hasSpace = true;
          break;
        default:
          decline();
      }
      offset += t.source.length;
    }
  }
  return { comment, offset };
}

// ---------------------------------------------------------------------------------------------
// The CST-like state: open block collections and their items.

/** A collection item as the Parser builds it: `start` tokens, a key, `sep` tokens, a value. */
interface Item {
  /** Trivia before the item (before its key or `-`); {@link NO_TOKENS} when there are none. */
  start: Token[];
  /** Sequence items: the `-` was seen. */
  dash: boolean;
  /** Mapping items: the key, composed. */
  key: Scalar | null;
  /** Mapping items: the tokens from `:` to the value, or null when the value is on the line. */
  sep: Token[] | null;
  /** The value: on the line of its key or `-`, or a block collection composed when it closed. */
  value: Scalar | YAMLMap | YAMLSeq | null;
  /**
   * The value is a flow token (scalar or flow collection on its line), which has an `end` in
   * the CST: the more-indented comment lines after it are appended there (`absorbed`, see
   * `atIndentedComment` in parse/parser.js). A block scalar or collection has none.
   */
  hasEnd: boolean;
  /** Where the tokens after the value on its line start (spaces, comment, newline). */
  endFrom: number;
  absorbed: Token[] | null;
}

/** The empty `start` of most items, shared (never pushed to: see {@link FastParser.trivia}). */
const NO_TOKENS: Token[] = [];

interface Frame {
  kind: 'map' | 'seq';
  indent: number;
  offset: number;
  items: Item[];
}

function newItem(start: Token[]): Item {
  return {
    start,
    dash: false,
    key: null,
    sep: null,
    value: null,
    hasEnd: false,
    endFrom: 0,
    absorbed: null,
  };
}

const hasValue = (item: Item): boolean => item.value !== null;
/** A mapping item whose `key:` has no value yet (a nested collection or an empty value). */
const isPending = (item: Item): boolean => item.sep !== null && !hasValue(item);
/** An item of trivia only (comments, blank lines) that no key or `-` has claimed yet. */
const isStartOnly = (item: Item): boolean => item.key === null && !item.dash;

// ---------------------------------------------------------------------------------------------
// Flow collections: the CST the Parser builds for them, and its rules (parse/parser.js).

/** A scalar token in a flow collection; `end` holds what follows it as a pair's value. */
interface FlowScalar {
  kind: 'scalar';
  type: ScalarType;
  offset: number;
  length: number;
  value: string;
  end: Token[] | null;
}

interface FlowItem {
  start: Token[];
  key?: FlowScalar | FlowCollection | null;
  sep?: Token[];
  value?: FlowScalar | FlowCollection;
}

interface FlowCollection {
  kind: 'flow';
  offset: number;
  isMap: boolean;
  items: FlowItem[];
  /** The closing bracket, then what follows it on its line. */
  end: Token[];
  /** Composed with a comment from inside (trivia before its closing bracket). */
  innerComment: boolean;
}

type FlowNode = FlowScalar | FlowCollection;

function newFlowCollection(offset: number, isMap: boolean): FlowCollection {
  return { kind: 'flow', offset, isMap, items: [], end: [], innerComment: false };
}

const isToken = (t: Token | FlowNode): t is Token => !('kind' in t);

/** The Parser's `flowCollection` and `scalar`/`lineEnd` steps for one token. */
function flowStep(stack: FlowNode[], t: Token | FlowNode): void {
  const top = stack[stack.length - 1] ?? decline();
  const type = isToken(t) ? t.type : t.kind;
  if (top.kind === 'scalar' || top.end.length > 0) {
    // A pair's value scalar, or a closed collection: `lineEnd`.
    if (type === 'comma' || type === 'flow-end' || type === 'map-value-ind') {
      flowPop(stack);
      flowStep(stack, t);
      return;
    }
    if (!isToken(t)) decline(); // a node right after a node: an error
    if (top.kind === 'scalar') (top.end ??= []).push(t);
    else top.end.push(t);
    if (t.type === 'newline') flowPop(stack);
    return;
  }
  const items = top.items;
  const it = items[items.length - 1];
  if (!isToken(t)) {
    if (t.kind === 'flow') {
      stack.push(t); // startBlockValue: a nested collection
      return;
    }
    if (!it || it.value) items.push({ start: [], key: t, sep: [] });
    else if (it.sep) stack.push(t);
    else {
      it.key = t;
      it.sep = [];
    }
    return;
  }
  switch (t.type) {
    case 'comma':
      if (!it || it.sep) items.push({ start: [t] });
      else it.start.push(t);
      return;
    case 'map-value-ind':
      if (!it || it.value) items.push({ start: [], key: null, sep: [t] });
      else if (it.sep) it.sep.push(t);
      else {
        it.key = null;
        it.sep = [t];
      }
      return;
    case 'space':
    case 'comment':
    case 'newline':
      if (!it || it.value) items.push({ start: [t] });
      else if (it.sep) it.sep.push(t);
      else it.start.push(t);
      return;
    case 'flow-end':
      top.end.push(t);
      return;
    default:
      decline();
  }
}

/** The Parser's `pop` into a flow collection (with `fixFlowSeqItems` for a collection). */
function flowPop(stack: FlowNode[]): void {
  const t = stack.pop() ?? decline();
  if (t.kind === 'flow') fixFlowSeqItems(t);
  const top = stack[stack.length - 1];
  if (!top || top.kind !== 'flow') return decline();
  const it = top.items[top.items.length - 1];
  if (!it || it.value) top.items.push({ start: [], key: t, sep: [] });
  else if (it.sep) it.value = t;
  else {
    it.key = t;
    it.sep = [];
  }
}

/**
 * `fixFlowSeqItems`: in a flow sequence, an item the Parser took for a key without `:` is a
 * value, and the tokens after it (its `sep`) move to its `end` (or its `start`).
 */
function fixFlowSeqItems(fc: FlowCollection): void {
  if (fc.isMap) return;
  for (const it of fc.items) {
    if (it.sep && !it.value && !it.sep.some((t) => t.type === 'map-value-ind')) {
      if (it.key) it.value = it.key;
      delete it.key;
      const value = it.value;
      if (value) {
        pushAll(value.kind === 'scalar' ? (value.end ??= []) : value.end, it.sep);
      } else {
        pushAll(it.start, it.sep);
      }
      delete it.sep;
    }
  }
}

/**
 * Appends `source` to `target` one by one: a spread of a long run of blank lines would pass
 * the limit of a call's arguments (`arrayPushArray` in parse/parser.js says the same).
 */
function pushAll(target: Token[], source: readonly Token[]): void {
  for (const t of source) target.push(t);
}

/** The flow indicators (`flowIndicatorChars` of parse/lexer.js). */
const FLOW_INDICATORS = new Set([...',[]{}']);

/** The end, white space (`isEmpty` of parse/lexer.js; no tabs here) or a flow indicator. */
function isEmptyOrFlow(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\n' || ch === '\r' || FLOW_INDICATORS.has(ch);
}

// ---------------------------------------------------------------------------------------------
// Scalars, resolved through the schema's own tags as compose/compose-scalar.js does.

const SCALAR_TAG = Symbol.for('yaml.scalar');

/**
 * The tag `findScalarTagByTest` picks for a plain scalar depends on its text only (the tags'
 * tests are fixed regular expressions): it is remembered per text while the schema's tag list
 * holds the same tags, which saves running a dozen regular expressions per scalar.
 */
class TagCache {
  private tags: readonly unknown[] = [];
  private readonly values = new Map<string, ScalarTag>();
  private readonly keys = new Map<string, ScalarTag>();
  /** Whether {@link TAG_FIRST_CHARS} holds for the tags: each is one of {@link KNOWN_TESTS}. */
  private gated = false;
  private static readonly MAX_ENTRIES = 20_000;

  /** Called once per document, before {@link find}: forgets all if the tags changed. */
  useTagsOf(schema: Schema): void {
    const tags = schema.tags;
    const known = this.tags;
    if (known.length === tags.length && known.every((tag, i) => tag === tags[i])) return;
    this.tags = [...tags];
    this.values.clear();
    this.keys.clear();
    // A tag without a test never matches (`tag.test?.test(value)`).
    this.gated = tags.every((tag) => {
      const test = 'test' in tag ? tag.test : undefined;
      return !tag.default || !test || KNOWN_TESTS.has(String(test));
    });
  }

  /**
   * Whether the tag of a text is surely the string tag, by its first character and length:
   * most scalars (names, images, keys) start with a letter no tag's test accepts first, or
   * are longer than `null`, `false` and the like.
   */
  isSurelyString(value: string): boolean {
    const first = value.charCodeAt(0);
    return this.gated && first < 128 && value.length > (TAG_FIRST_CHARS[first] ?? 255);
  }

  find(schema: Schema, value: string, atKey: boolean): ScalarTag {
    const cache = atKey ? this.keys : this.values;
    let tag = cache.get(value);
    if (!tag) {
      tag = findScalarTagByTest(schema, value, atKey);
      if (cache.size >= TagCache.MAX_ENTRIES) cache.clear();
      cache.set(value, tag);
    }
    return tag;
  }
}

const tagCache = new TagCache();

/**
 * The tests of the default scalar tags of YAML 1.1 in `yaml` (schema/yaml-1.1/*.js) with the
 * first characters a text they accept can have, and its longest length (0: any). Derived by
 * reading each expression; the gate is only used while every default tag's test is one of
 * these, character for character.
 */
const KNOWN_TESTS = new Map<string, { first: string; longest: number }>([
  ['/^(?:~|[Nn]ull|NULL)?$/', { first: '~Nn', longest: 4 }], // null (and '', never gated)
  ['/^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/', { first: 'YyTtOo', longest: 4 }],
  ['/^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/', { first: 'NnFfOo', longest: 5 }],
  ['/^[-+]?0b[0-1_]+$/', { first: '-+0', longest: 0 }],
  ['/^[-+]?0[0-7_]+$/', { first: '-+0', longest: 0 }],
  ['/^[-+]?[0-9][0-9_]*$/', { first: '-+0123456789', longest: 0 }],
  ['/^[-+]?0x[0-9a-fA-F_]+$/', { first: '-+0', longest: 0 }],
  ['/^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$/', { first: '-+.', longest: 5 }],
  [
    '/^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$/',
    { first: '-+.0123456789eE', longest: 0 },
  ],
  ['/^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*$/', { first: '-+.0123456789', longest: 0 }],
  ['/^<<$/', { first: '<', longest: 2 }], // merge, a key only
]);
/**
 * For each ASCII character: 0 when no text starting with it passes a test of
 * {@link KNOWN_TESTS}, else the longest such text (255: any length).
 */
const TAG_FIRST_CHARS = new Uint8Array(128);
for (const { first, longest } of KNOWN_TESTS.values()) {
  for (const c of first) {
    const code = c.charCodeAt(0);
    TAG_FIRST_CHARS[code] = Math.max(TAG_FIRST_CHARS[code] ?? 0, longest === 0 ? 255 : longest);
  }
}

/** `findScalarTagByTest` of compose/compose-scalar.js (the schema has no `compat` tags). */
function findScalarTagByTest(schema: Schema, value: string, atKey: boolean): ScalarTag {
  for (const tag of schema.tags) {
    if (tag.default !== true && !(atKey && tag.default === 'key')) continue;
    const test = 'test' in tag ? tag.test : undefined;
    if (test?.test(value)) return tag as ScalarTag;
  }
  return stringTag(schema);
}

function stringTag(schema: Schema): ScalarTag {
  const tag = (schema as unknown as Record<symbol, ScalarTag | undefined>)[SCALAR_TAG];
  return tag ?? decline();
}

type ScalarType = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';

// ---------------------------------------------------------------------------------------------
// Characters.

const SPACE = 0x20;
const NEWLINE = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

/** First characters a plain scalar cannot have here (indicators, or `yaml` reports an error). */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`']);
/** 1 for the ASCII characters {@link isPlainStart} must look at (those above, `-` `?` `:`). */
const NOT_PLAIN_START_CODES = new Uint8Array(128);
for (const c of [...NOT_PLAIN_START, '-', '?', ':']) NOT_PLAIN_START_CODES[c.charCodeAt(0)] = 1;

const ESCAPES = new Map<string, string>([
  ['0', '\0'],
  ['a', '\x07'],
  ['b', '\b'],
  ['e', '\x1b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['v', '\v'],
  ['N', '\u0085'],
  ['_', '\u00a0'],
  ['L', '\u2028'],
  ['P', '\u2029'],
  [' ', ' '],
  ['"', '"'],
  ['/', '/'],
  ['\\', '\\'],
]);

// ---------------------------------------------------------------------------------------------

type DirectivesLike = NonNullable<Document['directives']>;
/** `yaml` exports no Directives class; a fresh Document has one, and its constructor is it. */
const Directives = (new Document().directives as DirectivesLike).constructor as new (yaml: {
  version: '1.1' | '1.2';
}) => DirectivesLike;

/**
 * The next occurrence of a string in the text from an offset, remembered: the offsets asked
 * grow as lines are read, so the text is searched once in all (a search per line that ran on
 * to the end of the text would make the scan quadratic).
 */
class NextOccurrence {
  private searchedFrom = Infinity;
  private found = -1;

  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}

  from(offset: number): number {
    if (offset < this.searchedFrom || (this.found !== -1 && this.found < offset)) {
      this.found = this.text.indexOf(this.needle, offset);
      this.searchedFrom = offset;
    }
    return this.found;
  }
}

const schemas = new WeakMap<Options, Schema>();

/**
 * The schema of the fast path's documents: one per options object, shared, since building one
 * is a third of the cost of a small document. Indistinguishable from one each: equal in every
 * field, and `yaml` only ever changes a schema while composing an explicit tag (it adds the
 * tag's definition), which a document of the fast path never has.
 */
function sharedSchema(options: Options): Schema {
  let schema = schemas.get(options);
  if (!schema) {
    schema = new Document(undefined, options).schema;
    schemas.set(options, schema);
  }
  return schema;
}

class FastParser {
  private readonly document: Document.Parsed;
  private readonly schema: Schema;
  private readonly stringTag: ScalarTag;
  /** Comment and newline sources before the document, as the Composer's `prelude`. */
  private readonly prelude: string[] = [];
  /** The document token's `start` (the `---` line and trivia before the root). */
  private readonly docStart: Token[] = [];
  private docEnd: Token[] | undefined;
  private docOffset = -1;
  private readonly stack: Frame[] = [];
  private root: YAMLMap | YAMLSeq | null = null;
  /** The nodes built, each of which ends in the document (see {@link FastParse.nodes}). */
  nodes = 0;
  /** The root is a flow collection: trivia after it go to the document's `end`, then on. */
  private rootIsFlow = false;
  /** After a flow root's `end` line: comments and newlines, as the next prelude. */
  private readonly postlude: string[] = [];
  private docEndClosed = false;
  private pos = 0;
  /** Where the next ` #` and `: ` are (keys and plain scalars end there). */
  private readonly spaceHash: NextOccurrence;
  private readonly colonSpace: NextOccurrence;

  constructor(
    private readonly text: string,
    options: Options,
  ) {
    if (
      options.uniqueKeys !== false ||
      options.stringKeys ||
      options.keepSourceTokens ||
      options.strict === false
    ) {
      decline();
    }
    // As Composer (compose/composer.js) and composeDoc (compose/compose-doc.js) make it,
    // with the schema shared (see sharedSchema).
    const directives = new Directives({ version: options.version === '1.1' ? '1.1' : '1.2' });
    if (options.version !== '1.1' && options.version !== '1.2') decline();
    const schema = sharedSchema(options);
    this.document = new Document(undefined, {
      _directives: directives,
      ...options,
      schema,
    } as Options) as unknown as Document.Parsed;
    // The Document keeps its options; `yaml`'s has no `schema` among them.
    delete (this.document.options as { schema?: unknown }).schema;
    this.schema = this.document.schema;
    if (this.schema !== schema) decline();
    this.spaceHash = new NextOccurrence(text, ' #');
    this.colonSpace = new NextOccurrence(text, ': ');
    if (this.schema.compat) decline();
    tagCache.useTagsOf(this.schema);
    this.stringTag = stringTag(this.schema);
  }

  parse(): Document.Parsed {
    // A byte-order mark first is a token of its own, which the Composer skips (parseStream).
    // The Parser counts no indentation on its line then (its `atNewLine` is false after it):
    // only a line that starts at its column 0 with no indicator is taken.
    if (this.text.charCodeAt(0) === 0xfeff) {
      const next = this.text.charCodeAt(1);
      const after = this.text.charCodeAt(2);
      if (next === SPACE) decline();
      if ((next === DASH || next === 0x3f || next === COLON) && !(after > SPACE)) decline();
      this.pos = 1;
    }
    this.readHeader();
    while (this.pos < this.text.length) this.readLine();
    while (this.stack.length > 0) this.close();
    return this.finishDocument();
  }

  // -- Lines ----------------------------------------------------------------------------------

  /**
   * Lines before the document's content: blank lines and comments go to the Composer's
   * prelude (stream level), then a `---` line opens the document (parse/lexer.js
   * `parseStream`); without one, the first content line does.
   */
  private readHeader(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const start = this.pos;
      const nl = text.indexOf('\n', start);
      const eol = lineEndOf(text, nl);
      const next = nl === -1 ? text.length : nl + 1;
      let i = start;
      while (text.charCodeAt(i) === SPACE) i++;
      if (i === eol || text.charCodeAt(i) === HASH) {
        if (i < eol) this.prelude.push(text.slice(i, eol));
        if (nl !== -1) this.prelude.push(text.slice(eol, next));
        this.pos = next;
        continue;
      }
      if (i === start && text.startsWith('---', i) && this.isLineEndAt(i + 3, eol)) {
        this.docOffset = start;
        this.docStart.push(token('doc-start', start, 0, '---'));
        this.pushLineEnd(this.docStart, i + 3, eol, nl, 0);
        this.pos = next;
      } else {
        this.docOffset = start;
      }
      return;
    }
    decline(); // no content: an empty document
  }

  /** Spaces then the line's end, or a comment after at least one space. */
  private isLineEndAt(i: number, eol: number): boolean {
    return i === eol || this.text.charCodeAt(i) === SPACE;
  }

  /**
   * The tokens from `from` to the end of the line: spaces, a comment (after a space, or
   * `yaml` reports MISSING_CHAR), the newline. Anything else on the line is declined.
   */
  private pushLineEnd(into: Token[], from: number, eol: number, nl: number, indent: number): void {
    const text = this.text;
    let i = from;
    while (text.charCodeAt(i) === SPACE) i++;
    if (i > from) into.push(token('space', from, indent, text.slice(from, i)));
    if (i < eol) {
      if (text.charCodeAt(i) !== HASH || i === from) decline();
      into.push(token('comment', i, indent, text.slice(i, eol)));
    }
    if (nl !== -1) into.push(newlineToken(eol, nl, indent));
  }

  private readLine(): void {
    const text = this.text;
    const start = this.pos;
    const nl = text.indexOf('\n', start);
    const eol = lineEndOf(text, nl);
    const next = nl === -1 ? text.length : nl + 1;
    let i = start;
    while (text.charCodeAt(i) === SPACE) i++;
    const indent = i - start;
    if (i === eol || text.charCodeAt(i) === HASH) {
      // A blank or comment line: space, comment and newline tokens.
      if (indent > 0) this.trivia(token('space', start, indent, text.slice(start, i)));
      if (i < eol) this.trivia(token('comment', i, indent, text.slice(i, eol)));
      if (nl !== -1) this.trivia(newlineToken(eol, nl, indent));
      this.pos = next;
      return;
    }
    if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i))) {
      if (i + 3 === eol || text.charCodeAt(i + 3) === SPACE) decline(); // a marker line
    }
    if (indent > 0) this.indentation(start, indent);
    const ch = text.charCodeAt(i);
    if ((ch === 0x5b || ch === 0x7b) && this.stack.length === 0 && !this.root) {
      this.rootFlowCollection(i); // `[` or `{`: the whole document is a flow collection
      return;
    }
    if (ch === DASH && (i + 1 === eol || text.charCodeAt(i + 1) === SPACE)) {
      this.pos = this.sequenceItemLine(i, indent, eol, nl);
    } else {
      this.pos = this.keyLine(i, indent, eol, nl);
    }
  }

  /**
   * A trivia token (space, comment, newline) goes where parse/parser.js puts it: `blockMap`
   * and `blockSequence` (cases newline, space, comment), or `document` before the root.
   */
  private trivia(t: Token): void {
    const frame = this.stack[this.stack.length - 1];
    if (!frame) {
      if (this.root) this.afterFlowRoot(t);
      else this.docStart.push(t);
      return;
    }
    const items = frame.items;
    const it = items[items.length - 1] as Item;
    if (t.type === 'newline') {
      if (hasValue(it)) {
        // After a comment appended to a flow value's `end`, its newline goes there too.
        const absorbed = it.absorbed;
        if (absorbed && absorbed[absorbed.length - 1]?.type === 'comment') absorbed.push(t);
        else items.push(newItem([t]));
      } else if (it.sep) {
        it.sep.push(t);
      } else {
        if (it.start === NO_TOKENS) decline();
        it.start.push(t);
      }
      return;
    }
    if (hasValue(it)) {
      items.push(newItem([t]));
      return;
    }
    if (it.sep) {
      it.sep.push(t);
      return;
    }
    // `atIndentedComment`: a comment more indented than the collection, after blank lines
    // only, continues the previous flow value's `end` (its comment).
    if (t.type === 'comment' && t.indent > frame.indent && isStartOnly(it)) {
      const prev = items[items.length - 2];
      if (prev?.hasEnd && it.start.every((s) => s.type === 'newline' || s.type === 'space')) {
        prev.absorbed ??= [];
        pushAll(prev.absorbed, it.start);
        prev.absorbed.push(t);
        items.pop();
        return;
      }
    }
    if (it.start === NO_TOKENS) decline(); // cannot happen: only trivia items take trivia
    it.start.push(t);
  }

  /**
   * Trivia after a flow collection at the root: the Parser's `lineEnd` of the document puts
   * them in its `end` up to the first newline, which completes the document; after it they are
   * stream tokens, whose comments the Composer adds to the document's comment (`decorate`
   * with `afterDoc`).
   */
  private afterFlowRoot(t: Token): void {
    if (!this.rootIsFlow) decline(); // after a block root closed: not the subset
    if (!this.docEndClosed) {
      (this.docEnd ??= []).push(t);
      if (t.type === 'newline') this.docEndClosed = true;
    } else if (t.type !== 'space') {
      this.postlude.push(t.source);
    }
  }

  /** A document that is one flow collection (JSON, or flow-style YAML). */
  private rootFlowCollection(i: number): void {
    const fc = this.lexAndParseFlow(i, false);
    const text = this.text;
    const nl = text.indexOf('\n', this.pos);
    // The rest of its last line is its `end` (`lineEnd`), up to and with the newline.
    this.pushLineEnd(fc.end, this.pos, lineEndOf(text, nl), nl, 0);
    this.root = this.composeFlow(fc);
    this.rootIsFlow = true;
    this.pos = nl === -1 ? text.length : nl + 1;
  }

  /**
   * The indentation of a content line is a space token too. After a value with no trivia
   * pending it would only open an item of one space, which no rule of `yaml` reads (it is
   * claimed by the next key or `-`, or moved up when collections close): skipped there.
   */
  private indentation(start: number, indent: number): void {
    const frame = this.stack[this.stack.length - 1];
    const it = frame?.items[frame.items.length - 1];
    if (it && hasValue(it)) return;
    this.trivia(token('space', start, indent, this.text.slice(start, start + indent)));
  }

  // -- Structure ------------------------------------------------------------------------------

  /**
   * Closes the collections a content line at `indent` ends (`yield* this.pop()` in parse/
   * parser.js `blockMap` and `blockSequence`): a mapping more indented than the line, a
   * sequence unless the line is a `-` at its column.
   */
  private closeFor(indent: number, isDash: boolean): void {
    for (;;) {
      const frame = this.stack[this.stack.length - 1];
      if (!frame) return;
      if (frame.kind === 'map') {
        if (indent >= frame.indent) return;
      } else {
        if (indent > frame.indent) decline(); // content under a finished item
        if (indent === frame.indent && isDash) return;
      }
      this.close();
    }
  }

  /** A line `- …` at column `indent` (offset `i`). Returns the offset of the next line. */
  private sequenceItemLine(i: number, indent: number, eol: number, nl: number): number {
    this.closeFor(indent, true);
    const frame = this.stack[this.stack.length - 1];
    let seq: Frame;
    if (!frame) {
      if (this.root) decline();
      seq = this.open('seq', indent, i);
    } else if (frame.kind === 'seq') {
      seq = frame;
    } else {
      // A sequence as the value of a pending `key:`, at its column or deeper.
      const it = frame.items[frame.items.length - 1] as Item;
      if (!isPending(it)) decline();
      seq = this.open('seq', indent, i);
    }
    const last = seq.items[seq.items.length - 1];
    const item = last && isStartOnly(last) ? last : newItem(NO_TOKENS);
    if (item !== last) seq.items.push(item);
    item.dash = true;

    // The item's content, after `- ` on the same line.
    const text = this.text;
    let j = i + 1;
    while (text.charCodeAt(j) === SPACE) j++;
    if (j === eol || text.charCodeAt(j) === HASH) decline(); // `-` alone: not the subset
    const lineStart = i - indent;
    const keyColon = this.findKeyColon(j, eol);
    if (keyColon !== -1) {
      // `- key: value`: a compact mapping at the key's column.
      const map = this.open('map', j - lineStart, j);
      const first = newItem(NO_TOKENS);
      map.items.push(first);
      return this.keyAndValue(first, map, j, keyColon, eol, nl);
    }
    if (text.charCodeAt(j) === DASH && (j + 1 === eol || text.charCodeAt(j + 1) === SPACE)) {
      decline(); // `- - a`
    }
    return this.inlineValue(item, j, eol, nl, seq);
  }

  /** A line `key: …` at column `indent` (offset `i`). Returns the offset of the next line. */
  private keyLine(i: number, indent: number, eol: number, nl: number): number {
    const colon = this.findKeyColon(i, eol);
    this.closeFor(indent, false);
    const frame = this.stack[this.stack.length - 1];
    if (colon === -1) return this.nextLineValue(frame, i, indent, eol, nl);
    let map: Frame;
    let item: Item;
    if (!frame) {
      if (this.root) decline();
      map = this.open('map', indent, i);
      item = newItem(NO_TOKENS);
      map.items.push(item);
    } else if (frame.kind === 'seq') {
      return decline();
    } else {
      const it = frame.items[frame.items.length - 1] as Item;
      if (indent > frame.indent) {
        // The first key of a mapping below a pending `key:`.
        if (!isPending(it)) decline();
        map = this.open('map', indent, i);
        item = newItem(NO_TOKENS);
        map.items.push(item);
      } else {
        map = frame;
        if (hasValue(it)) {
          item = newItem(NO_TOKENS);
          map.items.push(item);
        } else if (it.sep) {
          // An empty value: trivia after its first newline start the next item
          // (`blockMap`, "For empty nodes, assign newline-separated not indented empty tokens
          // to following node").
          item = newItem(splitEmptyValueTrivia(it.sep, map.indent));
          map.items.push(item);
        } else {
          item = it;
        }
      }
    }
    return this.keyAndValue(item, map, i, colon, eol, nl);
  }

  /**
   * A scalar alone on its line: the value of a pending `key:` above it, more indented (the
   * Parser pushes it as the item's value; its `sep` keeps the line break and trivia).
   */
  private nextLineValue(
    frame: Frame | undefined,
    i: number,
    indent: number,
    eol: number,
    nl: number,
  ): number {
    if (!frame || frame.kind !== 'map' || indent <= frame.indent) return decline();
    const item = frame.items[frame.items.length - 1] as Item;
    if (!isPending(item)) decline();
    const ch = this.text[i] as string;
    if (ch === '"' || ch === "'") {
      const close = this.closingQuote(i, eol);
      if (close === -1) decline();
      const node = this.quoted(i, close);
      this.lineEnd(node, close + 1, eol, nl);
      item.value = node;
      item.hasEnd = true;
      item.endFrom = close + 1;
      return nl === -1 ? this.text.length : nl + 1;
    }
    if (ch === '[' || ch === '{' || ch === '|' || ch === '>') decline();
    return this.plainValue(item, i, eol, nl, frame);
  }

  private open(kind: 'map' | 'seq', indent: number, offset: number): Frame {
    if (this.stack.length >= MAX_NESTING) decline();
    const frame: Frame = { kind, indent, offset, items: [] };
    this.stack.push(frame);
    return frame;
  }

  /**
   * Closes the innermost collection: the Parser's `pop` (trailing trivia move to the parent
   * when no comment in them is as indented as the collection, or it is at column 0), then the
   * Composer's `resolveBlockMap` / `resolveBlockSeq`.
   */
  private close(): void {
    const frame = this.stack.pop() as Frame;
    const last = frame.items[frame.items.length - 1];
    let moved: Item | undefined;
    if (
      last &&
      isStartOnly(last) &&
      !last.sep &&
      last.start.length > 0 &&
      last.start.every(isTrivia) &&
      (frame.indent === 0 ||
        last.start.every((t) => t.type !== 'comment' || t.indent < frame.indent))
    ) {
      moved = frame.items.pop();
    }
    const node = frame.kind === 'map' ? this.composeMap(frame) : this.composeSeq(frame);
    const parent = this.stack[this.stack.length - 1];
    if (!parent) {
      this.root = node;
      if (moved) this.docEnd = moved.start;
      return;
    }
    const it = parent.items[parent.items.length - 1] as Item;
    if (hasValue(it) || (parent.kind === 'map' ? !it.sep : !it.dash)) decline();
    it.value = node;
    if (moved) parent.items.push(moved);
  }

  // -- Keys and values ------------------------------------------------------------------------

  /**
   * The offset of the `:` that ends an implicit key starting at `i` (a `:` followed by a space
   * or the line's end, outside quotes), or -1 when the line holds no key.
   */
  private findKeyColon(i: number, eol: number): number {
    const text = this.text;
    const ch = text[i] as string;
    if (ch === '"' || ch === "'") {
      const close = this.closingQuote(i, eol);
      if (close === -1) return -1;
      let after = close + 1;
      while (text.charCodeAt(after) === SPACE) after++;
      if (
        text.charCodeAt(after) === COLON &&
        (after + 1 === eol || text.charCodeAt(after + 1) === SPACE)
      ) {
        return after;
      }
      return -1;
    }
    // Before a comment (` #`), the first `: `, or a `:` ending the line.
    const hash = this.spaceHash.from(i);
    const limit = hash !== -1 && hash < eol ? hash : eol;
    const colon = this.colonSpace.from(i);
    if (colon !== -1 && colon < limit) return colon;
    return limit === eol && eol > i && text.charCodeAt(eol - 1) === COLON ? eol - 1 : -1;
  }

  /** The key from `i` to `colon`, and what follows the `:`. */
  private keyAndValue(
    item: Item,
    map: Frame,
    i: number,
    colon: number,
    eol: number,
    nl: number,
  ): number {
    const text = this.text;
    // Spaces between the key and `:` are not the key's (`key :`): they start its `sep`.
    let keyEnd = colon;
    while (text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
    item.key = this.keyScalar(i, keyEnd);
    let k = colon + 1;
    while (text.charCodeAt(k) === SPACE) k++;
    if (k === eol || text.charCodeAt(k) === HASH) {
      // `key:` with nothing (or a comment) after it: the value comes on later lines.
      const sep = [token('map-value-ind', colon, map.indent, ':')];
      if (keyEnd < colon)
        sep.unshift(token('space', keyEnd, map.indent, text.slice(keyEnd, colon)));
      this.pushLineEnd(sep, colon + 1, eol, nl, map.indent);
      item.sep = sep;
      return nl === -1 ? text.length : nl + 1;
    }
    return this.inlineValue(item, k, eol, nl, map);
  }

  /** The key from `i` to `end` (its last character, before any spaces and the `:`). */
  private keyScalar(i: number, end: number): Scalar {
    const text = this.text;
    const ch = text[i] as string;
    if (end - i > 1000) decline(); // KEY_OVER_1024_CHARS in strict mode, near enough
    if (ch === '"' || ch === "'") {
      const value = ch === '"' ? this.doubleQuoted(i, end - 1) : singleQuoted(text, i, end - 1);
      return this.scalar(value, ch === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', i, end, false);
    }
    const source = text.slice(i, end);
    if (end === i || !isPlainStart(text, i, end) || source === '<<') decline();
    return this.scalar(source, 'PLAIN', i, end, true);
  }

  /**
   * A value on the line of its key or `-`: a scalar, a flow collection or a block scalar, set
   * on `item`. Returns the offset of the line after it.
   */
  private inlineValue(item: Item, k: number, eol: number, nl: number, owner: Frame): number {
    const text = this.text;
    const ch = text[k] as string;
    if (ch === '|' || ch === '>') return this.blockScalar(item, k, eol, nl, owner);
    let node: Scalar | YAMLMap | YAMLSeq;
    let valueEnd: number;
    if (ch === '"' || ch === "'") {
      const close = this.closingQuote(k, eol);
      if (close === -1) decline(); // multi-line or unterminated
      valueEnd = close + 1;
      node = this.quoted(k, close);
    } else if (ch === '[' || ch === '{') {
      node = this.flowCollection(k);
      valueEnd = (node.range as number[])[1] as number;
    } else {
      return this.plainValue(item, k, eol, nl, owner);
    }
    this.lineEnd(node, valueEnd, eol, nl);
    item.value = node;
    item.hasEnd = true;
    item.endFrom = valueEnd;
    return nl === -1 ? text.length : nl + 1;
  }

  /**
   * A plain scalar value from `k`, on one line or more (its continuation lines are more
   * indented than its owner's column: the Lexer's `indentNext`). Returns the next line.
   */
  private plainValue(item: Item, k: number, eol: number, nl: number, owner: Frame): number {
    const text = this.text;
    let end = this.plainEnd(k, eol);
    let lastEol = eol;
    let lastNl = nl;
    let j = end;
    while (text.charCodeAt(j) === SPACE) j++;
    if (j === eol) {
      // No comment on the line: the scalar goes on while lines are indented enough.
      for (let line = nl + 1; nl !== -1 && line < text.length;) {
        let s = line;
        while (text.charCodeAt(s) === SPACE) s++;
        const first = text.charCodeAt(s);
        if (first === NEWLINE || first === CR) {
          // A blank line: part of the scalar if more text follows.
          line = s + (first === CR ? 2 : 1);
          continue;
        }
        if (Number.isNaN(first) || s - line <= owner.indent || first === HASH) break;
        const lineNl = text.indexOf('\n', s);
        const lineEol = lineEndOf(text, lineNl);
        end = this.continuationEnd(s, lineEol);
        lastEol = lineEol;
        lastNl = lineNl;
        if (lineNl === -1) break;
        line = lineNl + 1;
      }
    }
    if (!isPlainStart(text, k, end)) decline();
    const source = text.slice(k, end);
    const node = this.scalar(
      lastEol === eol ? source : unfoldLines(source),
      'PLAIN',
      k,
      end,
      false,
    );
    this.lineEnd(node, end, lastEol, lastNl);
    item.value = node;
    item.hasEnd = true;
    item.endFrom = end;
    return lastNl === -1 ? text.length : lastNl + 1;
  }

  /**
   * The end of a continuation line of a plain scalar (from its first non-space `s`). A `: `
   * (an implicit key: an error) or ` #` (a comment ending the scalar) on it is declined.
   */
  private continuationEnd(s: number, eol: number): number {
    const text = this.text;
    let end = s;
    for (let c = s; c < eol; c++) {
      const code = text.charCodeAt(c);
      if (code === SPACE) {
        if (text.charCodeAt(c + 1) === HASH) decline();
      } else {
        if (code === COLON && (c + 1 === eol || text.charCodeAt(c + 1) === SPACE)) decline();
        end = c + 1;
      }
    }
    return end;
  }

  /**
   * The rest of a value's line is its `end` (parse/parser.js `lineEnd`): spaces, a comment
   * (after a space, else MISSING_CHAR) and the newline, which `resolveEnd` turns into the
   * node's `comment` and the end of its range. Done here without making the tokens.
   */
  private lineEnd(node: Scalar | YAMLMap | YAMLSeq, from: number, eol: number, nl: number): void {
    const text = this.text;
    let i = from;
    while (text.charCodeAt(i) === SPACE) i++;
    if (i < eol) {
      if (text.charCodeAt(i) !== HASH || i === from) decline();
      const comment = text.slice(i + 1, eol) || ' ';
      // A flow collection may have a comment from inside already (resolveFlowCollection).
      node.comment = node.comment ? `${node.comment}\n${comment}` : comment;
    }
    (node.range as [number, number, number])[2] = nl === -1 ? eol : nl + 1;
  }

  private quoted(q: number, close: number): Scalar {
    const double = this.text.charCodeAt(q) === 0x22;
    const value = double ? this.doubleQuoted(q, close) : singleQuoted(this.text, q, close);
    return this.scalar(value, double ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', q, close + 1, false);
  }

  /**
   * The end of a one-line plain scalar value starting at `k`: before ` #` or the line's end,
   * trailing spaces excluded (parse/lexer.js `parsePlainScalar`). A `: ` inside (a compact
   * nested mapping, an error) is declined.
   */
  private plainEnd(k: number, eol: number): number {
    const text = this.text;
    const hash = this.spaceHash.from(k);
    const stop = hash !== -1 && hash < eol ? hash : eol;
    const colon = this.colonSpace.from(k);
    if (colon !== -1 && colon < stop) decline();
    if (stop === eol && text.charCodeAt(eol - 1) === COLON) decline();
    let end = stop;
    while (end > k && text.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  /**
   * Composes a scalar as compose/compose-scalar.js does: plain scalars through the schema's
   * tags (found by test), quoted and block scalars as strings.
   */
  private scalar(
    value: string,
    type: ScalarType,
    start: number,
    end: number,
    atKey: boolean,
  ): Scalar {
    const tag =
      type !== 'PLAIN' || (value.length > 0 && tagCache.isSurelyString(value))
        ? this.stringTag
        : tagCache.find(this.schema, value, atKey);
    const resolved = tag.resolve(value, decline, this.document.options);
    const scalar = isScalar(resolved) ? resolved : new Scalar(resolved);
    this.nodes++;
    scalar.range = [start, end, end];
    scalar.source = value;
    scalar.type = type;
    if (tag.format) scalar.format = tag.format;
    return scalar;
  }

  /**
   * The offset of the quote that closes the one at `q` on the same line (parse/lexer.js
   * `parseQuotedScalar`: `''` escapes in single quotes, an odd run of `\` in double), or -1.
   */
  private closingQuote(q: number, eol: number): number {
    const text = this.text;
    const quote = text[q] as string;
    let end = text.indexOf(quote, q + 1);
    if (quote === "'") {
      while (end !== -1 && text[end + 1] === "'") end = text.indexOf("'", end + 2);
    } else {
      while (end !== -1) {
        let n = 0;
        while (text[end - 1 - n] === '\\') n += 1;
        if (n % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
    }
    return end === -1 || end >= eol ? -1 : end;
  }

  /** `doubleQuotedValue` of compose/resolve-flow-scalar.js, for one line. */
  private doubleQuoted(q: number, close: number): string {
    const text = this.text;
    let value = '';
    let from = q + 1;
    let i = text.indexOf('\\', from);
    while (i !== -1 && i < close) {
      value += text.slice(from, i);
      const next = text[i + 1] as string;
      const escape = ESCAPES.get(next);
      if (escape !== undefined) {
        value += escape;
        from = i + 2;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + length);
        if (i + 2 + length > close || !/^[0-9a-fA-F]+$/.test(hex)) decline();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) decline();
        value += String.fromCodePoint(code);
        from = i + 2 + length;
      } else {
        decline(); // BAD_DQ_ESCAPE
      }
      i = text.indexOf('\\', from);
    }
    return value + text.slice(from, close);
  }

  /**
   * A flow collection in a block value: the general flow parser (below), on one line only
   * (a multi-line one is checked against the block's indentation by the Lexer).
   */
  private flowCollection(k: number): YAMLMap | YAMLSeq {
    const fc = this.lexAndParseFlow(k, true);
    const node = this.composeFlow(fc);
    if (fc.innerComment && node.comment) decline(); // kept simple: see finishInline
    return node;
  }

  // -- Flow collections -----------------------------------------------------------------------

  /**
   * Lexes a flow collection from `k` (its `[` or `{`) to its closing bracket, as the Lexer's
   * `parseFlowCollection` and `parsePlainScalar` (in flow) do, and builds its CST as the
   * Parser's `flowCollection`, `lineEnd` and `pop` do. `this.pos` is left after the closer.
   */
  private lexAndParseFlow(k: number, singleLine: boolean): FlowCollection {
    const text = this.text;
    const root = newFlowCollection(k, text[k] === '{');
    const stack: FlowNode[] = [root];
    let p = k + 1;
    let flowKey = false;
    let indent = 0;
    const emit = (t: Token | FlowScalar | FlowCollection): void => flowStep(stack, t);
    while (root.end.length === 0) {
      if (p >= text.length) decline(); // unterminated
      const ch = text[p] as string;
      const code = text.charCodeAt(p);
      if (code === NEWLINE || code === CR) {
        if (singleLine) decline();
        const length = code === CR ? 2 : 1; // a CR is always before a `\n` here
        emit(token('newline', p, indent, text.slice(p, p + length)));
        p += length;
        const lineStart = p;
        while (text.charCodeAt(p) === SPACE) p++;
        indent = p - lineStart;
        if (indent > 0) emit(token('space', lineStart, indent, text.slice(lineStart, p)));
        if (indent === 0 && (text.startsWith('---', p) || text.startsWith('...', p))) {
          const after = text.charCodeAt(p + 3);
          if (Number.isNaN(after) || after === SPACE || after === NEWLINE || after === CR) {
            decline();
          }
        }
        continue;
      }
      if (code === SPACE) {
        const from = p;
        while (text.charCodeAt(p) === SPACE) p++;
        emit(token('space', from, indent, text.slice(from, p)));
        continue;
      }
      switch (ch) {
        case ',':
          emit(token('comma', p, indent, ','));
          flowKey = false;
          p++;
          continue;
        case '#': {
          const eol = lineEndOf(text, text.indexOf('\n', p));
          emit(token('comment', p, indent, text.slice(p, eol)));
          p = eol;
          continue;
        }
        case '[':
        case '{': {
          if (stack.length + this.stack.length >= MAX_NESTING) decline();
          const fc = newFlowCollection(p, ch === '{');
          emit(fc);
          flowKey = false;
          p++;
          continue;
        }
        case ']':
        case '}':
          emit(token('flow-end', p, indent, ch));
          flowKey = true;
          p++;
          continue;
        case '"':
        case "'": {
          const eol = lineEndOf(text, text.indexOf('\n', p));
          const close = this.closingQuote(p, eol);
          if (close === -1) decline(); // multi-line or unterminated
          const double = ch === '"';
          emit({
            kind: 'scalar',
            type: double ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE',
            offset: p,
            length: close + 1 - p,
            value: double ? this.doubleQuoted(p, close) : singleQuoted(text, p, close),
            end: null,
          });
          flowKey = true;
          p = close + 1;
          continue;
        }
      }
      const next = text[p + 1];
      const nextIsEmptyOrFlow = isEmptyOrFlow(next);
      if (ch === ':' && (nextIsEmptyOrFlow || flowKey)) {
        // `pushIndicators` (and `flowKey`: `"a":b` after a quoted key or a collection)
        emit(token('map-value-ind', p, indent, ':'));
        flowKey = false;
        p++;
        continue;
      }
      if ((ch === '-' || ch === '?' || ch === ':') && nextIsEmptyOrFlow) decline();
      if (NOT_PLAIN_START.has(ch)) decline();
      const end = this.flowPlainEnd(p);
      emit({
        kind: 'scalar',
        type: 'PLAIN',
        offset: p,
        length: end - p,
        value: text.slice(p, end),
        end: null,
      });
      flowKey = false;
      p = end;
    }
    if (stack.length !== 1) decline();
    fixFlowSeqItems(root);
    this.pos = p;
    return root;
  }

  /**
   * The end of a plain scalar in a flow collection (`parsePlainScalar` with `inFlow`): before
   * a flow indicator, `: ` (or `:` before one), or spaces before `#` or one. One that would
   * go on to the next line is declined.
   */
  private flowPlainEnd(p: number): number {
    const text = this.text;
    let end = p;
    for (let i = p; i < text.length; i++) {
      const ch = text[i] as string;
      if (ch === ':') {
        const next = text[i + 1];
        if (isEmptyOrFlow(next)) break;
        end = i + 1;
      } else if (ch === ' ' || ch === '\n' || ch === '\r') {
        const next = text[i + 1];
        if (next === '#' || (next !== undefined && FLOW_INDICATORS.has(next))) break;
        let j = i;
        while (text[j] === ' ') j++;
        if (j === text.length || text[j] === '\n' || text[j] === '\r') {
          // At the line's end: the scalar would go on to the next line.
          if (this.flowPlainContinues(j)) decline();
          break;
        }
      } else if (FLOW_INDICATORS.has(ch)) {
        break;
      } else {
        end = i + 1;
      }
    }
    return end;
  }

  /**
   * Whether a plain scalar in a flow collection that reaches the line break at `lineBreak`
   * goes on after it: it does unless a comment, a flow indicator or `: ` comes first.
   */
  private flowPlainContinues(lineBreak: number): boolean {
    const text = this.text;
    let j = lineBreak;
    while (text[j] === ' ' || text[j] === '\n' || text[j] === '\r') j++;
    const ch = text[j];
    if (ch === undefined || ch === '#' || FLOW_INDICATORS.has(ch)) return false;
    if (ch === ':') {
      const next = text[j + 1];
      if (isEmptyOrFlow(next)) return false;
    }
    return true;
  }

  /** `resolveFlowCollection` (compose/resolve-flow-collection.js) for the subset. */
  private composeFlow(fc: FlowCollection): YAMLMap | YAMLSeq {
    const isMap = fc.isMap;
    const coll = isMap ? new YAMLMap(this.schema) : new YAMLSeq(this.schema);
    this.nodes++;
    coll.flow = true;
    let offset = fc.offset + 1;
    const items = fc.items;
    for (let i = 0; i < items.length; ++i) {
      const { start, key, sep, value } = items[i] as FlowItem;
      const props = resolveProps(start, 'explicit-key-ind', offset, false, true);
      if (props.found) decline();
      if (!sep && !value) {
        // Trivia (and a trailing comma) before the closing bracket.
        if (i === 0 && props.comma) decline();
        else if (i < items.length - 1) decline(); // an empty item
        if (props.comment) {
          coll.comment = coll.comment ? `${coll.comment}\n${props.comment}` : props.comment;
          fc.innerComment = true;
        }
        offset = props.end;
        continue;
      }
      if (i === 0 ? props.comma : !props.comma) decline();
      if (i > 0 && props.comment) {
        // A comment after the previous item's comma, on its line, is that item's.
        let prevItemComment = '';
        loop: for (const st of start) {
          switch (st.type) {
            case 'comma':
            case 'space':
              break;
            case 'comment':
              prevItemComment = st.source.substring(1);
              break loop;
            default:
              break loop;
          }
        }
        if (prevItemComment) {
          let prev = coll.items[coll.items.length - 1] as Node | Pair;
          if (prev instanceof Pair) prev = (prev.value ?? prev.key) as Node;
          prev.comment = prev.comment ? `${prev.comment}\n${prevItemComment}` : prevItemComment;
          props.comment = props.comment.substring(prevItemComment.length + 1);
        }
      }
      if (!isMap && !sep) {
        const node = this.composeFlowNode(value ?? decline(), props, false);
        (coll as YAMLSeq).items.push(node);
        offset = (node.range as number[])[2] as number;
        continue;
      }
      // A pair of a flow mapping (a pair in a flow sequence is declined).
      if (!isMap || !key || key.kind !== 'scalar' || !sep || !value) decline();
      const keyNode = this.composeFlowNode(key, props, true);
      const valueProps = resolveProps(
        sep,
        'map-value-ind',
        (keyNode.range as number[])[2] as number,
        false,
        true,
      );
      if (!valueProps.found) decline();
      const valueNode = this.composeFlowNode(value, valueProps, false);
      (coll as YAMLMap).items.push(new Pair(keyNode, valueNode));
      offset = (valueNode.range as number[])[2] as number;
    }
    const [close, ...after] = fc.end;
    if (!close || close.type !== 'flow-end' || close.source !== (isMap ? '}' : ']')) decline();
    const cePos = close.offset + 1;
    if (after.length > 0) {
      const end = resolveEnd(after, cePos, true);
      if (end.comment)
        coll.comment = coll.comment ? `${coll.comment}\n${end.comment}` : end.comment;
      coll.range = [fc.offset, cePos, end.offset];
    } else {
      coll.range = [fc.offset, cePos, cePos];
    }
    return coll;
  }

  /** `composeNode` for a node in a flow collection. */
  private composeFlowNode(
    t: FlowScalar | FlowCollection,
    props: Props,
    atKey: boolean,
  ): Scalar | YAMLMap | YAMLSeq {
    let node: Scalar | YAMLMap | YAMLSeq;
    if (t.kind === 'scalar') {
      if (t.type === 'PLAIN' && !isPlainStart(this.text, t.offset, t.offset + t.length)) decline();
      const valueEnd = t.offset + t.length;
      node = this.scalar(t.value, t.type, t.offset, valueEnd, atKey);
      if (t.end) {
        const re = resolveEnd(t.end, valueEnd, true);
        if (re.comment) node.comment = re.comment;
        (node.range as [number, number, number])[2] = re.offset;
      }
    } else {
      if (atKey) decline();
      node = this.composeFlow(t);
    }
    applyProps(node, props);
    return node;
  }

  /**
   * A block scalar: the Lexer's extent of it (`parseBlockScalar`) and the Composer's value
   * (`resolveBlockScalar`). Its owner is the collection of its key or `-`.
   */
  private blockScalar(item: Item, h: number, eol: number, nl: number, owner: Frame): number {
    const text = this.text;
    const mode = text[h] as string;
    let e = h + 1;
    const chomp = text[e] === '-' || text[e] === '+' ? (text[e] as string) : '';
    if (chomp) e++;
    if (e !== eol && text.charCodeAt(e) !== SPACE) decline(); // explicit indentation, junk
    let c = e;
    while (text.charCodeAt(c) === SPACE) c++;
    let comment = '';
    if (c < eol) {
      if (text.charCodeAt(c) !== HASH) decline();
      comment = text.slice(c + 1, eol);
    }
    const headerLength = (nl === -1 ? eol : nl + 1) - h;
    const contentStart = nl === -1 ? text.length : nl + 1;
    const contentEnd = this.blockScalarEnd(contentStart, owner.indent + 1, chomp === '+');
    const source = text.slice(contentStart, contentEnd);
    // `resolveBlockScalar` takes a line's content of `\r` as empty and drops the CR of any
    // other line (`crlf`): the value is that of the same lines with LF breaks.
    const lfSource = source.includes('\r') ? source.replace(/\r\n/g, '\n') : source;
    const value = blockScalarValue(lfSource, mode, chomp, owner.indent);
    const end = h + headerLength + source.length;
    const node = this.scalar(value, mode === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL', h, end, false);
    if (comment) node.comment = comment;
    item.value = node;
    item.endFrom = end;
    return Math.min(contentEnd, text.length);
  }

  /** Port of the Lexer's `parseBlockScalar` (no explicit indentation, no tabs, CR in CRLF). */
  private blockScalarEnd(pos: number, indentNext: number, keep: boolean): number {
    const text = this.text;
    let nl = pos - 1;
    let indent = 0;
    let i = pos;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === SPACE) indent += 1;
      else if (code === NEWLINE) {
        nl = i;
        indent = 0;
      } else if (code !== CR) break; // the CR of a CRLF: the Lexer reads on to its `\n`
    }
    if (indent >= indentNext) {
      const contentIndent = indent;
      do {
        const cs = continueBlockScalar(text, nl + 1, contentIndent);
        if (cs === -1) break;
        nl = text.indexOf('\n', cs);
      } while (nl !== -1);
      if (nl === -1) nl = text.length;
    }
    if (!keep) {
      for (;;) {
        let j = nl - 1;
        let code = text.charCodeAt(j);
        if (code === CR) code = text.charCodeAt(--j);
        const lastChar = j;
        while (code === SPACE) code = text.charCodeAt(--j);
        if (code === NEWLINE && j >= pos && j + 1 + indent > lastChar) nl = j;
        else break;
      }
    }
    return nl + 1;
  }

  // -- Composition ----------------------------------------------------------------------------

  /** `resolveBlockMap` (compose/resolve-block-map.js) over the items. */
  private composeMap(frame: Frame): YAMLMap {
    const map = new YAMLMap(this.schema);
    this.nodes++;
    let offset = frame.offset;
    let commentEnd: number | null = null;
    for (const item of frame.items) {
      const key = item.key;
      const keyProps =
        item.start === NO_TOKENS
          ? null
          : resolveProps(item.start, 'explicit-key-ind', offset, true);
      if (!key) {
        if (!keyProps) return decline();
        commentEnd = keyProps.end;
        if (keyProps.comment) {
          map.comment = map.comment ? `${map.comment}\n${keyProps.comment}` : keyProps.comment;
        }
        continue;
      }
      if (keyProps) applyProps(key, keyProps);
      let value: Node;
      if (!item.sep) {
        value = this.finishInline(item);
      } else {
        const sep = item.sep ?? decline();
        const valueProps = resolveProps(
          sep,
          'map-value-ind',
          (key.range as number[])[2] as number,
          false,
        );
        if (!valueProps.found) decline();
        if (item.value) {
          value = this.finishInline(item);
          applyProps(value, valueProps);
        } else {
          value = this.emptyValue(sep, valueProps);
        }
      }
      offset = (value.range as number[])[2] as number;
      map.items.push(new Pair(key, value));
    }
    map.range = [frame.offset, offset, commentEnd ?? offset];
    return map;
  }

  /** `resolveBlockSeq` (compose/resolve-block-seq.js) over the items. */
  private composeSeq(frame: Frame): YAMLSeq {
    const seq = new YAMLSeq(this.schema);
    this.nodes++;
    let offset = frame.offset;
    let commentEnd: number | null = null;
    for (const item of frame.items) {
      const props =
        item.start === NO_TOKENS ? null : resolveProps(item.start, 'seq-item-ind', offset, true);
      if (!item.dash) {
        if (!props) return decline();
        commentEnd = props.end;
        if (props.comment) seq.comment = props.comment;
        continue;
      }
      const value = this.finishInline(item);
      if (props) applyProps(value, props);
      offset = (value.range as number[])[2] as number;
      seq.items.push(value);
    }
    seq.range = [frame.offset, offset, commentEnd ?? offset];
    return seq;
  }

  /** An item's value, with the comment lines absorbed into its `end` (see {@link trivia}). */
  private finishInline(item: Item): Scalar | YAMLMap | YAMLSeq {
    const node = item.value ?? decline();
    if (item.absorbed) {
      // Its own line's end, as in lineEnd, then what was absorbed.
      const end: Token[] = [];
      const nl = this.text.indexOf('\n', item.endFrom);
      this.pushLineEnd(end, item.endFrom, lineEndOf(this.text, nl), nl, 0);
      pushAll(end, item.absorbed);
      const re = resolveEnd(end, item.endFrom, true);
      if (re.comment) node.comment = re.comment;
      (node.range as [number, number, number])[2] = re.offset;
    }
    return node;
  }

  /**
   * `composeEmptyNode` for `key:` without a value: a null scalar just after the `:` and its
   * spaces (util-empty-scalar-position.js); comments after it are its `comment`.
   */
  private emptyValue(sep: readonly Token[], props: Props): Scalar {
    // After the `:` and the spaces that follow it (`emptyScalarPosition`).
    const at = sep.findIndex((t) => t.type === 'map-value-ind');
    const colon = sep[at] ?? decline();
    const space = sep[at + 1];
    const position = colon.offset + 1 + (space?.type === 'space' ? space.source.length : 0);
    const node = this.scalar('', 'PLAIN', position, position, false);
    if (props.spaceBefore) node.spaceBefore = true;
    if (props.comment) {
      node.comment = props.comment;
      (node.range as [number, number, number])[2] = props.end;
    }
    return node;
  }

  /** `composeDoc` (compose/compose-doc.js) and the Composer's `decorate` with the prelude. */
  private finishDocument(): Document.Parsed {
    const doc = this.document;
    const root = this.root ?? decline();
    const props = resolveProps(this.docStart, 'doc-start', this.docOffset, true);
    if (props.found) {
      (doc.directives as DirectivesLike).docStart = true;
      if (!props.hasNewline) decline(); // a block collection on the `---` line
    }
    applyProps(root, props);
    doc.contents = root as unknown as Document.Parsed['contents'];
    const contentEnd = (root.range as number[])[2] as number;
    const re = resolveEnd(this.docEnd, contentEnd, false);
    if (re.comment) doc.comment = re.comment;
    doc.range = [this.docOffset, contentEnd, re.offset];
    const { comment, afterEmptyLine } = parsePrelude(this.prelude);
    if (comment) {
      if (afterEmptyLine || props.found) {
        doc.commentBefore = comment;
      } else if (root.flow) {
        root.commentBefore = root.commentBefore ? `${comment}\n${root.commentBefore}` : comment;
      } else {
        const first = root.items[0] as Pair<Scalar, unknown> | Node;
        const target = (first instanceof Pair ? first.key : first) as Node;
        const cb = target.commentBefore;
        target.commentBefore = cb ? `${comment}\n${cb}` : comment;
      }
    }
    const after = parsePrelude(this.postlude).comment;
    if (after) doc.comment = doc.comment ? `${doc.comment}\n${after}` : after;
    doc.errors = [];
    doc.warnings = [];
    return doc;
  }
}

/** `composeNode`'s use of props for a node with content: `spaceBefore`, `commentBefore`. */
function applyProps(node: Node, props: Props): void {
  if (props.spaceBefore) node.spaceBefore = true;
  if (props.comment) node.commentBefore = props.comment;
}

/** `parsePrelude` of compose/composer.js (no directives here). */
function parsePrelude(prelude: readonly string[]): { comment: string; afterEmptyLine: boolean } {
  let comment = '';
  let atComment = false;
  let afterEmptyLine = false;
  for (const source of prelude) {
    if (source[0] === '#') {
      comment +=
        (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') + (source.substring(1) || ' ');
      atComment = true;
      afterEmptyLine = false;
    } else {
      if (!atComment) afterEmptyLine = true;
      atComment = false;
    }
  }
  return { comment, afterEmptyLine };
}

/**
 * `blockMap`'s split of an empty value's trivia: the tokens from the second newline after the
 * `:` (or after a comment more indented than the mapping) start the next item.
 */
function splitEmptyValueTrivia(sep: Token[], mapIndent: number): Token[] {
  const newlines: number[] = [];
  for (let i = 0; i < sep.length; i++) {
    const t = sep[i] as Token;
    switch (t.type) {
      case 'newline':
        newlines.push(i);
        break;
      case 'space':
        break;
      case 'comment':
        if (t.indent > mapIndent) newlines.length = 0;
        break;
      default:
        newlines.length = 0;
    }
  }
  return newlines.length >= 2 ? sep.splice(newlines[1] as number) : [];
}

/**
 * `unfoldLines` of compose/resolve-flow-scalar.js (no tabs here; its lines end at `\r?\n`):
 * the lines of a multi-line plain scalar joined by a space, an empty line by a line break.
 */
function unfoldLines(source: string): string {
  const lines = source.includes('\r') ? source.split(/\r?\n/) : source.split('\n');
  let value = (lines[0] as string).replace(/ +$/, '');
  let sep = ' ';
  for (let i = 1; i < lines.length - 1; i++) {
    const line = (lines[i] as string).replace(/^ +| +$/g, '');
    if (line === '') {
      if (sep === '\n') value += sep;
      else sep = '\n';
    } else {
      value += sep + line;
      sep = ' ';
    }
  }
  return value + sep + (lines[lines.length - 1] as string).replace(/^ +/, '');
}

/** `''` is a quote inside single quotes (`singleQuotedValue`, one line). */
function singleQuoted(text: string, q: number, close: number): string {
  return text.slice(q + 1, close).replace(/''/g, "'");
}

/**
 * A plain scalar may start at `i` (ending before `end`): not an indicator, and not a
 * character `plainValue` of compose/resolve-flow-scalar.js reports (`,` `%` `@` `` ` ``).
 */
function isPlainStart(text: string, i: number, end: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 128 && NOT_PLAIN_START_CODES[code] === 0) return true;
  const ch = text[i] as string;
  if (NOT_PLAIN_START.has(ch)) return false;
  if (ch === '-' || ch === '?' || ch === ':') {
    // An indicator when followed by a space or the end.
    return i + 1 < end && text.charCodeAt(i + 1) !== SPACE;
  }
  return true;
}

/** The Lexer's `continueScalar` for a block scalar of content indentation `indent`. */
function continueBlockScalar(text: string, offset: number, indentNext: number): number {
  let indent = 0;
  let code = text.charCodeAt(offset);
  while (code === SPACE) code = text.charCodeAt(++indent + offset);
  if (code === CR) return offset + indent + 1; // a blank CRLF line: at its `\n`
  return code === NEWLINE || indent >= indentNext ? offset + indent : -1;
}

/**
 * `resolveBlockScalar` (compose/resolve-block-scalar.js) without an explicit indentation, step
 * for step, over the lines' offsets in `source` instead of `yaml`'s `[indent, content]` string
 * pairs: a block scalar of 90,000 lines (a dashboard's JSON in a ConfigMap) made 270,000
 * strings to collect before it was read.
 */
function blockScalarValue(
  source: string,
  mode: string,
  chomp: string,
  parentIndent: number,
): string {
  const lines = source ? lineSpans(source) : EMPTY_SPANS;
  const count = lines.count;
  // Line i: its indentation is source[starts[i], starts[i] + indents[i]) (spaces only), its
  // content source[starts[i] + indents[i], ends[i]).
  const { starts, indents, ends } = lines;
  const indentOf = (i: number): number => indents[i] ?? 0;
  const isEmpty = (i: number): boolean => (starts[i] ?? 0) + indentOf(i) === ends[i];
  const content = (i: number): string => source.slice((starts[i] ?? 0) + indentOf(i), ends[i]);
  /** The line's indentation past `trim` columns (`indent.slice(trim)` of `yaml`). */
  const extraIndent = (i: number, trim: number): string =>
    indentOf(i) > trim ? source.slice((starts[i] ?? 0) + trim, (starts[i] ?? 0) + indentOf(i)) : '';
  let chompStart = count;
  for (let i = count - 1; i >= 0; --i) {
    if (isEmpty(i)) chompStart = i;
    else break;
  }
  if (chompStart === 0) {
    return chomp === '+' && count > 0 ? '\n'.repeat(Math.max(1, count - 1)) : '';
  }
  let trimIndent = parentIndent;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    if (isEmpty(i)) {
      if (indentOf(i) > trimIndent) trimIndent = indentOf(i);
    } else {
      // "Block scalars with more-indented leading empty lines must use an explicit
      // indentation indicator"
      if (indentOf(i) < trimIndent) decline();
      trimIndent = indentOf(i);
      contentStart = i;
      if (trimIndent === 0) decline();
      break;
    }
  }
  for (let i = count - 1; i >= chompStart; --i) {
    if (indentOf(i) > trimIndent) chompStart = i + 1;
  }
  // Joined once at the end: `yaml` appends to one string, line by line.
  const parts: string[] = [];
  let sep = '';
  let prevMoreIndented = false;
  for (let i = 0; i < contentStart; ++i) parts.push(extraIndent(i, trimIndent), '\n');
  if (mode === '|') {
    // Each line past its first `trimIndent` columns, joined with line breaks: one slice a line.
    const literal: string[] = [];
    for (let i = contentStart; i < chompStart; ++i) {
      const start = starts[i] ?? 0;
      if (indentOf(i) < trimIndent && !isEmpty(i)) decline(); // BAD_INDENT
      literal.push(source.slice(start + Math.min(trimIndent, indentOf(i)), ends[i]));
    }
    parts.push(literal.join('\n'));
  }
  for (let i = mode === '|' ? chompStart : contentStart; i < chompStart; ++i) {
    const empty = isEmpty(i);
    if (!empty && indentOf(i) < trimIndent) decline(); // BAD_INDENT
    if (indentOf(i) > trimIndent) {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      parts.push(sep, extraIndent(i, trimIndent), content(i));
      sep = '\n';
      prevMoreIndented = true;
    } else if (empty) {
      if (sep === '\n') parts.push('\n');
      else sep = '\n';
    } else {
      parts.push(sep, content(i));
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  let value = parts.join('');
  if (chomp === '+') {
    const kept: string[] = [value];
    for (let i = chompStart; i < count; ++i) kept.push('\n', extraIndent(i, trimIndent));
    value = kept.join('');
    if (value[value.length - 1] !== '\n') value += '\n';
  } else if (chomp !== '-') {
    value += '\n';
  }
  return value;
}

/** The lines of a block scalar's source, as `yaml`'s `splitLines` cuts them: at each `\n`. */
interface LineSpans {
  count: number;
  starts: Int32Array;
  /** Leading spaces. */
  indents: Int32Array;
  /** Where the line's content ends (its `\n`, or the end of the source). */
  ends: Int32Array;
}

const EMPTY_SPANS: LineSpans = {
  count: 0,
  starts: new Int32Array(0),
  indents: new Int32Array(0),
  ends: new Int32Array(0),
};

function lineSpans(source: string): LineSpans {
  let count = 1;
  for (let at = source.indexOf('\n'); at !== -1; at = source.indexOf('\n', at + 1)) count++;
  const spans: LineSpans = {
    count,
    starts: new Int32Array(count),
    indents: new Int32Array(count),
    ends: new Int32Array(count),
  };
  let start = 0;
  for (let i = 0; i < count; i++) {
    const newline = source.indexOf('\n', start);
    const end = newline === -1 ? source.length : newline;
    let indent = 0;
    while (start + indent < end && source.charCodeAt(start + indent) === SPACE) indent++;
    spans.starts[i] = start;
    spans.indents[i] = indent;
    spans.ends[i] = end;
    start = end + 1;
  }
  return spans;
}
