/**
 * Editing a Secret's values decoded: the text of a "decoded view" of one Secret, and the edits
 * that write an edited view back into the manifest.
 *
 * The view is a small YAML document of its own, read with the failsafe schema (every scalar is
 * a string, so `yes` and `0644` stay text) plus `!!binary`:
 *
 * ```yaml
 * # header comments: which Secret, what saving does, the entries that are not shown
 * data:
 *   username: admin            # plain when that reads back exactly
 *   config.json: |             # literal blocks for multi-line text, chomping as needed
 *     {"a": 1}
 *   keystore: !!binary |       # bytes that are not text, as base64, kept unless edited
 *     AAECAw==
 * stringData:
 *   note: |-
 *     stays plain text
 * # end of the decoded values
 * ```
 *
 * Writing back compares each entry's bytes with the manifest's: an unchanged entry is not
 * touched (its bytes in the file stay identical, whatever its quoting or line wrapping), a
 * changed `data` value is re-encoded as base64 in its own quoting style, a `stringData` value
 * stays text, keys added, removed or moved between `data` and `stringData` are added, removed
 * and moved with the comment-keeping primitives of `fixes/yaml-edit.ts`. The steps are applied
 * one after the other to the document's text, the result is read back and compared with the
 * view (anything else is refused, nothing is half-applied), and the difference is returned as
 * minimal edits.
 *
 * A view carries a fingerprint of the Secret's identity and raw values: writing back is
 * refused when the manifest's values changed since the view was made. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { isMap as isYamlMap, isNode, isScalar as isYamlScalar, parseDocument, visit } from 'yaml';
import type { DocumentOptions, ParseOptions, Scalar, SchemaOptions } from 'yaml';
import { encodeBase64, isPrintableUtf8 } from './base64';
import {
  YamlEditError,
  addEntryToMapping,
  appendEntry,
  contentRange,
  detectStyle,
  lineEnding,
  normalizeEdits,
  removeEntry,
  replaceEntry,
  replaceScalar,
  scalarText,
} from './fixes/yaml-edit';
import { replaceWithBase64 } from './fixes/scalar-text';
import { lineEndOf, lineStartOf } from './lines';
import { isSecret, objectsOf } from './model';
import type { K8sObject } from './model';
import { parseFile, parseSegment } from './parse';
import type { ParsedDocument } from './parse';
import { secretKeyProblems } from './secret-keys';
import { resolveSecretValue } from './secret-values';
import { diffTexts } from './text-diff';
import type { TextEdit } from './types';
import { entriesOf, entryOf, isMap, isScalar, valueAt } from './yaml-nodes';
import type { Entry, YAMLMap } from './yaml-nodes';

/** Which Secret of a file: its document (0-based) and its object in that document. */
export interface SecretLocator {
  document: number;
  /** 0 for a document that is one object; the item index in a `kind: List`. */
  object: number;
}

/** A Secret of a file, for code lenses and commands. Offsets are the file's. */
export interface SecretInFile extends SecretLocator {
  name: string | undefined;
  namespace: string | undefined;
  start: number;
  end: number;
}

export type SecretField = 'data' | 'stringData';
const FIELDS: readonly SecretField[] = ['data', 'stringData'];

/** A decoded view of one Secret, ready to show. */
export interface DecodedView {
  text: string;
  /** Identifies the values the view was made from; pass it back to {@link applyDecodedView}. */
  fingerprint: string;
  locator: SecretLocator;
  name: string | undefined;
  namespace: string | undefined;
}

export type DecodedViewResult = { ok: true; view: DecodedView } | { ok: false; message: string };

/** What writing a view back does: counts only, never values. */
export interface DecodedChangeSummary {
  changed: number;
  added: number;
  removed: number;
  moved: number;
}

export type ApplyDecodedViewResult =
  | {
      ok: true;
      /** File offsets; empty when the view holds the manifest's values already. */
      edits: TextEdit[];
      /** The fingerprint of the Secret after the edits: the view's new fingerprint. */
      fingerprint: string;
      locator: SecretLocator;
      summary: DecodedChangeSummary;
    }
  | {
      ok: false;
      /**
       * `stale`: the manifest's values changed since the view was made; `invalid-view`: the
       * view is not a valid view (syntax, keys, binary in stringData); `unsafe`: the edits could
       * not be made without risking the manifest; `not-found`: the Secret is gone.
       */
      reason: 'stale' | 'invalid-view' | 'unsafe' | 'not-found';
      /** For the user; names keys and positions, never values. */
      message: string;
    };

/** Options of {@link decodedViewOf}. */
export interface DecodedViewOptions {
  /** How the header names the file (its base name, say). */
  fileLabel?: string;
}

// ---------------------------------------------------------------------------------------
// Finding Secrets
// ---------------------------------------------------------------------------------------

/** Every core/v1 Secret of a file, in order. */
export function secretsInFile(text: string): SecretInFile[] {
  const found: SecretInFile[] = [];
  for (const document of parseFile(text)) {
    if (!document.ok) continue;
    objectsOf(document).forEach((object, index) => {
      if (!isSecret(object)) return;
      const [start, end] = object.root.range ?? [0, 0];
      found.push({
        document: document.index,
        object: index,
        name: object.name,
        namespace: object.namespace,
        start: document.offset + start,
        end: document.offset + end,
      });
    });
  }
  return found;
}

/** The Secret whose text holds `offset` (the innermost one, for a `kind: List`). */
export function secretAt(text: string, offset: number): SecretInFile | undefined {
  let best: SecretInFile | undefined;
  for (const secret of secretsInFile(text)) {
    if (offset < secret.start || offset > secret.end) continue;
    if (!best || secret.end - secret.start < best.end - best.start) best = secret;
  }
  return best;
}

