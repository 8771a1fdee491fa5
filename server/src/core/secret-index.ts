/**
 * The Secrets defined in a set of files: their names, namespaces and keys, and where each is
 * written, so that a reference in one file (`secretKeyRef`, a secret volume) can be checked
 * against, and navigated to, a Secret in another. Pure: the adapters feed it file texts.
 *
 * What counts as a definition: a `v1` `Secret` object (also inside a `kind: List`) in a YAML
 * document that parses, with a literal (not templated) `metadata.name`. Its keys are those of
 * `data` and `stringData`. When either map is templated (`{{ ... }}` inside it, or not a map
 * at all) its keys cannot be listed: the Secret is "open" and is taken to have every key.
 * SealedSecrets, ExternalSecrets and kustomize `secretGenerator`s create Secrets too, but
 * their keys are not indexed: a name they define is simply not found, so nothing is flagged.
 *
 * Namespaces: a Secret and the workload that uses it are usually applied together, with the
 * namespace set at apply time (`kubectl -n`, a kustomization's `namespace:`), so a namespace
 * left out on either side matches any namespace; only two different explicit namespaces do
 * not match.
 */
import { lineStartsOf, positionAt } from './lines';
import { isSecret, objectsOf } from './model';
import { previousIndexOf, rememberedDocuments } from './incremental-split';
import type { FileSplit } from './incremental-split';
import { parseFile } from './parse';
import type { ParsedDocument } from './parse';
import { isTemplated } from './placeholders';
import { entriesOf, isMap, isScalar, valueAt } from './yaml-nodes';
import type { Node, YAMLMap } from './yaml-nodes';

/** A 0-based line and UTF-16 character, as LSP counts them. */
export interface TextPosition {
  line: number;
  character: number;
}

/** A span of a file's text: offsets into the whole file, and the same as positions. */
export interface FileSpan {
  start: number;
  end: number;
  startPosition: TextPosition;
  endPosition: TextPosition;
}

/** A key of a Secret's `data` or `stringData`. */
export interface IndexedKey {
  key: string;
  field: 'data' | 'stringData';
  /** The key's text (not its value). */
  span: FileSpan;
}

/** A Secret defined in a file. */
export interface IndexedSecret {
  /** The file's path as given to the index; undefined for an unsaved buffer. */
  path: string | undefined;
  name: string;
  namespace: string | undefined;
  /** The `metadata.name` value. */
  nameSpan: FileSpan;
  keys: readonly IndexedKey[];
  /** `data` or `stringData` is templated: the keys are unknown, so any key may be there. */
  openKeys: boolean;
}

/** What rules and navigation need of an index. */
export interface SecretLookup {
  /** Changes whenever a lookup could answer differently (names, namespaces, keys, files). */
  readonly version: number;
  /** Secrets named `name` whose namespace matches `namespace` (see the module comment). */
  lookup(name: string, namespace?: string): readonly IndexedSecret[];
}

/** Whether a Secret in `secretNamespace` can be the one a workload in `namespace` means. */
export function namespacesMatch(
  secretNamespace: string | undefined,
  namespace: string | undefined,
): boolean {
  return secretNamespace === undefined || namespace === undefined || secretNamespace === namespace;
}

/**
 * The Secrets of a file's text. Files that do not contain the word `Secret` are not parsed
 * (a Secret's `kind` must be written out), which keeps a workspace crawl cheap.
 */
export function secretsOfText(text: string, path: string | undefined): IndexedSecret[] {
  return fileSecretsOfText(text, path).found.map((found) => placeSecret(found, path));
}

/** {@link secretsOfText}, unplaced. */
function fileSecretsOfText(text: string, path: string | undefined): FileSecrets {
  // The documents of a text just analysed are known, and what each holds is cached by its
  // parse: no need to read the whole text again for the word.
  const documents = rememberedDocuments(path, text);
  if (documents) return ownSecretsOf(documents);
  if (!text.includes('Secret')) return NO_SECRETS;
  return ownSecretsOf(parseFile(text, path));
}

const NO_SECRETS: FileSecrets = {
  found: [],
  foundEnds: new Uint32Array(0),
  lineEnds: new Uint32Array(0),
  signature: '',
};

/** The Secrets of a file already split into parsed documents. */
export function secretsOfDocuments(
  _text: string,
  documents: readonly ParsedDocument[],
  path: string | undefined,
): IndexedSecret[] {
  return ownSecretsOf(documents).found.map((found) => placeSecret(found, path));
}

