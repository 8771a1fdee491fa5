/**
 * Refactors of a Secret that no finding asks for, offered by range: converting entries (or the
 * whole Secret) between `data` and `stringData`, re-encoding a value without its trailing line
 * break, decoding a value that holds base64 text once, and `immutable: true`.
 *
 * Every conversion that touches values goes through the decoded-view engine
 * (`rewriteSecretEntries`): the stored bytes of every entry are checked to be exactly what
 * they should be after the edit, untouched entries stay byte-identical, a moved entry takes
 * its comments along, and a conversion that cannot be made safely yields no edits.
 */
import { isPrintableUtf8 } from '../base64';
import { rewriteSecretEntries, secretsInFile } from '../decoded-view';
import type { SecretEntryValue, SecretField, SecretInFile } from '../decoded-view';
import { innerBase64Of } from '../double-base64';
import {
  YamlEditError,
  addEntryToMapping,
  normalizeEdits,
  replaceScalar,
} from '../fixes/yaml-edit';
import { isSecret, objectsOf, secretValuesOf } from '../model';
import { parseFile } from '../parse';
import { resolveSecretValue } from '../secret-values';
import type { TextEdit } from '../types';
import { entryOf, isMap, isScalar } from '../yaml-nodes';

/**
 * A refactor code action, as plain data for the adapters. Listing one is cheap; its edits are
 * computed on demand (an editor asks for code actions on every cursor move, and a rewrite of a
 * large Secret parses it several times), e.g. when the user picks it (`codeAction/resolve`).
 */
export interface Refactor {
  title: string;
  /** `refactor.rewrite`: the same content written another way; `refactor.extract`: moved out. */
  kind: 'refactor.rewrite' | 'refactor.extract';
  /** The edits (file offsets), or undefined when they cannot be made safely after all. */
  edits: () => TextEdit[] | undefined;
  /** Told to the user once it is applied: where a value went, what to do next. Never a value. */
  message?: string;
  /**
   * A rule whose finding on this range offers the same edit as a quick fix: adapters leave the
   * refactor out when such a finding (with fixes) is there.
   */
  sameAs?: { ruleId: string; start: number; end: number };
}

function isText(bytes: Buffer): boolean {
  return isPrintableUtf8(bytes);
}

/** The length of a value's trailing line break (`\n` or `\r\n`), 0 when it has none. */
function trailingLineBreak(bytes: Buffer): number {
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a) return 0;
  return bytes.length >= 2 && bytes[bytes.length - 2] === 0x0d ? 2 : 1;
}

interface EntryInRange {
  field: SecretField;
  key: string;
  /** The stored bytes; undefined when not known (invalid base64, templated, not a string). */
  bytes: Buffer | undefined;
  /** The value's range (file offsets), for `sameAs`. */
  valueStart: number;
  valueEnd: number;
}

/** The entries of a Secret whose key or value lies within `[start, end]` (file offsets). */
function entriesInRange(
  text: string,
  secret: SecretInFile,
  start: number,
  end: number,
): EntryInRange[] {
  const document = parseFile(text)[secret.document];
  if (!document?.ok) return [];
  const object = objectsOf(document)[secret.object];
  if (!object || !isSecret(object)) return [];
  const found: EntryInRange[] = [];
  for (const entry of secretValuesOf(object)) {
    const from = (entry.keyNode.range?.[0] ?? 0) + document.offset;
    const to = (entry.value?.range?.[1] ?? entry.keyNode.range?.[1] ?? 0) + document.offset;
    if (to < start || from > end) continue;
    const resolved = resolveSecretValue(entry, document.text);
    const bytes =
      resolved.state === 'bytes'
        ? resolved.bytes
        : resolved.state === 'empty'
          ? Buffer.alloc(0)
          : undefined;
    const [valueStart, valueEnd] = entry.value?.range ?? [from, to];
    found.push({
      field: entry.field,
      key: entry.key,
      bytes,
      valueStart: valueStart + document.offset,
      valueEnd: valueEnd + document.offset,
    });
  }
  return found;
}

/** Moves entries to the end of the other field (where the engine appends them). */
function moveEntries(
  entries: readonly SecretEntryValue[],
  moving: (entry: SecretEntryValue) => boolean,
  to: SecretField,
): SecretEntryValue[] {
  return [
    ...entries.filter((entry) => !moving(entry)),
    ...entries.filter(moving).map((entry) => ({ ...entry, field: to })),
  ];
}

function rewrite(
  text: string,
  secret: SecretInFile,
  title: string,
  transform: (entries: readonly SecretEntryValue[]) => readonly SecretEntryValue[],
): Refactor {
  return {
    title,
    kind: 'refactor.rewrite',
    edits: () => {
      const edits = rewriteSecretEntries(text, secret, transform);
      return edits && edits.length > 0 ? edits : undefined;
    },
  };
}