function locate(
  text: string,
  locator: SecretLocator,
): { document: ParsedDocument; secret: K8sObject } | undefined {
  const document = parseFile(text)[locator.document];
  if (!document || !document.ok) return undefined;
  const secret = objectsOf(document)[locator.object];
  return secret && isSecret(secret) ? { document, secret } : undefined;
}

// ---------------------------------------------------------------------------------------
// The manifest's side: entries, what is shown, the fingerprint
// ---------------------------------------------------------------------------------------

interface ManifestEntry {
  field: SecretField;
  key: string;
  entry: Entry;
  /** The stored bytes, for entries the view shows. */
  bytes: Buffer | undefined;
  /** Why the view does not show it (no value in it). */
  hiddenBecause: string | undefined;
  /** The value's source text, for the fingerprint and the check that hidden entries stay. */
  raw: string;
}

type ManifestRead = { ok: true; entries: ManifestEntry[] } | { ok: false; message: string };

function readManifestEntries(source: string, secret: K8sObject): ManifestRead {
  const entries: ManifestEntry[] = [];
  for (const field of FIELDS) {
    const pair = entryOf(secret.root, field);
    if (!pair || pair.value === null || (isScalar(pair.value) && pair.value.value === null)) {
      continue;
    }
    if (!isMap(pair.value)) {
      return {
        ok: false,
        message: `${field} is not a mapping (templated?): its values cannot be edited decoded`,
      };
    }
    const seen = new Set<string>();
    for (const entry of entriesOf(pair.value)) {
      if (seen.has(entry.key)) {
        return {
          ok: false,
          message: `${field} has the key ${JSON.stringify(entry.key)} twice (duplicate-key): remove one first`,
        };
      }
      seen.add(entry.key);
      const range = entry.value?.range;
      const raw = range ? source.slice(range[0], range[1]) : '';
      const resolved = resolveSecretValue(
        { field, key: entry.key, keyNode: entry.keyNode, value: entry.value },
        source,
      );
      let bytes: Buffer | undefined;
      let hiddenBecause: string | undefined;
      switch (resolved.state) {
        case 'bytes':
          bytes = resolved.bytes;
          break;
        case 'empty':
          bytes = Buffer.alloc(0);
          break;
        case 'invalid-base64':
          hiddenBecause = 'not valid base64';
          break;
        case 'templated':
          hiddenBecause = 'templated';
          break;
        case 'not-a-string':
          hiddenBecause = 'not a string';
          break;
      }
      entries.push({ field, key: entry.key, entry, bytes, hiddenBecause, raw });
    }
  }
  return { ok: true, entries };
}

/** A hash of the Secret's identity and raw values: what a view was made from. */
function fingerprintOf(secret: K8sObject, entries: readonly ManifestEntry[]): string {
  const material = JSON.stringify([
    secret.name ?? null,
    secret.namespace ?? null,
    entries.map((entry) => [entry.field, entry.key, entry.raw]),
  ]);
  return createHash('sha256').update(material).digest('hex');
}

function hasSopsMetadata(text: string): boolean {
  return parseFile(text).some((document) => {
    const sops = valueAt(document.document.contents, 'sops');
    return isMap(sops) && entryOf(sops, 'mac') !== undefined;
  });
}

// ---------------------------------------------------------------------------------------
// Rendering the view
// ---------------------------------------------------------------------------------------

/** Characters YAML does not allow raw in a block scalar (or that editors would change). */
function blockUnsafe(text: string): boolean {
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20 && code !== 0x09 && code !== 0x0a) return true;
    if (code >= 0x7f && code <= 0x9f) return true;
    if (code === 0x2028 || code === 0x2029 || code === 0xfeff) return true;
    if (code === 0xfffe || code === 0xffff) return true;
  }
  // Trailing white space would be trimmed by editors on save ("trim trailing whitespace").
  return /[ \t]$/m.test(text);
}

/** Reads `key: <value text>` back with the view's schema, to check a rendering. */
function readsBackAs(valueText: string, expected: Buffer): boolean {
  const document = parseDocument(`k: ${valueText}\n`, VIEW_PARSE_OPTIONS);
  if (document.errors.length > 0 || !isYamlMap(document.contents)) return false;
  const value = viewScalarBytes(document.contents.items[0]?.value);
  return value !== undefined && value.equals(expected);
}

const PLAIN_VALUE = /^[A-Za-z0-9_./+=~$^()%*?,;!-][^\s#]*$/;

/**
 * The text after `key: ` for a value in the view, its content lines indented by `indent`:
 * plain for one word that reads back exactly, a literal block for text, double-quoted for
 * text a block cannot hold, `!!binary` for bytes that are not printable UTF-8.
 */
export function renderViewValue(bytes: Buffer, indent: string): string {
  if (bytes.length === 0) return '""';
  if (!isPrintableUtf8(bytes)) return renderBinary(bytes, indent);
  const text = bytes.toString('utf8');
  if (PLAIN_VALUE.test(text) && !text.includes(': ') && readsBackAs(text, bytes)) return text;
  const block = literalBlock(text, indent, '\n', 2);
  if (block !== undefined && readsBackAs(block, bytes)) return block;
  const quoted = scalarText(text, 'json');
  if (readsBackAs(quoted, bytes)) return quoted;
  return renderBinary(bytes, indent);
}

function renderBinary(bytes: Buffer, indent: string): string {
  const base64 = encodeBase64(bytes);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 76) lines.push(indent + base64.slice(i, i + 76));
  return `!!binary |\n${lines.join('\n')}`;
}

/**
 * A literal block scalar holding exactly `text` (header, then the lines joined by `eol`, no
 * final line break), or undefined when a literal block cannot.
 */
