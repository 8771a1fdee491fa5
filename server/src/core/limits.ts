/**
 * What one analysis takes on, so that a hostile or broken file cannot hang or exhaust the
 * editor's language server or a CI run: a file or document beyond these limits is not analysed
 * and gets one `analysis-limit` finding that says which limit it passed (never a value).
 *
 * The limits are far above real manifests (the largest in the corpus, argo-cd's HA
 * `install.yaml`, has 2 MB in 52 documents nested at most 25 deep, without aliases) and low
 * enough that the work of an analysis is bounded by the file's length: every check is linear
 * in the text or the node count, and aliases, which our accessors read as the nodes they name,
 * cannot multiply the nodes a rule walks through (docs/rules/analysis-limit.md has the figures).
 */
import { Composer, Parser, YAMLParseError, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type {
  Alias,
  CST,
  Document,
  DocumentOptions,
  Node,
  ParseOptions,
  SchemaOptions,
} from 'yaml';
import { sharedAffixes } from './text-affixes';

/** The documented limits (docs/rules/analysis-limit.md); tests and the fuzzer read them here. */
export const ANALYSIS_LIMITS = {
  /**
   * Characters (UTF-16 code units) of a file. 5 MiB, as for the files the language server
   * indexes (`MAX_INDEXED_FILE_BYTES`): a Secret holds at most 1 MiB, 1.4 MB as base64.
   */
  maxFileLength: 5 * 1024 * 1024,
  /** YAML documents (`---`) in a file. */
  maxDocuments: 10_000,
  /**
   * Places where a YAML node can start (`,` `[` `{` `:` `-` `?` and line breaks) in a file: an
   * upper estimate of its nodes, counted before parsing, since parsing takes about 600 bytes a
   * node at its peak. Ordinary manifests have about one in 12 characters (argo-cd's
   * namespace-install.yaml: 8,063 in 97,538; CRD-heavy install.yaml one in 26), so 5 MiB of
   * real manifests stays under; the densest text, `[a,a,…]`, reaches it at 1 MB and parses in
   * about 5 s with a peak near 600 MB, the bound this limit sets.
   */
  maxNodeStarts: 500_000,
  /**
   * Findings reported for a file; past them, one `analysis-limit` finding says how many more
   * there were (an editor sent 200,000 diagnostics stops responding).
   */
  maxFindings: 10_000,
  /**
   * Nesting of collections in one document, aliases followed (Kubernetes objects nest about
   * 20 deep; a CRD's schema about 40): recursive code in rules and fixes stays far from the
   * stack's end.
   */
  maxDepth: 200,
  /**
   * Nodes that aliases add to a document when each is read as the node it names. Read that
   * way, nine lines of nested aliases stand for a billion nodes ("billion laughs"); the API
   * server's YAML reader rejects such documents too ("excessive aliasing").
   */
  maxAliasExpansion: 100_000,
} as const;

/**
 * Syntax errors kept per document. `yaml` makes an error object per stray character of a
 * broken text (1 MB of `]` made a million, 290 MB, in 3 s): past this many, the document is
 * broken anyway, and the rest are dropped without being built.
 */
export const MAX_PARSE_ERRORS = 100;

/** Which limit a file or document passed. */
export type LimitKind =
  | 'file-length'
  | 'binary'
  | 'node-starts'
  | 'documents'
  | 'findings'
  | 'depth'
  | 'recursive-alias'
  | 'alias-expansion';

/** A passed limit: where to report it and what to say (never a value of the file). */
export interface LimitExceeded {
  kind: LimitKind;
  /** Offsets in the checked text (the file, or the document's own text). */
  start: number;
  end: number;
  message: string;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The end of the line that holds `start`, at most 120 characters on (a range to underline). */
function lineEndFrom(text: string, start: number): number {
  const limit = Math.min(text.length, start + 120);
  for (let i = start; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || code === 0x0d) return i;
  }
  return limit;
}

/**
 * A file that is not analysed at all: longer than {@link ANALYSIS_LIMITS}.maxFileLength, or
 * binary (it holds NUL characters, which YAML and JSON never do). Checked before any parsing,
 * in time linear in the text.
 */
export function fileLimitOf(text: string): LimitExceeded | undefined {
  if (text.length > ANALYSIS_LIMITS.maxFileLength) {
    return {
      kind: 'file-length',
      start: 0,
      end: lineEndFrom(text, 0),
      message: `Secret Guard did not analyse this file: it has ${count(text.length)} characters, more than the ${count(ANALYSIS_LIMITS.maxFileLength)} it analyses`,
    };
  }
  const census = censusOf(text);
  if (census.binary) {
    return {
      kind: 'binary',
      start: 0,
      end: lineEndFrom(text, 0),
      message:
        'Secret Guard did not analyse this file: it holds NUL characters, so it is binary, not YAML or JSON',
    };
  }
  if (census.nodeStarts > ANALYSIS_LIMITS.maxNodeStarts) {
    return {
      kind: 'node-starts',
      start: 0,
      end: lineEndFrom(text, 0),
      message: `Secret Guard did not analyse this file: it has ${count(census.nodeStarts)} places where a YAML node can start (, [ { : - ? and line breaks), more than the ${count(ANALYSIS_LIMITS.maxNodeStarts)} it analyses`,
    };
  }
  return undefined;
}

/** What {@link fileLimitOf} reads of a whole text. */
interface TextCensus {
  text: string;
  /** It holds a NUL character. */
  binary: boolean;
  /** Its node-start characters; 0 for a text too short to pass the limit (not counted). */
  nodeStarts: number;
}

let lastCensus: TextCensus | undefined;

/**
 * Reads a text once for {@link fileLimitOf}. The last answer is kept, and a text that differs
 * from the last one by a keystroke is read only where it differs (the shared start and end are
 * found by native string comparison, see text-affixes.ts): the language server checks a 4 MB
 * file on every keystroke, and the adapters ask again for the same text (analysis, then hover
 * or code actions), which a string compares by reference first.
 */
function censusOf(text: string): TextCensus {
  const counted = text.length > ANALYSIS_LIMITS.maxNodeStarts;
  if (!counted) return { text, binary: text.includes('\u0000'), nodeStarts: 0 };
  if (lastCensus?.text === text) return lastCensus;
  const last = lastCensus;
  let census: TextCensus;
  // Outside the changed part, the text is the last one's: NUL-free if that was.
  if (last && !last.binary && last.text.length > ANALYSIS_LIMITS.maxNodeStarts) {
    const { prefix, suffix } = sharedAffixes(last.text, text);
    const changedEnd = text.length - suffix;
    census = {
      text,
      binary: text.slice(prefix, changedEnd).includes('\u0000'),
      nodeStarts:
        last.nodeStarts -
        countNodeStarts(last.text, prefix, last.text.length - suffix) +
        countNodeStarts(text, prefix, changedEnd),
    };
  } else {
    census = {
      text,
      binary: text.includes('\u0000'),
      nodeStarts: countNodeStarts(text, 0, text.length),
    };
  }
  lastCensus = census;
  return census;
}

/** The node-start characters of `text` in [from, to). */
function countNodeStarts(text: string, from: number, to: number): number {
  // One native search per character, over a slice that bounds it (a slice shares the text's
  // memory): five times faster than a loop over the characters, and no JIT warm-up for the
  // CLI, which counts each large file once.
  const range = from === 0 && to === text.length ? text : text.slice(from, to);
  let starts = 0;
  for (const character of NODE_START_CHARACTERS) {
    for (let at = range.indexOf(character); at !== -1; at = range.indexOf(character, at + 1)) {
      starts++;
    }
  }
  return starts;
}

const NODE_START_CHARACTERS = [',', '-', ':', '?', '[', '{', '\n'] as const;

/**
 * `parseDocument` of the `yaml` package, keeping at most {@link MAX_PARSE_ERRORS} syntax errors
 * (a RESOURCE_EXHAUSTION error, which {@link parserLimitOf} reports, is always kept). Built
 * from the package's own Parser and Composer as `parseDocument` is; the one thing beyond
 * their typed API is the Composer's error callback, wrapped here (test/unit/resource-bombs
 * fails if a new `yaml` stops calling it).
 */
export function parseYamlDocument(
  text: string,
  options: ParseOptions & DocumentOptions & SchemaOptions,
): Document.Parsed {
  // `yaml` makes an Error object per syntax error, and V8 captures a stack trace with each,
  // which costs more than the rest of the error: a broken template has dozens. Nothing reads
  // those stacks (errors are reported by code and position only), so none is captured.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return composeFirstDocument(text, options);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function composeFirstDocument(
  text: string,
  options: ParseOptions & DocumentOptions & SchemaOptions,
): Document.Parsed {
  const composer = new Composer(options);
  let errors = 0;
  const hook = composer as unknown as { onError: (...args: unknown[]) => void };
  const record = hook.onError;
  hook.onError = (...args: unknown[]) => {
    if (++errors <= MAX_PARSE_ERRORS || args[1] === 'RESOURCE_EXHAUSTION') record(...args);
  };
  // Stray characters outside any node come as top-level error tokens, which the Composer
  // records without the callback: they are dropped past the cap too.
  function* capped(tokens: Iterable<CST.Token>): Generator<CST.Token> {
    for (const token of tokens) {
      if (token.type === 'error' && ++errors > MAX_PARSE_ERRORS) continue;
      yield token;
    }
  }
  let document: Document.Parsed | undefined;
  const parser = new Parser();
  try {
    for (const parsed of composer.compose(capped(parser.parse(text)), true, text.length)) {
      if (!document) {
        document = parsed;
      } else {
        document.errors.push(
          new YAMLParseError(
            [parsed.range[0], parsed.range[1]],
            'MULTIPLE_DOCS',
            'Source contains multiple documents',
          ),
        );
        break;
      }
    }
  } catch (error) {
    // `yaml` guards its composer against deep nesting, not its parser: `a: b: c: …` on one
    // line nests a block mapping per key, and a few thousand overflow the stack. That is the
    // depth limit: an empty document with the error RESOURCE_EXHAUSTION, as the composer makes.
    if (!(error instanceof RangeError)) throw error;
    const at = (parser as unknown as { offset?: unknown }).offset;
    const offset = typeof at === 'number' && at >= 0 && at <= text.length ? at : 0;
    const [empty] = new Composer(options).compose([], true, text.length);
    document = empty;
    document?.errors.push(
      new YAMLParseError([offset, offset + 1], 'RESOURCE_EXHAUSTION', 'Maximum nesting exceeded'),
    );
  }
  // compose(…, forceDoc = true) always yields a document.
  return document as Document.Parsed;
}

/** A file with more documents than {@link ANALYSIS_LIMITS}.maxDocuments is not analysed. */
export function documentCountLimitOf(text: string, documents: number): LimitExceeded | undefined {
  if (documents <= ANALYSIS_LIMITS.maxDocuments) return undefined;
  return {
    kind: 'documents',
    start: 0,
    end: lineEndFrom(text, 0),
    message: `Secret Guard did not analyse this file: it has ${count(documents)} YAML documents, more than the ${count(ANALYSIS_LIMITS.maxDocuments)} it analyses`,
  };
}

/** Past {@link ANALYSIS_LIMITS}.maxFindings: the findings after that many are left out. */
export function findingsLimitOf(text: string, findings: number): LimitExceeded | undefined {
  if (findings <= ANALYSIS_LIMITS.maxFindings) return undefined;
  return {
    kind: 'findings',
    start: 0,
    end: lineEndFrom(text, 0),
    message: `Secret Guard reports the first ${count(ANALYSIS_LIMITS.maxFindings)} findings of this file only: ${count(findings - ANALYSIS_LIMITS.maxFindings)} more were left out`,
  };
}

/** What {@link inspectDocument} learnt of a parsed document. */
export interface DocumentInspection {
  /** Each alias with the node it names (the last node anchored so before it, as YAML says). */
  aliasTargets: [Alias, Node][];
  /** Nodes in the document's tree (aliases as themselves), for the parse cache's budget. */
  nodes: number;
  /** Set when the document passes a limit: it must not be analysed. */
  limit?: LimitExceeded;
}

/**
 * Resolves a document's aliases and checks its shape against the limits, in time linear in
 * its node count whatever its aliases (each node is measured once; an alias reuses the
 * measure of the node it names). Iterative, so that no nesting can overflow the stack here.
 *
 * `yaml`'s own `Alias.resolve` walks the whole document for each alias (quadratic: 20,000
 * aliases took 35 s), so the aliases are resolved here in one pass, in the same order: a
 * node's anchor counts for the aliases after it in a depth-first, key-before-value walk.
 */
export function inspectDocument(document: Document.Parsed, text: string): DocumentInspection {
  const aliasTargets: [Alias, Node][] = [];
  const targets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  const root = document.contents;
  if (root === null) return { aliasTargets, nodes: 0 };

  // Pass 1, document order: resolve aliases, note each node's depth in the tree.
  let deepest: { node: Node; depth: number } | undefined;
  let nodes = 0;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Node, number];
    nodes++;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) {
        targets.set(node, target);
        aliasTargets.push([node, target]);
      }
      continue;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    if (depth > ANALYSIS_LIMITS.maxDepth && !deepest) deepest = { node, depth };
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push([child, depth + 1]);
    }
  }
  if (deepest) {
    return { aliasTargets, nodes, limit: depthLimit(text, deepest.node) };
  }
  if (targets.size === 0) return { aliasTargets, nodes };

  // Pass 2, only with aliases: the size and depth of each node with aliases read as their
  // targets, post-order with memoised results; a node met again while still open is a cycle.
  const measured = new Map<Node, { size: number; depth: number }>();
  const open = new Set<Node>();
  let treeSize = 0;
  const work: { node: Node; entered: boolean }[] = [{ node: root, entered: false }];
  while (work.length > 0) {
    const top = work[work.length - 1] as { node: Node; entered: boolean };
    const node = top.node;
    if (measured.has(node)) {
      work.pop();
      continue;
    }
    const next = isAlias(node)
      ? [targets.get(node)].filter((n): n is Node => !!n)
      : childrenOf(node);
    if (!top.entered) {
      top.entered = true;
      open.add(node);
      if (!isAlias(node)) treeSize++;
      for (const child of next) {
        if (open.has(child)) {
          return { aliasTargets, nodes, limit: recursiveAliasLimit(text, node) };
        }
        if (!measured.has(child)) work.push({ node: child, entered: false });
      }
      continue;
    }
    work.pop();
    open.delete(node);
    let size = isAlias(node) ? 0 : 1;
    let depth = 0;
    for (const child of next) {
      const m = measured.get(child);
      if (!m) continue; // a child still open is a cycle, reported when it was pushed
      size += m.size;
      depth = Math.max(depth, m.depth);
    }
    // An alias stands for its target: it adds no level of its own.
    const measure = { size, depth: isAlias(node) ? depth : depth + 1 };
    measured.set(node, measure);
    if (measure.depth > ANALYSIS_LIMITS.maxDepth) {
      return { aliasTargets, nodes, limit: depthLimit(text, node) };
    }
  }
  const total = measured.get(root)?.size ?? 0;
  if (total - treeSize > ANALYSIS_LIMITS.maxAliasExpansion) {
    const first = aliasTargets[0]?.[0];
    const start = first?.range?.[0] ?? 0;
    return {
      aliasTargets,
      nodes,
      limit: {
        kind: 'alias-expansion',
        start,
        end: first?.range?.[1] ?? start,
        message: `Secret Guard did not analyse this document: its aliases stand for more than ${count(ANALYSIS_LIMITS.maxAliasExpansion)} nodes (an alias bomb; the API server rejects it as excessive aliasing)`,
      },
    };
  }
  return { aliasTargets, nodes };
}