/** A Secret of one document, and where that document starts in its file. */
interface FoundSecret {
  /** Where the document starts in its file: its offset, and the line of that offset. */
  offset: number;
  firstLine: number;
  /** The document's own line table (not its parse, which the index must not keep alive). */
  lineStarts: readonly number[];
  secret: DocumentSecret;
}

/**
 * The Secrets of a file's documents, unplaced, with what a re-analysis after an edit reuses of
 * them. Kept with the documents array they were read from.
 */
interface FileSecrets {
  found: FoundSecret[];
  /** Per document: the end of its Secrets in `found`. */
  foundEnds: Uint32Array;
  /** Per document: the line on which the next document starts. */
  lineEnds: Uint32Array;
  /** Every Secret's signature, one per line (see {@link signatureOf}). */
  signature?: string;
  /** {@link hashOf} the signature. */
  signatureHash?: string;
}

const fileSecrets = new WeakMap<readonly ParsedDocument[], FileSecrets>();

/**
 * The Secrets of a file's documents, unplaced. This runs on every keystroke over every
 * document of the file: what each document holds is cached by its parse, in offsets relative
 * to it, and the line on which each document starts is counted from the documents' own line
 * tables, never by scanning the file's text. Given the split the documents come from, those
 * that the edit left whole are read from the previous answer instead, without touching their
 * parses (thousands per keystroke).
 */
function ownSecretsOf(documents: readonly ParsedDocument[], split?: FileSplit): FileSecrets {
  // The analysis of a file asks first, then the index for the same documents (see
  // `rememberedDocuments`): the second answer is the first.
  const known = fileSecrets.get(documents);
  if (known) return known;
  const before = split?.previous && fileSecrets.get(split.previous);
  const answer: FileSecrets = {
    found: [],
    foundEnds: new Uint32Array(documents.length),
    lineEnds: new Uint32Array(documents.length),
  };
  const found = answer.found;
  // Whether the Secrets are those of the previous answer, in the same order.
  let sameSecrets = before !== undefined;
  let firstLine = 0;
  for (const [index, document] of documents.entries()) {
    const was = before && split ? previousIndexOf(split, index) : -1;
    if (before && was >= 0) {
      for (
        let at = was === 0 ? 0 : (before.foundEnds[was - 1] ?? 0);
        at < (before.foundEnds[was] ?? 0);
        at++
      ) {
        const old = before.found[at] as FoundSecret;
        found.push(
          old.offset === document.offset && old.firstLine === firstLine
            ? old
            : {
                offset: document.offset,
                firstLine,
                lineStarts: old.lineStarts,
                secret: old.secret,
              },
        );
      }
      firstLine += (before.lineEnds[was] ?? 0) - (was === 0 ? 0 : (before.lineEnds[was - 1] ?? 0));
    } else {
      const { lineStarts, secrets } = factsOf(document);
      if (secrets.length > 0) sameSecrets = false;
      for (const secret of secrets) {
        found.push({ offset: document.offset, firstLine, lineStarts, secret });
      }
      // Documents start at a line start, so the next one starts this many lines further.
      firstLine += lineStarts.length - 1;
    }
    answer.foundEnds[index] = found.length;
    answer.lineEnds[index] = firstLine;
  }
  // Kept documents keep their Secrets in order; with none added, the same count means none lost.
  if (sameSecrets && before && found.length === before.found.length) {
    answer.signature = before.signature;
    answer.signatureHash = before.signatureHash;
  }
  fileSecrets.set(documents, answer);
  return answer;
}

/** What about a file's Secrets can change a finding: every Secret's signature, in order. */
function signatureOf(secrets: FileSecrets): string {
  return (secrets.signature ??= secrets.found.map(({ secret }) => secret.signature).join('\n'));
}

/** A found Secret with file offsets and positions. */
function placeSecret(
  { offset, firstLine, lineStarts, secret }: FoundSecret,
  path: string | undefined,
): IndexedSecret {
  const at = (offset: number): TextPosition => {
    const position = positionAt(lineStarts, offset);
    return { line: firstLine + position.line, character: position.character };
  };
  const spanOf = ([from, to]: readonly [number, number]): FileSpan => ({
    start: offset + from,
    end: offset + to,
    startPosition: at(from),
    endPosition: at(to),
  });
  return {
    path,
    name: secret.name,
    namespace: secret.namespace,
    nameSpan: spanOf(secret.nameRange),
    keys: secret.keys.map((key) => ({ key: key.key, field: key.field, span: spanOf(key.range) })),
    openKeys: secret.openKeys,
  };
}