function literalBlock(
  text: string,
  indent: string,
  eol: string,
  indicatorWidth: number,
): string | undefined {
  if (text.includes('\r') || blockUnsafe(text)) return undefined;
  const trailing = /\n*$/.exec(text)?.[0].length ?? 0;
  const chomping = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  const firstContent = lines.find((line) => line !== '');
  if (firstContent === undefined) return undefined; // only line breaks: quoted reads better
  // An indentation indicator when the first content line starts with a space (or a leading
  // empty line precedes it), so that the parser does not take the space for indentation.
  const needsIndicator = firstContent.startsWith(' ') || lines[0] === '';
  const indicator = needsIndicator ? String(indicatorWidth) : '';
  const body = lines.map((line) => (line === '' ? '' : indent + line));
  return [`|${indicator}${chomping}`, ...body].join(eol);
}

function renderKey(key: string): string {
  const text = scalarText(key, 'block');
  return text.startsWith('"') ? text : /^[A-Za-z0-9_.-]+$/.test(key) ? key : JSON.stringify(key);
}

function describeSecret(secret: K8sObject): string {
  const name = secret.name === undefined ? 'without a name' : JSON.stringify(secret.name);
  const namespace =
    secret.namespace === undefined ? '' : ` (namespace ${JSON.stringify(secret.namespace)})`;
  return `Secret ${name}${namespace}`;
}

/** A one-line label for a header comment: no line breaks, not too long. */
function headerLabel(text: string): string {
  const oneLine = JSON.stringify(text).slice(1, -1);
  return oneLine.length > 120 ? `${oneLine.slice(0, 119)}…` : oneLine;
}

/** The footer keeps a final `|+` block from touching the end of the file (editors trim it). */
export const VIEW_FOOTER = '# end of the decoded values';

/**
 * The decoded view of the Secret at `locator` in a file's text, or why there is none (the
 * document does not parse, the file is SOPS-encrypted, a key is repeated, `data` is not a
 * mapping). Values the view cannot show (invalid base64, templated, not a string) are listed
 * in the header and kept as they are on write-back.
 */
