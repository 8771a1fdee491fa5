/**
 * Completion in manifests: a Secret's `type`, the keys its type requires (in `data` or
 * `stringData`), and in pod specs the names of the Secrets known in the workspace
 * (`secretKeyRef.name`, `secretRef.name`, `secret.secretName`, a projected `secret.name`) and
 * the keys of the Secret named (`secretKeyRef.key`, secret volume `items[].key`).
 *
 * The place is found on the parsed document, which the `yaml` package builds even while the
 * text is incomplete (a key typed without its colon yet); a blank line inside `data` or
 * `stringData` is placed by its indentation. Pure: the workspace's Secrets are passed in.
 */
import { objectsOf, podSpecOf, isSecret } from './model';
import type { K8sObject } from './model';
import { parseFile } from './parse';
import type { ParsedDocument } from './parse';
import { REQUIREMENTS } from './rules/type-required-keys';
import { namespacesMatch, secretsOfDocuments } from './secret-index';
import type { IndexedSecret } from './secret-index';
import { entriesOf, isMap, isScalar, isSeq, stringAt, stringOf, valueAt } from './yaml-nodes';
import type { Node, YAMLMap } from './yaml-nodes';

export interface CompletionCandidate {
  label: string;
  /** `value`: a value of a field; `key`: a map key; `reference`: a Secret name or key. */
  kind: 'value' | 'key' | 'reference';
  detail?: string;
  documentation?: string;
  /** Inserted in place of the typed word; defaults to `label`. */
  insertText?: string;
}

export interface CompletionResult {
  items: CompletionCandidate[];
  /** The typed word that an item replaces (file offsets). */
  start: number;
  end: number;
}

export interface CompletionContext {
  path?: string;
  /** Every Secret of the workspace's index (the file's own are read from its text). */
  workspaceSecrets?: () => readonly IndexedSecret[];
}

/** The Secret types Kubernetes defines, with what each is for. */
const SECRET_TYPES: readonly { type: string; documentation: string }[] = [
  { type: 'Opaque', documentation: 'Arbitrary user-defined data (the default).' },
  {
    type: 'kubernetes.io/tls',
    documentation: 'A TLS certificate and its key: `tls.crt`, `tls.key`.',
  },
  {
    type: 'kubernetes.io/dockerconfigjson',
    documentation:
      'Registry credentials for image pulls: `.dockerconfigjson` (a `~/.docker/config.json`).',
  },
  { type: 'kubernetes.io/dockercfg', documentation: 'Legacy registry credentials: `.dockercfg`.' },
  {
    type: 'kubernetes.io/basic-auth',
    documentation: 'Credentials for basic authentication: `username` and/or `password`.',
  },
  { type: 'kubernetes.io/ssh-auth', documentation: 'An SSH private key: `ssh-privatekey`.' },
  {
    type: 'kubernetes.io/service-account-token',
    documentation:
      'A long-lived ServiceAccount token; needs the annotation `kubernetes.io/service-account.name`.',
  },
  {
    type: 'bootstrap.kubernetes.io/token',
    documentation: 'A bootstrap token for joining nodes: `token-id`, `token-secret`.',
  },
];

type PathStep = string | number;

interface Place {
  path: PathStep[];
  on: 'key' | 'value';
  /** The map holding the entry under the cursor. */
  map: YAMLMap | undefined;
  /** The typed word (document offsets). */
  start: number;
  end: number;
}

function scalarRange(node: unknown): [number, number] | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  return [node.range[0], node.range[1]];
}