/** A Secret of one document, in offsets relative to the document's text. */
interface DocumentSecret {
  name: string;
  namespace: string | undefined;
  nameRange: readonly [number, number];
  keys: readonly { key: string; field: 'data' | 'stringData'; range: readonly [number, number] }[];
  openKeys: boolean;
  /** What about it can change a finding: not where it is, only what it is. */
  signature: string;
}

/** What the index reads of a document, kept with its parse. */
interface DocumentFacts {
  lineStarts: number[];
  secrets: readonly DocumentSecret[];
}

declare module './parse' {
  interface ParseMemo {
    secretFacts?: DocumentFacts;
  }
}

/**
 * Reads now what the index and {@link secretLookupForFile} will ask of a newly parsed document:
 * an analysis that yields after each document it parses calls this there, so that the first
 * lookup over a file of thousands of documents does not do them all in one block.
 */
export function prepareSecretFacts(document: ParsedDocument): void {
  factsOf(document);
}

function factsOf(document: ParsedDocument): DocumentFacts {
  return (document.memo.secretFacts ??= {
    lineStarts: lineStartsOf(document.text),
    secrets: findSecrets(document),
  });
}

function findSecrets(document: ParsedDocument): readonly DocumentSecret[] {
  const secrets: DocumentSecret[] = [];
  if (!document.ok || !document.text.includes('Secret')) return secrets;
  const rangeOf = (node: Node): [number, number] | undefined =>
    node.range ? [node.range[0], node.range[1]] : undefined;
  for (const object of objectsOf(document)) {
    if (!isSecret(object) || object.name === undefined || isTemplated(object.name)) continue;
    const nameNode = valueAt(object.root, 'metadata', 'name');
    const nameRange = nameNode ? rangeOf(nameNode) : undefined;
    if (!nameRange) continue;
    const keys: DocumentSecret['keys'][number][] = [];
    let openKeys = false;
    for (const field of ['data', 'stringData'] as const) {
      const map = valueAt(object.root, field);
      if (map === undefined || (isScalar(map) && map.value === null)) continue;
      if (!isMap(map) || isTemplated(structureOf(document.text, map))) {
        openKeys = true;
        continue;
      }
      for (const entry of entriesOf(map)) {
        const range = rangeOf(entry.keyNode);
        if (range) keys.push({ key: entry.key, field, range });
      }
    }
    const namespace =
      object.namespace !== undefined && !isTemplated(object.namespace)
        ? object.namespace
        : undefined;
    const signature = JSON.stringify([
      object.name,
      namespace ?? null,
      openKeys,
      keys.map((key) => key.key),
    ]);
    secrets.push({ name: object.name, namespace, nameRange, keys, openKeys, signature });
  }
  return secrets;
}

/**
 * A map's text with its values blanked out: templated values are fine (the key is known),
 * a template anywhere else (a key, a `{{ range }}`) may add keys.
 */
function structureOf(text: string, map: YAMLMap): string {
  const range = map.range;
  if (!range) return '';
  let structure = text.slice(range[0], range[1]);
  for (const entry of entriesOf(map)) {
    const value = entry.value?.range;
    if (!value) continue;
    const from = value[0] - range[0];
    const to = value[1] - range[0];
    structure = structure.slice(0, from) + ' '.repeat(to - from) + structure.slice(to);
  }
  return structure;
}

/** A file's Secrets as the index keeps them: unplaced until asked for (see {@link SecretIndex}). */
interface IndexedFile {
  path: string;
  found: readonly FoundSecret[];
  /** What about the Secrets can change a finding (see {@link DocumentSecret.signature}). */
  signature: string;
  /** The Secrets placed in the file, built when first asked for. */
  placed?: IndexedSecret[];
}

/**
 * Secrets of many files, kept current by {@link SecretIndex.update} and
 * {@link SecretIndex.remove}. `version` increases when a file is added or removed, or when
 * the names, namespaces or keys of its Secrets change; moving text around does not change it.
 *
 * The language server updates the index of an open file on every keystroke, and a file may
 * hold thousands of Secrets: they are placed (file offsets and positions) only when a lookup
 * or a completion asks, each file's at most once per text.
 */