export function decodedViewOf(
  text: string,
  locator: SecretLocator,
  options: DecodedViewOptions = {},
): DecodedViewResult {
  if (hasSopsMetadata(text)) {
    return { ok: false, message: 'this file is encrypted with SOPS: edit it with sops instead' };
  }
  const found = locate(text, locator);
  if (!found) {
    const document = parseFile(text)[locator.document];
    return {
      ok: false,
      message:
        document && !document.ok
          ? `document ${locator.document + 1} has YAML errors: fix them before editing decoded`
          : 'there is no Secret at this place of the file any more',
    };
  }
  const { document, secret } = found;
  const read = readManifestEntries(document.text, secret);
  if (!read.ok) return read;
  const entries = read.entries;
  const where = options.fileLabel
    ? `, document ${locator.document + 1} of ${headerLabel(options.fileLabel)}`
    : '';
  const hidden = entries.filter((entry) => entry.hiddenBecause !== undefined);
  const lines = [
    `# Decoded values of ${headerLabel(describeSecret(secret))}${where}.`,
    '# Saving this tab writes them back into the manifest: data values base64-encoded,',
    '# stringData values as plain text. Add, change, rename or remove keys; move a key',
    '# between data and stringData to change how it is stored. Values that are not text',
    '# are shown as !!binary (base64) and kept unless edited. This tab is kept in memory only.',
  ];
  if (hidden.length > 0) {
    const list = hidden.map(
      (entry) => `${entry.field}.${headerLabel(entry.key)} (${entry.hiddenBecause})`,
    );
    lines.push(`# Not shown, kept as they are: ${list.join(', ')}.`);
  }
  for (const field of FIELDS) {
    const shown = entries.filter((entry) => entry.field === field && entry.bytes !== undefined);
    if (shown.length === 0) {
      lines.push(`${field}:`);
      continue;
    }
    lines.push(`${field}:`);
    for (const entry of shown) {
      lines.push(
        `  ${renderKey(entry.key)}: ${renderViewValue(entry.bytes ?? Buffer.alloc(0), '    ')}`,
      );
    }
  }
  lines.push(VIEW_FOOTER, '');
  return {
    ok: true,
    view: {
      text: lines.join('\n'),
      fingerprint: fingerprintOf(secret, entries),
      locator,
      name: secret.name,
      namespace: secret.namespace,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Reading an edited view
// ---------------------------------------------------------------------------------------

const VIEW_PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  schema: 'failsafe',
  customTags: ['binary'],
  uniqueKeys: true,
  prettyErrors: false,
  version: '1.2',
};

const STRING_TAGS = new Set([undefined, '!', 'tag:yaml.org,2002:str']);
const BINARY_TAG = 'tag:yaml.org,2002:binary';

function viewScalarBytes(node: unknown): Buffer | undefined {
  if (node === null || node === undefined) return Buffer.alloc(0);
  if (!isYamlScalar(node)) return undefined;
  if (node.tag === BINARY_TAG && node.value instanceof Uint8Array) return Buffer.from(node.value);
  if (!STRING_TAGS.has(node.tag)) return undefined;
  if (node.value === null || node.value === undefined) return Buffer.alloc(0);
  return typeof node.value === 'string' ? Buffer.from(node.value, 'utf8') : undefined;
}

/** An entry of the edited view. */
interface ViewEntry {
  field: SecretField;
  key: string;
  bytes: Buffer;
}

type ViewRead = { ok: true; entries: ViewEntry[] } | { ok: false; message: string };

function positionLabel(text: string, offset: number | undefined): string {
  if (offset === undefined) return 'an unknown place';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}`;
}

/** Reads an edited view into entries, or says (without values) why it is not a valid view. */
function readView(viewText: string): ViewRead {
  const document = parseDocument(viewText, VIEW_PARSE_OPTIONS);
  const error = document.errors[0];
  if (error) {
    // The parser's own message may quote the text: name the place and the kind only.
    const kind = error.code === 'DUPLICATE_KEY' ? 'a key is repeated' : 'not valid YAML';
    return {
      ok: false,
      message: `the decoded view is ${kind} at ${positionLabel(viewText, error.pos[0])}`,
    };
  }
  const root = document.contents;
  const entries: ViewEntry[] = [];
  if (root === null || (isYamlScalar(root) && (root.value === '' || root.value === null))) {
    return { ok: true, entries };
  }
  if (!isYamlMap(root)) return { ok: false, message: 'the decoded view must be a mapping' };
  for (const pair of root.items) {
    const section = isYamlScalar(pair.key) ? String(pair.key.value) : '';
    if (section !== 'data' && section !== 'stringData') {
      return {
        ok: false,
        message: `the decoded view holds only data and stringData; found ${JSON.stringify(section)}`,
      };
    }
    const value = pair.value;
    if (value === null || (isYamlScalar(value) && (value.value === '' || value.value === null))) {
      continue;
    }
    if (!isYamlMap(value)) return { ok: false, message: `${section} must be a mapping of keys` };
    for (const item of value.items) {
      const key = isYamlScalar(item.key) ? item.key.value : undefined;
      if (typeof key !== 'string') {
        return { ok: false, message: `${section} has a key that is not a string` };
      }
      const problems = secretKeyProblems(key);
      if (problems.length > 0) {
        return {
          ok: false,
          message: `${section}.${headerLabel(key)} is not a valid Secret key: ${problems.join('; ')}`,
        };
      }
      const bytes = viewScalarBytes(item.value);
      if (bytes === undefined) {
        return {
          ok: false,
          message: `${section}.${headerLabel(key)} must be a string (or !!binary), not a list or a mapping`,
        };
      }
      if (section === 'stringData' && !isUtf8(bytes)) {
        return {
          ok: false,
          message: `stringData.${headerLabel(key)} is binary: stringData holds text only, put it under data`,
        };
      }
      entries.push({ field: section, key, bytes });
    }
  }
  return { ok: true, entries };
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// Writing back
// ---------------------------------------------------------------------------------------

/** One step of the write-back, applied to the document's text on its own. */
type Step =
  | { kind: 'replace'; field: SecretField; key: string; bytes: Buffer }
  /** `from`: the key moves from the other field, whose entry's comments come along. */
  | { kind: 'add'; field: SecretField; key: string; bytes: Buffer; from?: SecretField }
  | { kind: 'remove'; field: SecretField; key: string };

class UnsafeEdit extends Error {}

/** The document's text as the steps change it, and the Secret (object `objectIndex`) in it. */
interface Working {
  text: string;
  secret: K8sObject;
  objectIndex: number;
}

function reparse(text: string, objectIndex: number): Working {
  const parsed = parseSegment(text);
  if (!parsed.ok) throw new UnsafeEdit('the edited document does not parse');
  const secret = objectsOf({ ...parsed, offset: 0, index: 0 })[objectIndex];
  if (!secret || !isSecret(secret)) throw new UnsafeEdit('the Secret is gone after an edit');
  return { text, secret, objectIndex };
}

function applyStepEdits(working: Working, edits: TextEdit[]): Working {
  const normalized = normalizeEdits(edits);
  if (!normalized) throw new UnsafeEdit('conflicting edits');
  let text = working.text;
  for (const edit of [...normalized].sort((a, b) => b.start - a.start)) {
    text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  }
  return reparse(text, working.objectIndex);
}

function fieldMap(
  secret: K8sObject,
  field: SecretField,
): { pair: Entry | undefined; map: YAMLMap | undefined } {
  const pair = entryOf(secret.root, field);
  return { pair, map: pair && isMap(pair.value) ? pair.value : undefined };
}

function storedBytes(working: Working, field: SecretField, key: string): Buffer | undefined {
  const { map } = fieldMap(working.secret, field);
  const entry = map ? entryOf(map, key) : undefined;
  if (!entry) return undefined;
  const resolved = resolveSecretValue(
    { field, key, keyNode: entry.keyNode, value: entry.value },
    working.text,
  );
  if (resolved.state === 'bytes') return resolved.bytes;
  return resolved.state === 'empty' ? Buffer.alloc(0) : undefined;
}

/** The text a value is stored as: base64 in `data`, the text itself in `stringData`. */
function storedText(field: SecretField, bytes: Buffer): string {
  return field === 'data' ? encodeBase64(bytes) : bytes.toString('utf8');
}

/**
 * A multi-line `stringData` value in a block mapping is written as a literal block at the
 * entry's indentation plus the document's indentation unit, when that reads back exactly.
 */
function blockReplacement(
  working: Working,
  field: SecretField,
  key: string,
  text: string,
): Working | undefined {
  const block = literalBlockEdit(working, field, key, text);
  if (!block) return undefined;
  try {
    const next = applyStepEdits(working, [block.edit]);
    const stored = storedBytes(next, field, key);
    return stored?.equals(Buffer.from(text, 'utf8')) ? next : undefined;
  } catch (error) {
    if (error instanceof UnsafeEdit) return undefined;
    throw error;
  }
}

/**
 * The edit that writes a multi-line value as a literal block at its entry's indentation plus
 * the document's indentation unit, and the value's current style; undefined where the value is
 * one line, or its map is a flow map.
 */
function literalBlockEdit(
  working: Working,
  field: SecretField,
  key: string,
  text: string,
): { edit: TextEdit; currentType: Scalar['type'] } | undefined {
  if (!text.includes('\n')) return undefined;
  const { map } = fieldMap(working.secret, field);
  const entry = map ? entryOf(map, key) : undefined;
  if (!map || map.flow || !entry || !isScalar(entry.value) || !entry.keyNode.range) {
    return undefined;
  }
  const source = working.text;
  const keyStart = entry.keyNode.range[0];
  const column = keyStart - (source.lastIndexOf('\n', keyStart - 1) + 1);
  const unit = detectStyle(source, working.secret.root).indent;
  const block = literalBlock(text, ' '.repeat(column + unit), lineEnding(source), unit);
  if (block === undefined) return undefined;
  const [start, end] = contentRange(source, entry.value);
  return { edit: { start, end, newText: block }, currentType: entry.value.type };
}

function replaceStep(working: Working, field: SecretField, key: string, bytes: Buffer): Working {
  const { map } = fieldMap(working.secret, field);
  const entry = map ? entryOf(map, key) : undefined;
  if (!map || !entry) throw new UnsafeEdit(`${field}.${key} is missing`);
  const text = storedText(field, bytes);
  if (field === 'stringData') {
    const asBlock = blockReplacement(working, field, key, text);
    if (asBlock) return asBlock;
  }
  const value = entry.value;
  let edits: TextEdit[];
  if (isScalar(value) && typeof value.value === 'string') {
    edits =
      field === 'data'
        ? [replaceWithBase64(working.text, value, text)]
        : replaceScalar(working.text, value, text);
  } else {
    edits = replaceEntry(working.text, map, entry.pair, key, text);
  }
  return applyStepEdits(working, edits);
}

function addStep(working: Working, field: SecretField, key: string, bytes: Buffer): Working {
  const text = storedText(field, bytes);
  const root = working.secret.root;
  const { pair, map } = fieldMap(working.secret, field);
  let edits: TextEdit[];
  if (map) {
    edits = appendEntry(working.text, map, key, text);
  } else if (pair) {
    // `data:` with no value (or `~`): becomes a mapping holding the entry.
    edits = replaceEntry(working.text, root, pair.pair, field, { [key]: text });
  } else {
    const after = field === 'data' ? ['type', 'metadata', 'kind'] : ['data', 'type', 'metadata'];
    edits = addEntryToMapping(working.text, root, field, { [key]: text }, { after });
  }
  const added = applyStepEdits(working, edits);
  if (field === 'stringData') return blockReplacement(added, field, key, text) ?? added;
  return added;
}

/** Comments that belong to a block entry: whole lines above it, and one at the end of its key line. */
interface OwnedComments {
  above: string[];
  trailing: string | undefined;
}

/**
 * Where a comment may go at the end of an entry's key line: after a one-line scalar value, or
 * after a block scalar's header; undefined for other layouts.
 */
function trailingCommentSlot(text: string, entry: Entry): number | undefined {
  const value = entry.value;
  const keyRange = entry.keyNode.range;
  if (!keyRange) return undefined;
  const keyLineEnd = lineEndOf(text, keyRange[0]);
  if (value === null || (isScalar(value) && value.value === null && !value.source)) {
    // `key:` with no value: right after the colon.
    const colon = text.indexOf(':', keyRange[1]);
    return colon !== -1 && colon < keyLineEnd ? colon + 1 : undefined;
  }
  if (!isScalar(value) || !value.range) return undefined;
  if (value.range[0] > keyLineEnd) return undefined;
  if (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED') {
    const header = /^[|>][-+0-9]*/.exec(text.slice(value.range[0], keyLineEnd));
    return header ? value.range[0] + header[0].length : undefined;
  }
  const end = contentRange(text, value)[1];
  return end <= keyLineEnd ? end : undefined;
}

function ownedComments(text: string, entry: Entry): OwnedComments {
  const keyStart = entry.keyNode.range?.[0] ?? 0;
  const lineStart = lineStartOf(text, keyStart);
  const column = keyStart - lineStart;
  const above: string[] = [];
  let cursor = lineStart;
  while (cursor > 0) {
    const previous = lineStartOf(text, cursor - 1);
    const line = text.slice(previous, lineEndOf(text, previous));
    const indent = line.length - line.trimStart().length;
    if (!/^[ \t]*#/.test(line) || indent !== column) break;
    above.unshift(line.trim());
    cursor = previous;
  }
  const slot = trailingCommentSlot(text, entry);
  const rest = slot === undefined ? '' : text.slice(slot, lineEndOf(text, slot));
  const trailing = /^[ \t]+(#.*)$/.exec(rest)?.[1];
  return { above, trailing };
}

/**
 * A key moved between `data` and `stringData` takes its comments along: they are copied onto
 * the new entry (the old entry, removed later, takes the originals with it). Flow and JSON
 * maps get none.
 */
function carryComments(working: Working, from: SecretField, to: SecretField, key: string): Working {
  return applyPhase(working, commentEdits(working, from, to, key));
}

function commentEdits(
  working: Working,
  from: SecretField,
  to: SecretField,
  key: string,
): TextEdit[] {
  const source = fieldMap(working.secret, from).map;
  const target = fieldMap(working.secret, to).map;
  const old = source ? entryOf(source, key) : undefined;
  const added = target ? entryOf(target, key) : undefined;
  if (!source || !target || source.flow || target.flow || !old || !added) return [];
  const comments = ownedComments(working.text, old);
  const edits: TextEdit[] = [];
  const text = working.text;
  if (comments.trailing !== undefined) {
    const slot = trailingCommentSlot(text, added);
    if (slot === undefined) return [];
    edits.push({ start: slot, end: slot, newText: ` ${comments.trailing}` });
  }
  if (comments.above.length > 0) {
    const keyStart = added.keyNode.range?.[0] ?? 0;
    const lineStart = lineStartOf(text, keyStart);
    const indent = ' '.repeat(keyStart - lineStart);
    const eol = lineEnding(text);
    const lines = comments.above.map((comment) => `${indent}${comment}${eol}`).join('');
    edits.push({ start: lineStart, end: lineStart, newText: lines });
  }
  return edits;
}

function removeStep(working: Working, field: SecretField, key: string): Working {
  const { map } = fieldMap(working.secret, field);
  const entry = map ? entryOf(map, key) : undefined;
  if (!map || !entry) throw new UnsafeEdit(`${field}.${key} is missing`);
  return applyStepEdits(working, removeEntry(working.text, map, entry.pair));
}

function planSteps(
  manifest: readonly ManifestEntry[],
  view: readonly ViewEntry[],
): { steps: Step[]; summary: DecodedChangeSummary } | { conflict: string } {
  const id = (field: SecretField, key: string): string => `${field}\u0000${key}`;
  const inView = new Map(view.map((entry) => [id(entry.field, entry.key), entry]));
  const inManifest = new Map(manifest.map((entry) => [id(entry.field, entry.key), entry]));
  const summary: DecodedChangeSummary = { changed: 0, added: 0, removed: 0, moved: 0 };
  const replaces: Step[] = [];
  const adds: Step[] = [];
  const removes: Step[] = [];
  for (const entry of view) {
    const existing = inManifest.get(id(entry.field, entry.key));
    if (existing?.hiddenBecause !== undefined) {
      return {
        conflict: `${entry.field}.${headerLabel(entry.key)} is in the manifest already (${existing.hiddenBecause}, not shown): use another key`,
      };
    }
    if (existing) {
      if (!existing.bytes?.equals(entry.bytes)) {
        replaces.push({ kind: 'replace', field: entry.field, key: entry.key, bytes: entry.bytes });
        summary.changed++;
      }
      continue;
    }
    const other: SecretField = entry.field === 'data' ? 'stringData' : 'data';
    const from = inManifest.get(id(other, entry.key));
    if (from && from.hiddenBecause === undefined && !inView.has(id(other, entry.key))) {
      adds.push({ ...entry, kind: 'add', from: other });
      summary.moved++;
    } else {
      adds.push({ ...entry, kind: 'add' });
      summary.added++;
    }
  }
  for (const entry of manifest) {
    if (entry.hiddenBecause !== undefined || inView.has(id(entry.field, entry.key))) continue;
    removes.push({ kind: 'remove', field: entry.field, key: entry.key });
    const other: SecretField = entry.field === 'data' ? 'stringData' : 'data';
    const movedTo = inView.has(id(other, entry.key)) && !inManifest.has(id(other, entry.key));
    if (!movedTo) summary.removed++;
  }
  // Replacements first, additions before removals: a map never empties on the way.
  return { steps: [...replaces, ...adds, ...removes], summary };
}

/** Checks that the final text holds exactly the view's values and the hidden entries as they were. */
function verify(
  working: Working,
  original: { text: string; secret: K8sObject; entries: readonly ManifestEntry[] },
  view: readonly ViewEntry[],
): boolean {
  const read = readManifestEntries(working.text, working.secret);
  if (!read.ok) return false;
  const shown = read.entries.filter((entry) => entry.hiddenBecause === undefined);
  if (shown.length !== view.length) return false;
  for (const entry of view) {
    const found = shown.find(
      (candidate) => candidate.field === entry.field && candidate.key === entry.key,
    );
    if (!found?.bytes?.equals(entry.bytes)) return false;
  }
  for (const hidden of original.entries.filter((entry) => entry.hiddenBecause !== undefined)) {
    const found = read.entries.find(
      (entry) => entry.field === hidden.field && entry.key === hidden.key,
    );
    if (!found || found.raw !== hidden.raw) return false;
  }
  // Every comment is still there, but those of the keys the view removed.
  const removed = original.entries.filter(
    (entry) =>
      entry.hiddenBecause === undefined && !view.some((wanted) => wanted.key === entry.key),
  );
  const allowedToGo = removed.flatMap((entry) => {
    const owned = ownedComments(original.text, entry.entry);
    return [...owned.above, ...(owned.trailing === undefined ? [] : [owned.trailing])];
  });
  if (!keepsComments(commentsOf(original.text), commentsOf(working.text), allowedToGo)) {
    return false;
  }
  // Everything outside data and stringData is as it was.
  const outside = (text: string, secret: K8sObject): string[] =>
    entriesOf(secret.root)
      .filter((entry) => entry.key !== 'data' && entry.key !== 'stringData')
      .map((entry) => {
        const value = entry.pair.value;
        const [start, end] = isNode(value) ? contentRange(text, value) : [0, 0];
        return `${entry.key}\u0000${text.slice(start, end)}`;
      });
  return (
    JSON.stringify(outside(working.text, working.secret)) ===
    JSON.stringify(outside(original.text, original.secret))
  );
}

/**
 * The comments of a document's text, trimmed, in order: each `#` that starts a comment (at a
 * line start or after white space) outside every scalar (quoted and block scalars can hold `#`).
 */
function commentsOf(text: string): string[] {
  const ranges: [number, number][] = [];
  visit(parseSegment(text).document, {
    Scalar(_, node) {
      if (!node.range) return;
      // A block scalar's header line (`|- # note`) may end with a comment: only its content
      // lines are masked.
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      const newline = text.indexOf('\n', node.range[0]);
      const start = block ? (newline === -1 ? node.range[1] : newline + 1) : node.range[0];
      ranges.push([start, node.range[1]]);
    },
  });
  ranges.sort((a, b) => a[0] - b[0]);
  const insideScalar = (at: number): boolean => {
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = ranges[middle];
      if (!range) break;
      if (at < range[0]) high = middle - 1;
      else if (at >= range[1]) low = middle + 1;
      else return true;
    }
    return false;
  };
  const comments: string[] = [];
  for (let at = text.indexOf('#'); at !== -1; at = text.indexOf('#', at + 1)) {
    const before = at === 0 ? '\n' : text[at - 1];
    if (before !== ' ' && before !== '\t' && before !== '\n' && before !== '\r') continue;
    if (insideScalar(at)) continue;
    comments.push(text.slice(at, lineEndOf(text, at)).trim());
  }
  return comments;
}