/** The path of keys and indexes to the scalar at `offset`, on the document's (partial) tree. */
function placeOf(node: unknown, offset: number, path: PathStep[]): Place | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      const value = pair.value as Node | null;
      const keyRange = scalarRange(key);
      if (!keyRange || !isScalar(key)) continue;
      const name = String(key.value);
      const valueRange = value?.range;
      const end = Math.max(keyRange[1], valueRange?.[1] ?? keyRange[1]);
      if (offset < keyRange[0] || offset > end) continue;
      if (offset <= keyRange[1]) {
        return {
          path: [...path, name],
          on: 'key',
          map: node,
          start: keyRange[0],
          end: keyRange[1],
        };
      }
      if (isMap(value) || isSeq(value)) return placeOf(value, offset, [...path, name]);
      const range = scalarRange(value);
      return {
        path: [...path, name],
        on: 'value',
        map: node,
        start: range && range[1] > range[0] ? range[0] : offset,
        end: range && range[1] > range[0] ? range[1] : offset,
      };
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (let index = 0; index < node.items.length; index++) {
      const item = node.items[index] as Node | null;
      const range = item?.range;
      if (range && offset >= range[0] && offset <= range[1]) {
        return placeOf(item, offset, [...path, index]);
      }
    }
  }
  return undefined;
}