export class SecretIndex implements SecretLookup {
  private readonly files = new Map<string, IndexedFile>();
  /** The files that hold a Secret of a name. */
  private readonly filesByName = new Map<string, Set<IndexedFile>>();
  private currentVersion = 0;

  get version(): number {
    return this.currentVersion;
  }

  /** How many files the index holds (with or without Secrets). */
  get size(): number {
    return this.files.size;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The indexed files' paths. */
  paths(): string[] {
    return [...this.files.keys()];
  }

  /** Every indexed Secret (for completion of Secret names and keys). */
  all(): IndexedSecret[] {
    return [...this.files.values()].flatMap((file) => placedSecretsOf(file));
  }

  /** Indexes (or re-indexes) a file's text; true when the version changed. */
  update(path: string, text: string): boolean {
    const secrets = fileSecretsOfText(text, path);
    const found = secrets.found;
    const signature = signatureOf(secrets);
    const previous = this.files.get(path);
    if (previous && previous.signature === signature) {
      // The same Secrets (names included), moved at most: the links by name still hold.
      previous.found = found;
      previous.placed = undefined;
      return false;
    }
    this.unlink(path);
    const file: IndexedFile = { path, found, signature };
    this.files.set(path, file);
    for (const { secret } of found) {
      const named = this.filesByName.get(secret.name);
      if (named) named.add(file);
      else this.filesByName.set(secret.name, new Set([file]));
    }
    this.currentVersion++;
    return true;
  }

  /** Forgets a file; true when the version changed (the file was indexed). */
  remove(path: string): boolean {
    if (!this.files.has(path)) return false;
    this.unlink(path);
    this.files.delete(path);
    this.currentVersion++;
    return true;
  }

  lookup(name: string, namespace?: string): readonly IndexedSecret[] {
    const found: IndexedSecret[] = [];
    for (const file of this.filesByName.get(name) ?? []) {
      for (const secret of placedSecretsOf(file)) {
        if (secret.name === name && namespacesMatch(secret.namespace, namespace)) {
          found.push(secret);
        }
      }
    }
    return found;
  }

  private unlink(path: string): void {
    const file = this.files.get(path);
    if (!file) return;
    for (const { secret } of file.found) {
      const named = this.filesByName.get(secret.name);
      named?.delete(file);
      if (named?.size === 0) this.filesByName.delete(secret.name);
    }
  }
}

function placedSecretsOf(file: IndexedFile): IndexedSecret[] {
  return (file.placed ??= file.found.map((found) => placeSecret(found, file.path)));
}

/** A lookup for analysing one file, and a key that changes whenever its answers may. */
export interface FileSecretLookup {
  lookup: SecretLookup;
  /** Short and stable: part of the analysis cache key. */
  cacheKey: string;
}

/**
 * The Secrets an analysis of one file sees: those of the file's own current text (so that a
 * Secret and its workload in one file work with no index, and unsaved edits count), plus the
 * index's Secrets of every other file.
 */
export function secretLookupForFile(
  index: SecretLookup | undefined,
  path: string | undefined,
  _text: string,
  documents: readonly ParsedDocument[],
  split?: FileSplit,
): FileSecretLookup {
  // Placed only when asked for: a rule looks up a few names, the file may hold hundreds.
  const secrets = ownSecretsOf(documents, split);
  const own = secrets.found;
  let ownByName: Map<string, FoundSecret[]> | undefined;
  const version = index?.version ?? 0;
  const lookup: SecretLookup = {
    version,
    lookup(name, namespace) {
      const others = (index?.lookup(name, namespace) ?? []).filter(
        (secret) => path === undefined || secret.path !== path,
      );
      if (!ownByName) {
        ownByName = new Map();
        for (const found of own) {
          const named = ownByName.get(found.secret.name);
          if (named) named.push(found);
          else ownByName.set(found.secret.name, [found]);
        }
      }
      const mine = (ownByName.get(name) ?? [])
        .filter(({ secret }) => namespacesMatch(secret.namespace, namespace))
        .map((found) => placeSecret(found, path));
      return [...others, ...mine];
    },
  };
  const ownKey = own.length === 0 ? '' : (secrets.signatureHash ??= hashOf(signatureOf(secrets)));
  return { lookup, cacheKey: `${index ? version : '-'}:${ownKey}` };
}

/** cyrb53: a fast 53-bit string hash, enough to tell signatures apart in a cache key. */
function hashOf(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