/** Every comment of `before` is in `after` (as many times), but those allowed to go. */
function keepsComments(
  before: readonly string[],
  after: readonly string[],
  allowedToGo: readonly string[],
): boolean {
  const left = new Map<string, number>();
  for (const comment of after) left.set(comment, (left.get(comment) ?? 0) + 1);
  const mayGo = new Map<string, number>();
  for (const comment of allowedToGo) mayGo.set(comment, (mayGo.get(comment) ?? 0) + 1);
  for (const comment of before) {
    const count = left.get(comment) ?? 0;
    if (count > 0) {
      left.set(comment, count - 1);
      continue;
    }
    const allowed = mayGo.get(comment) ?? 0;
    if (allowed === 0) return false;
    mayGo.set(comment, allowed - 1);
  }
  return true;
}

/**
 * Writes an edited view back into a file's text: edits (file offsets) that make the Secret at
 * `locator` hold exactly the view's values, or why not. `fingerprint` is the one the view was
 * made with; when the Secret at `locator` no longer matches it, another Secret of the file
 * that does (the document moved) is used, else the write-back is refused as stale.
 */
export function applyDecodedView(
  text: string,
  locator: SecretLocator,
  fingerprint: string,
  viewText: string,
): ApplyDecodedViewResult {
  const viewRead = readView(viewText);
  if (!viewRead.ok) return { ok: false, reason: 'invalid-view', message: viewRead.message };
  const candidates = secretsInFile(text).filter((secret) => {
    const found = locate(text, secret);
    if (!found) return false;
    const read = readManifestEntries(found.document.text, found.secret);
    return read.ok && fingerprintOf(found.secret, read.entries) === fingerprint;
  });
  const target =
    candidates.find((c) => c.document === locator.document && c.object === locator.object) ??
    candidates[0];
  if (!target) {
    const stillThere = locate(text, locator) !== undefined;
    return stillThere
      ? {
          ok: false,
          reason: 'stale',
          message:
            "the Secret's values changed in the manifest since this decoded view was opened: nothing was written; reopen the decoded view to edit the current values",
        }
      : {
          ok: false,
          reason: 'not-found',
          message:
            'the Secret is no longer in the manifest (or it no longer parses): nothing was written',
        };
  }
  const written = writeEntries(text, target, viewRead.entries);
  if (!written.ok) return written;
  return { ok: true, ...written.result, fingerprint: written.result.fingerprint ?? fingerprint };
}

