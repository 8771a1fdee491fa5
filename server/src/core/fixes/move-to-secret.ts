/**
 * Puts a value into a Secret of the same file, for the fixes that move a hard-coded secret out
 * of a workload's env or a ConfigMap: into the Secret of the wanted name and namespace when
 * the file already defines it, else into a new `Opaque` Secret placed right after the object
 * being fixed (a new `---` document, or a new item of the `kind: List` that holds it).
 *
 * The value is carried exactly: it is written double-quoted (or as a literal block when that
 * reads back to the very same string), and a new document is parsed back before it is offered.
 */
import { isSecret, objectsOf } from '../model';
import type { K8sObject } from '../model';
import { parseSegment } from '../parse';
import type { ParsedDocument } from '../parse';
import { isTemplated } from '../placeholders';
import type { TextEdit } from '../types';
import { entriesOf, entryOf, isMap, isScalar, isSeq, stringAt, valueAt } from '../yaml-nodes';
import {
  YamlEditError,
  addEntryToMapping,
  appendEntry,
  appendItem,
  detectStyle,
  lineEnding,
  scalarText,
} from './yaml-edit';
import type { YamlValue } from './yaml-edit';

/** What to store and where. */
export interface SecretEntryRequest {
  secretName: string;
  namespace: string | undefined;
  /** Keys to use, in order of preference: the first one the Secret does not hold yet wins. */
  keys: readonly string[];
  /** `stringData` for text; `data` for a value that is already base64 (ConfigMap binaryData). */
  field: 'stringData' | 'data';
  value: string;
}

/** The edits that store the value, and the key it went under. */
export interface SecretEntryPlan {
  key: string;
  /** Edits in another document carry its index in `document` (see `TextEdit.document`). */
  edits: TextEdit[];
  /** A new Secret is created (as opposed to a key added to an existing one). */
  created: boolean;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** A key that the API server accepts in a Secret's `data`/`stringData`. */
export function isValidSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && key !== '.' && key !== '..' && key.length <= 253;
}

/** A name that the API server accepts as a Secret's `metadata.name`. */
export function isValidSecretName(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

/**
 * The name and namespace of a Secret derived from `object`'s name (`<name><suffix>`), or
 * undefined when the object's name or namespace is missing, templated or would give an
 * invalid name.
 */
export function derivedSecretName(
  object: K8sObject,
  suffix: string,
): { name: string; namespace: string | undefined } | undefined {
  if (object.name === undefined || isTemplated(object.name)) return undefined;
  if (object.namespace !== undefined && isTemplated(object.namespace)) return undefined;
  const name = `${object.name}${suffix}`;
  return isValidSecretName(name) ? { name, namespace: object.namespace } : undefined;
}

/**
 * Plans storing a value in Secret `secretName`, for a fix on `object` in `document`.
 * Returns undefined when no safe edit exists: the existing Secret's keys cannot be listed
 * (templated), every candidate key is taken, a Secret of that name may or may not share the
 * namespace (one of the two has none), the layout defeats the editor, or a new Secret would
 * have to go into a JSON document (a JSON file cannot hold a second document).
 */
export function planSecretEntry(
  document: ParsedDocument,
  documents: readonly ParsedDocument[] | undefined,
  object: K8sObject,
  request: SecretEntryRequest,
): SecretEntryPlan | undefined {
  try {
    const existing = findSecret(documents ?? [document], request);
    if (existing === 'ambiguous') return undefined;
    if (existing) return addToExisting(document, existing, request);
    return createSecret(document, object, request);
  } catch (error) {
    if (error instanceof YamlEditError) return undefined;
    throw error;
  }
}

interface FoundSecret {
  document: ParsedDocument;
  secret: K8sObject;
}

/**
 * The last Secret of that name and exactly that namespace (a later definition wins on apply).
 * A Secret of that name with no namespace where the other side has one (or the reverse) may
 * land in the same namespace at apply time (`kubectl -n`): that is ambiguous, and no plan is
 * safe.
 */
function findSecret(
  documents: readonly ParsedDocument[],
  request: SecretEntryRequest,
): FoundSecret | 'ambiguous' | undefined {
  let found: FoundSecret | undefined;
  let ambiguous = false;
  for (const document of documents) {
    if (!document.ok) continue;
    for (const secret of objectsOf(document)) {
      if (!isSecret(secret) || secret.name !== request.secretName) continue;
      if (secret.namespace === request.namespace) found = { document, secret };
      else if (secret.namespace === undefined || request.namespace === undefined) ambiguous = true;
    }
  }
  return found ?? (ambiguous ? 'ambiguous' : undefined);
}

function addToExisting(
  document: ParsedDocument,
  found: FoundSecret,
  request: SecretEntryRequest,
): SecretEntryPlan | undefined {
  const source = found.document.text;
  const taken = new Set<string>();
  for (const field of ['data', 'stringData'] as const) {
    const map = valueAt(found.secret.root, field);
    if (map === undefined || (isScalar(map) && map.value === null)) continue;
    const raw = map.range ? source.slice(map.range[0], map.range[1]) : '';
    // Keys that cannot be listed might include the one we would add.
    if (!isMap(map) || isTemplated(raw)) return undefined;
    for (const entry of entriesOf(map)) taken.add(entry.key);
  }
  const key = request.keys.find((candidate) => !taken.has(candidate));
  if (key === undefined) return undefined;
  const target = entryOf(found.secret.root, request.field);
  let edits: TextEdit[];
  if (!target) {
    edits = addEntryToMapping(
      source,
      found.secret.root,
      request.field,
      { [key]: request.value },
      { after: request.field === 'stringData' ? ['data', 'type'] : ['type'] },
    );
  } else if (isMap(target.value)) {
    edits = appendEntry(source, target.value, key, request.value);
  } else {
    return undefined; // `stringData:` with no value, or a scalar: not a map to add to
  }
  const index = found.document.index;
  const anchored =
    index === document.index ? edits : edits.map((edit) => ({ ...edit, document: index }));
  return { key, edits: anchored, created: false };
}

function createSecret(
  document: ParsedDocument,
  object: K8sObject,
  request: SecretEntryRequest,
): SecretEntryPlan | undefined {
  const key = request.keys[0];
  if (key === undefined) return undefined;
  const contents = document.document.contents;
  if (object.root !== contents) {
    // An item of a `kind: List`: the new Secret becomes another item, in the list's style.
    const items = valueAt(contents, 'items');
    if (!isSeq(items) || !items.items.includes(object.root)) return undefined;
    const edits = appendItem(document.text, items, secretObject(request, key));
    return { key, edits, created: true };
  }
  const source = document.text;
  const style = detectStyle(source, contents);
  if (style.json || !isMap(contents) || contents.flow) return undefined;
  // A document closed by `...` ends with that line: the new one goes before it, or the text
  // of the next document (which then needs no `---`) would run on inside the new Secret.
  const end = /(?:^|\n)(\.\.\.(?:[ \t][^\n]*)?\n?)$/.exec(source);
  const at = end?.[1] !== undefined ? source.length - end[1].length : source.length;
  const newText = newSecretDocument(source.slice(0, at), request, key, style.indent);
  if (newText === undefined) return undefined;
  return {
    key,
    edits: [{ start: at, end: at, newText }],
    created: true,
  };
}

function secretObject(request: SecretEntryRequest, key: string): YamlValue {
  const metadata: Record<string, YamlValue> = { name: request.secretName };
  if (request.namespace !== undefined) metadata.namespace = request.namespace;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata,
    type: 'Opaque',
    [request.field]: { [key]: request.value },
  };
}