/**
 * `yaml` stops composing a collection nested deeper than the stack allows (about 800 levels)
 * and reports RESOURCE_EXHAUSTION: that is the depth limit too, reported as such.
 */
export function parserLimitOf(document: Document.Parsed, text: string): LimitExceeded | undefined {
  const error = document.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (!error) return undefined;
  const start = Math.max(0, Math.min(text.length, error.pos[0]));
  return { ...depthLimit(text, undefined), start, end: lineEndFrom(text, start) };
}

/** The nodes under a node, keys before values (a pair's, in a sequence too); none for scalars. */
function childrenOf(node: Node): Node[] {
  if (!isMap(node) && !isSeq(node)) return [];
  const children: Node[] = [];
  for (const item of node.items as unknown[]) {
    if (isPair(item)) {
      if (isNode(item.key)) children.push(item.key);
      if (isNode(item.value)) children.push(item.value);
    } else if (isNode(item)) {
      children.push(item);
    }
  }
  return children;
}

function isNode(item: unknown): item is Node {
  return isScalar(item) || isMap(item) || isSeq(item) || isAlias(item);
}

function depthLimit(text: string, node: Node | undefined): LimitExceeded {
  const start = node?.range?.[0] ?? 0;
  return {
    kind: 'depth',
    start,
    end: lineEndFrom(text, start),
    message: `Secret Guard did not analyse this document: it nests collections more than ${ANALYSIS_LIMITS.maxDepth} deep`,
  };
}

function recursiveAliasLimit(text: string, node: Node): LimitExceeded {
  const start = node.range?.[0] ?? 0;
  return {
    kind: 'recursive-alias',
    start,
    end: isAlias(node) ? (node.range?.[1] ?? start) : lineEndFrom(text, start),
    message:
      'Secret Guard did not analyse this document: an alias names a node that contains it, so it never ends (the API server rejects it)',
  };
}