interface WriteResult {
  edits: TextEdit[];
  fingerprint: string | undefined;
  locator: SecretLocator;
  summary: DecodedChangeSummary;
}

/**
 * Makes the Secret at `locator` hold exactly `wanted` (its shown entries; the hidden ones stay
 * as they are): the steps, applied one after the other, verified, diffed into minimal edits.
 */
function writeEntries(
  text: string,
  locator: SecretLocator,
  wanted: readonly ViewEntry[],
):
  | { ok: true; result: WriteResult }
  | { ok: false; reason: 'invalid-view' | 'unsafe' | 'not-found'; message: string } {
  const found = locate(text, locator);
  if (!found) return { ok: false, reason: 'not-found', message: 'the Secret is gone' };
  const { document, secret } = found;
  const read = readManifestEntries(document.text, secret);
  if (!read.ok) return { ok: false, reason: 'unsafe', message: read.message };
  const plan = planSteps(read.entries, wanted);
  if ('conflict' in plan) return { ok: false, reason: 'invalid-view', message: plan.conflict };
  const newLocator = { document: locator.document, object: locator.object };
  if (plan.steps.length === 0) {
    const result = {
      edits: [],
      fingerprint: undefined,
      locator: newLocator,
      summary: plan.summary,
    };
    return { ok: true, result };
  }
  const start: Working = { text: document.text, secret, objectIndex: locator.object };
  const original = { text: document.text, secret, entries: read.entries };
  // Phases of steps first (one parse each); step by step when a phase cannot be batched.
  const batched = runBatched(start, plan.steps);
  if (batched && verify(batched, original, wanted)) {
    return finish(document.text, document.offset, batched, newLocator, plan.summary);
  }
  let working = start;
  try {
    for (const step of plan.steps) {
      if (step.kind === 'replace') working = replaceStep(working, step.field, step.key, step.bytes);
      else if (step.kind === 'add') {
        working = addStep(working, step.field, step.key, step.bytes);
        if (step.from) working = carryComments(working, step.from, step.field, step.key);
      } else working = removeStep(working, step.field, step.key);
    }
  } catch (error) {
    if (error instanceof UnsafeEdit || error instanceof YamlEditError) {
      return {
        ok: false,
        reason: 'unsafe',
        message:
          "the values could not be written back without risking the manifest's layout: nothing was written",
      };
    }
    throw error;
  }
  if (!verify(working, original, wanted)) {
    return {
      ok: false,
      reason: 'unsafe',
      message:
        'writing the values back would not store exactly the decoded view: nothing was written',
    };
  }
  return finish(document.text, document.offset, working, newLocator, plan.summary);
}