/** The refactors for the entries `here` (in the range), knowing `all` the Secret's entries. */
function entryRefactors(
  text: string,
  secret: SecretInFile,
  all: readonly EntryInRange[],
  here: readonly EntryInRange[],
): Refactor[] {
  const refactors: Refactor[] = [];
  const has = (field: SecretField, key: string): boolean =>
    all.some((entry) => entry.field === field && entry.key === key);
  for (const entry of here) {
    const { field, key, bytes } = entry;
    if (bytes === undefined) continue;
    const range = { start: entry.valueStart, end: entry.valueEnd };
    const same = (e: SecretEntryValue): boolean => e.field === field && e.key === key;
    // A key in both fields: stringData shadows data (duplicate-key); moving would lose one.
    if (field === 'data' && isText(bytes) && !has('stringData', key)) {
      refactors.push(
        rewrite(text, secret, `Convert data.${key} to stringData (plain text)`, (entries) =>
          moveEntries(entries, same, 'stringData'),
        ),
      );
    }
    if (field === 'stringData' && !has('data', key)) {
      refactors.push(
        rewrite(text, secret, `Convert stringData.${key} to data (base64)`, (entries) =>
          moveEntries(entries, same, 'data'),
        ),
      );
    }
    const lineBreak = trailingLineBreak(bytes);
    if (lineBreak > 0 && isText(bytes)) {
      const title =
        field === 'data'
          ? `Re-encode data.${key} without its trailing newline`
          : `Remove the trailing newline of stringData.${key}`;
      refactors.push({
        ...rewrite(text, secret, title, (entries) =>
          entries.map((e) =>
            same(e) ? { ...e, bytes: e.bytes.subarray(0, e.bytes.length - lineBreak) } : e,
          ),
        ),
        sameAs: { ruleId: 'trailing-newline', ...range },
      });
    }
    const inner = field === 'data' ? innerBase64Of(bytes) : undefined;
    if (inner) {
      refactors.push({
        ...rewrite(text, secret, `Decode data.${key} once (it holds base64 text)`, (entries) =>
          entries.map((e) => (same(e) ? { ...e, bytes: inner.inner } : e)),
        ),
        sameAs: { ruleId: 'double-encoded', ...range },
      });
    }
  }
  return refactors;
}

/** The refactors of a whole Secret, listed only when they would change something. */
function secretRefactors(
  text: string,
  secret: SecretInFile,
  all: readonly EntryInRange[],
): Refactor[] {
  const refactors: Refactor[] = [];
  const inStringData = new Set(all.filter((e) => e.field === 'stringData').map((e) => e.key));
  const inData = new Set(all.filter((e) => e.field === 'data').map((e) => e.key));
  const toStringData = (e: { field: SecretField; key: string; bytes: Buffer | undefined }) =>
    e.field === 'data' && e.bytes !== undefined && isText(e.bytes) && !inStringData.has(e.key);
  const toData = (e: { field: SecretField; key: string; bytes: Buffer | undefined }) =>
    e.field === 'stringData' && e.bytes !== undefined && !inData.has(e.key);
  if (all.some(toStringData)) {
    refactors.push(
      rewrite(text, secret, 'Convert all data values to stringData (plain text)', (entries) =>
        moveEntries(entries, toStringData, 'stringData'),
      ),
    );
  }
  if (all.some(toData)) {
    refactors.push(
      rewrite(text, secret, 'Convert all stringData values to data (base64)', (entries) =>
        moveEntries(entries, toData, 'data'),
      ),
    );
  }
  const immutable = immutableRefactor(text, secret);
  if (immutable) refactors.push(immutable);
  return refactors;
}

/**
 * `immutable: true`: the API server then refuses any change to the Secret's data (it must be
 * deleted and recreated), which protects against accidental updates and lets the kubelet stop
 * watching it.
 */
function immutableRefactor(text: string, secret: SecretInFile): Refactor | undefined {
  const document = parseFile(text)[secret.document];
  const object = document?.ok ? objectsOf(document)[secret.object] : undefined;
  if (!document || !object) return undefined;
  const existing = entryOf(object.root, 'immutable');
  if (existing && !(isScalar(existing.value) && existing.value.value !== true)) return undefined;
  return {
    title: 'Make the Secret immutable (immutable: true)',
    kind: 'refactor.rewrite',
    message:
      'The Secret is now immutable: once applied, its data can no longer be changed; delete and recreate it to change a value.',
    edits: () => {
      let edits: TextEdit[];
      try {
        edits =
          existing && isScalar(existing.value)
            ? replaceScalar(document.text, existing.value, true)
            : addEntryToMapping(document.text, object.root, 'immutable', true, {
                after: ['type', 'metadata', 'kind'],
              });
      } catch (error) {
        if (error instanceof YamlEditError) return undefined;
        throw error;
      }
      return normalizeEdits(edits)?.map((edit) => ({
        start: edit.start + document.offset,
        end: edit.end + document.offset,
        newText: edit.newText,
      }));
    },
  };
}

function hasFlowMapWithComments(text: string, secret: SecretInFile): boolean {
  const document = parseFile(text)[secret.document];
  const object = document?.ok ? objectsOf(document)[secret.object] : undefined;
  if (!document || !object) return false;
  return (['data', 'stringData'] as const).some((field) => {
    const map = entryOf(object.root, field)?.value;
    if (!isMap(map) || !map.flow || !map.range) return false;
    return /(?:^|[ \t])#/m.test(document.text.slice(map.range[0], map.range[1]));
  });
}

/**
 * The conversions offered for `[start, end]` (file offsets): those of the entries in the range,
 * then those of the Secret that holds it.
 */
export function secretConversionsAt(text: string, start: number, end: number): Refactor[] {
  const secret = secretsInFile(text).find(
    (candidate) => candidate.start <= start && end <= candidate.end,
  );
  if (!secret) return [];
  const all = entriesInRange(text, secret, 0, Number.MAX_SAFE_INTEGER);
  // A key repeated in one map (duplicate-key): which value counts is unclear; no rewrite.
  const ids = all.map((entry) => `${entry.field}\u0000${entry.key}`);
  if (new Set(ids).size !== ids.length) return [];
  const here = entriesInRange(text, secret, start, end);
  const refactors = [
    ...entryRefactors(text, secret, all, here),
    ...secretRefactors(text, secret, all),
  ];
  // A flow map (`{...}`) cannot take the comments of a moved entry along: no moves there.
  if (!hasFlowMapWithComments(text, secret)) return refactors;
  return refactors.filter((refactor) => !/^Convert /.test(refactor.title));
}