/** A `---` document holding the Secret, read back to check that it holds exactly the value. */
function newSecretDocument(
  source: string,
  request: SecretEntryRequest,
  key: string,
  indentWidth: number,
): string | undefined {
  const eol = lineEnding(source);
  const indent = ' '.repeat(indentWidth);
  const lines = [
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `${indent}name: ${scalarText(request.secretName, 'block')}`,
    ...(request.namespace !== undefined
      ? [`${indent}namespace: ${scalarText(request.namespace, 'block')}`]
      : []),
    'type: Opaque',
    `${request.field}:`,
    `${indent}${scalarText(key, 'block')}: ${valueText(request.value, indent + indent, eol)}`,
  ];
  const body = lines.join(eol) + eol;
  const parsed = parseSegment(body.slice(body.indexOf(eol) + eol.length));
  const stored = stringAt(parsed.document.contents, request.field, key);
  if (!parsed.ok || stored !== request.value) return undefined;
  if (stringAt(parsed.document.contents, 'metadata', 'name') !== request.secretName) {
    return undefined;
  }
  const needsBreak = source.length > 0 && !source.endsWith('\n');
  return (needsBreak ? eol : '') + body;
}

/**
 * A multi-line value as a literal block (`|` or `|-`), which keeps a PEM key readable, when
 * that reads back to the same string; anything else as a double-quoted scalar.
 */
function valueText(value: string, indent: string, eol: string): string {
  const lines = value.split('\n');
  const literalSafe =
    lines.length > 1 &&
    !value.includes('\r') &&
    !/^[ \t]/.test(value) &&
    !/\n\n$/.test(value) &&
    value.trim() !== '' &&
    // Printable characters and tabs only: YAML forbids the other control characters.
    !hasControlCharacter(value);
  if (!literalSafe) return scalarText(value, 'block');
  const chomping = value.endsWith('\n') ? '|' : '|-';
  const body = value.endsWith('\n') ? lines.slice(0, -1) : lines;
  return [chomping, ...body.map((line) => (line === '' ? '' : indent + line))].join(eol);
}

/** C0 (but tab and line feed) and C1 controls, DEL, U+2028/U+2029 and the BOM. */
function hasControlCharacter(value: string): boolean {
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20 && code !== 0x09 && code !== 0x0a) return true;
    if ((code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff) {
      return true;
    }
  }
  return false;
}