function finish(
  before: string,
  offset: number,
  working: Working,
  locator: SecretLocator,
  summary: DecodedChangeSummary,
): { ok: true; result: WriteResult } {
  const after = readManifestEntries(working.text, working.secret);
  const edits = diffTexts(before, working.text).map((edit) => ({
    start: edit.start + offset,
    end: edit.end + offset,
    newText: edit.newText,
  }));
  return {
    ok: true,
    result: {
      edits,
      fingerprint: after.ok ? fingerprintOf(working.secret, after.entries) : undefined,
      locator,
      summary,
    },
  };
}

/** Applies one phase's edits (all computed on the same text) at once, or throws. */
function applyPhase(working: Working, edits: TextEdit[]): Working {
  return edits.length === 0 ? working : applyStepEdits(working, edits);
}

/**
 * The steps in phases, each computed on one text and applied at once: replacements, additions
 * (one insertion per field), literal blocks for multi-line `stringData`, the comments of moved
 * keys, removals (the last entry of a map emptied by them in a step of its own). Undefined when
 * a phase cannot be batched (its edits overlap, a primitive refuses the layout): the caller
 * then goes step by step.
 */
function runBatched(start: Working, steps: readonly Step[]): Working | undefined {
  try {
    let working = start;
    const replaces = steps.filter(
      (step): step is Extract<Step, { kind: 'replace' }> => step.kind === 'replace',
    );
    const adds = steps.filter(
      (step): step is Extract<Step, { kind: 'add' }> => step.kind === 'add',
    );
    const removes = steps.filter(
      (step): step is Extract<Step, { kind: 'remove' }> => step.kind === 'remove',
    );
    working = applyPhase(
      working,
      replaces.flatMap((step) => replaceEdits(working, step.field, step.key, step.bytes)),
    );
    working = applyPhase(working, addEdits(working, adds));
    const blocks: TextEdit[] = [];
    for (const step of [...replaces, ...adds]) {
      if (step.field !== 'stringData') continue;
      blocks.push(
        ...(blockEdits(working, step.field, step.key, step.bytes.toString('utf8')) ?? []),
      );
    }
    working = applyPhase(working, blocks);
    working = applyPhase(
      working,
      adds.flatMap((step) =>
        step.from ? commentEdits(working, step.from, step.field, step.key) : [],
      ),
    );
    // A map that the removals empty keeps one entry for a last step: removing the only
    // entry is what leaves `{}` behind.
    const last = new Map<SecretField, string>();
    for (const field of FIELDS) {
      const map = fieldMap(working.secret, field).map;
      const removed = removes.filter((step) => step.field === field);
      if (map && removed.length > 0 && removed.length === map.items.length) {
        last.set(field, removed[removed.length - 1]?.key ?? '');
      }
    }
    working = applyPhase(
      working,
      removes
        .filter((step) => last.get(step.field) !== step.key)
        .flatMap((step) => removeEdits(working, step.field, step.key)),
    );
    for (const [field, key] of last)
      working = applyPhase(working, removeEdits(working, field, key));
    return working;
  } catch (error) {
    if (error instanceof UnsafeEdit || error instanceof YamlEditError) return undefined;
    throw error;
  }
}