/** A blank (or partly typed) line inside a root-level `data:`/`stringData:`, by indentation. */
function placeByIndentation(document: ParsedDocument, offset: number): Place | undefined {
  const text = document.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const typed = text.slice(lineStart, offset);
  const word = /^( +)([-._a-zA-Z0-9]*)$/.exec(typed);
  if (!word) return undefined;
  const column = word[1]?.length ?? 0;
  for (let cursor = lineStart - 1; cursor > 0;) {
    const start = text.lastIndexOf('\n', cursor - 1) + 1;
    const line = text.slice(start, cursor);
    cursor = start - 1;
    if (/^\s*(?:#.*)?$/.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    if (indent >= column) continue;
    const parent = /^(data|stringData):\s*(?:#.*)?$/.exec(line);
    if (!parent || indent !== 0) return undefined;
    const map = valueAt(document.document.contents, parent[1] ?? '');
    return {
      path: [parent[1] ?? '', ''],
      on: 'key',
      map: isMap(map) ? map : undefined,
      start: offset - (word[2]?.length ?? 0),
      end: offset,
    };
  }
  return undefined;
}

function endsWith(path: readonly PathStep[], ...tail: (string | '#')[]): boolean {
  if (path.length < tail.length) return false;
  return tail.every((step, index) => {
    const actual = path[path.length - tail.length + index];
    return step === '#' ? typeof actual === 'number' : actual === step;
  });
}

function secretTypes(): CompletionCandidate[] {
  return SECRET_TYPES.map(({ type, documentation }) => ({
    label: type,
    kind: 'value',
    detail: 'Secret type',
    documentation,
  }));
}

function requiredKeys(secret: K8sObject, typedKey: string): CompletionCandidate[] {
  const type = stringAt(secret.root, 'type');
  const requirement = type === undefined ? undefined : REQUIREMENTS[type];
  if (!requirement) return [];
  const present = new Set(
    ['data', 'stringData'].flatMap((field) =>
      entriesOf(valueAt(secret.root, field)).map((entry) => entry.key),
    ),
  );
  present.delete(typedKey); // the key being typed is not there yet
  return requirement.keys
    .filter((key) => !present.has(key))
    .map((key) => ({
      label: key,
      kind: 'key',
      detail: `required by ${type}${requirement.mode === 'any' ? ' (one of the keys)' : ''}`,
      insertText: `${key}: `,
    }));
}

/** The Secrets a workload in `namespace` can use: the workspace's and the file's own. */
function knownSecrets(
  text: string,
  documents: readonly ParsedDocument[],
  context: CompletionContext,
  namespace: string | undefined,
): IndexedSecret[] {
  const own = secretsOfDocuments(text, documents, context.path);
  const others = (context.workspaceSecrets?.() ?? []).filter(
    (secret) => context.path === undefined || secret.path !== context.path,
  );
  return [...own, ...others].filter((secret) => namespacesMatch(secret.namespace, namespace));
}

function fileName(path: string | undefined): string {
  if (path === undefined) return 'this file';
  return path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

function secretNames(secrets: readonly IndexedSecret[]): CompletionCandidate[] {
  const byName = new Map<string, IndexedSecret[]>();
  for (const secret of secrets)
    byName.set(secret.name, [...(byName.get(secret.name) ?? []), secret]);
  return [...byName].map(([name, defined]) => {
    const keys = [...new Set(defined.flatMap((secret) => secret.keys.map((key) => key.key)))];
    return {
      label: name,
      kind: 'reference',
      detail: `Secret in ${[...new Set(defined.map((secret) => fileName(secret.path)))].join(', ')}`,
      documentation:
        keys.length > 0 ? `Keys: ${keys.map((key) => `\`${key}\``).join(', ')}` : 'No keys',
    };
  });
}

function secretKeys(
  secrets: readonly IndexedSecret[],
  name: string | undefined,
): CompletionCandidate[] {
  if (name === undefined) return [];
  const seen = new Map<string, CompletionCandidate>();
  for (const secret of secrets.filter((candidate) => candidate.name === name)) {
    for (const key of secret.keys) {
      if (!seen.has(key.key)) {
        seen.set(key.key, {
          label: key.key,
          kind: 'reference',
          detail: `${key.field} key of Secret ${name} (${fileName(secret.path)})`,
        });
      }
    }
  }
  return [...seen.values()];
}

/** The Secret name that a key's place refers to: its `secretKeyRef.name` or volume's name. */
function referencedName(
  root: Node,
  path: readonly PathStep[],
  map: YAMLMap | undefined,
): string | undefined {
  if (endsWith(path, 'secretKeyRef', 'key')) return stringOf(valueAt(map, 'name'));
  // `secret: {secretName, items: [{key}]}` or projected `secret: {name, items: [{key}]}`.
  if (endsWith(path, 'secret', 'items', '#', 'key')) {
    let node: unknown = root;
    for (const step of path.slice(0, -3)) {
      node =
        typeof step === 'number'
          ? isSeq(node)
            ? node.items[step]
            : undefined
          : valueAt(node, step);
    }
    return stringOf(valueAt(node, 'secretName')) ?? stringOf(valueAt(node, 'name'));
  }
  return undefined;
}

/** Completion items at `offset` of a file's text, or undefined where there are none. */
export function completionsAt(
  text: string,
  offset: number,
  context: CompletionContext = {},
): CompletionResult | undefined {
  const documents = parseFile(text);
  const document = documents.find(
    (candidate) => candidate.offset <= offset && offset <= candidate.offset + candidate.text.length,
  );
  if (!document) return undefined;
  const local = offset - document.offset;
  const root = document.document.contents;
  const place = placeOf(root, local, []) ?? placeByIndentation(document, local);
  if (!place || !root) return undefined;
  // An item of a `kind: List`: the object is the item, its path starts after `items.<n>`.
  let objectRoot: Node = root;
  let path = place.path;
  if (path[0] === 'items' && typeof path[1] === 'number' && isSeq(valueAt(root, 'items'))) {
    const item = (valueAt(root, 'items') as { items: unknown[] }).items[path[1]];
    if (isMap(item)) {
      objectRoot = item;
      path = path.slice(2);
    }
  }
  const object = objectsOf(document).find((candidate) => candidate.root === objectRoot);
  const kind = object?.kind ?? stringAt(objectRoot, 'kind');
  let items: CompletionCandidate[] = [];
  if (object && isSecret(object)) {
    if (path.length === 1 && path[0] === 'type' && place.on === 'value') items = secretTypes();
    if (
      path.length === 2 &&
      (path[0] === 'data' || path[0] === 'stringData') &&
      place.on === 'key'
    ) {
      items = requiredKeys(object, String(path[1]));
    }
  } else if (object && podSpecOf(object) && place.on === 'value') {
    const namespace = object.namespace;
    const names =
      endsWith(path, 'secretKeyRef', 'name') ||
      endsWith(path, 'secretRef', 'name') ||
      endsWith(path, 'secret', 'secretName') ||
      endsWith(path, 'sources', '#', 'secret', 'name');
    if (names) {
      items = secretNames(knownSecrets(text, documents, context, namespace));
    } else {
      const name = referencedName(objectRoot, path, place.map);
      if (name !== undefined)
        items = secretKeys(knownSecrets(text, documents, context, namespace), name);
    }
  } else if (kind === undefined) {
    return undefined;
  }
  if (items.length === 0) return undefined;
  return { items, start: place.start + document.offset, end: place.end + document.offset };
}