/** The edits of a replacement, computed on `working` (multi-line stringData: see blockEdits). */
function replaceEdits(
  working: Working,
  field: SecretField,
  key: string,
  bytes: Buffer,
): TextEdit[] {
  const { map } = fieldMap(working.secret, field);
  const entry = map ? entryOf(map, key) : undefined;
  if (!map || !entry) throw new UnsafeEdit(`${field}.${key} is missing`);
  const text = storedText(field, bytes);
  const value = entry.value;
  if (isScalar(value) && typeof value.value === 'string') {
    return field === 'data'
      ? [replaceWithBase64(working.text, value, text)]
      : replaceScalar(working.text, value, text);
  }
  return replaceEntry(working.text, map, entry.pair, key, text);
}

/** The edits of all additions, one insertion (or one new mapping) per field. */
function addEdits(working: Working, adds: readonly Extract<Step, { kind: 'add' }>[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const root = working.secret.root;
  for (const field of FIELDS) {
    const mine = adds.filter((step) => step.field === field);
    if (mine.length === 0) continue;
    const values: Record<string, string> = {};
    for (const step of mine) values[step.key] = storedText(field, step.bytes);
    const { pair, map } = fieldMap(working.secret, field);
    if (map && map.items.length > 0) {
      for (const step of mine) {
        edits.push(...appendEntry(working.text, map, step.key, values[step.key] ?? ''));
      }
    } else if (pair) {
      edits.push(...replaceEntry(working.text, root, pair.pair, field, values));
    } else {
      const after = field === 'data' ? ['type', 'metadata', 'kind'] : ['data', 'type', 'metadata'];
      edits.push(...addEntryToMapping(working.text, root, field, values, { after }));
    }
  }
  return edits;
}

/** A multi-line stringData value as a literal block, when its map is a block map. */
function blockEdits(
  working: Working,
  field: SecretField,
  key: string,
  text: string,
): TextEdit[] | undefined {
  const block = literalBlockEdit(working, field, key, text);
  // A value that is a literal block already is left as it is.
  return block && block.currentType !== 'BLOCK_LITERAL' ? [block.edit] : undefined;
}

function removeEdits(working: Working, field: SecretField, key: string): TextEdit[] {
  const { map } = fieldMap(working.secret, field);
  const entry = map ? entryOf(map, key) : undefined;
  if (!map || !entry) throw new UnsafeEdit(`${field}.${key} is missing`);
  return removeEntry(working.text, map, entry.pair);
}

/** A value of a Secret as a rewrite sees it: where it is stored, and its bytes. */
export interface SecretEntryValue {
  field: SecretField;
  key: string;
  bytes: Buffer;
}

/**
 * Rewrites the values of the Secret at `locator`: `transform` gets the entries the decoded view
 * would show (in source order; values that are not valid base64, templated or not strings are
 * left out, and kept as they are) and returns what the Secret should hold. Returns the minimal
 * edits (file offsets; empty when nothing changes), or undefined when the Secret cannot be
 * rewritten safely. The conversions between `data` and `stringData`, re-encodings and the
 * decoded view share this one engine (and its check that the result holds exactly that).
 */
export function rewriteSecretEntries(
  text: string,
  locator: SecretLocator,
  transform: (entries: readonly SecretEntryValue[]) => readonly SecretEntryValue[],
): TextEdit[] | undefined {
  const found = locate(text, locator);
  if (!found) return undefined;
  const read = readManifestEntries(found.document.text, found.secret);
  if (!read.ok) return undefined;
  const shown = read.entries.flatMap((entry) =>
    entry.bytes === undefined ? [] : [{ field: entry.field, key: entry.key, bytes: entry.bytes }],
  );
  const wanted = transform(shown);
  if (wanted.some((entry) => entry.field === 'stringData' && !isUtf8(entry.bytes)))
    return undefined;
  const written = writeEntries(text, locator, wanted);
  return written.ok ? written.result.edits : undefined;
}
