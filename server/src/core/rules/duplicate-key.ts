import { YamlEditError, contentRange, removeEntry } from '../fixes/yaml-edit';
import { isSecret } from '../model';
import type { K8sObject, SecretValue } from '../model';
import type { ParsedDocument } from '../parse';
import { isMergeKey, kubernetesKeyOf, quotedKey } from '../secret-keys';
import { resolveSecretValue } from '../secret-values';
import type { Fix } from '../types';
import { entriesOf, isMap } from '../yaml-nodes';
import type { Entry, YAMLMap } from '../yaml-nodes';
import type { Rule } from './types';

/**
 * Two ways a Secret value silently disappears:
 *
 * - A key in both `data` and `stringData`: the v1 → internal conversion copies `stringData`
 *   over `data` ("stringData … overwriting any existing values", API reference), so the `data`
 *   entry is dead text. Warning, on the shadowed `data` key; removing it changes nothing that
 *   Kubernetes stores.
 * - A key repeated inside one mapping (and a Secret with two `data` or `stringData` fields):
 *   kustomize (`kubectl apply -k`, Flux, Argo CD) and Helm post-renderers reject the file with
 *   `mapping key "…" already defined`, and lenient decoders (older `kubectl apply -f`,
 *   kubernetes/kubernetes#99286) keep the last one and drop the others. Error, on each later
 *   occurrence. A fix is offered only when the repeated entries hold the same value: which of
 *   two different values was meant cannot be known, and deleting one loses a credential.
 *
 * Keys are compared as Kubernetes sees them (`yes:` and `"true":` are the same key).
 */
export const rule: Rule = {
  id: 'duplicate-key',
  severity: 'warning',
  summary: 'A key in both data and stringData, or repeated in one map.',
  check({ document, objects, report }) {
    for (const secret of objects.filter(isSecret)) {
      for (const field of ['data', 'stringData'] as const) {
        const fields = entriesOf(secret.root).filter((entry) => entry.key === field);
        for (const repeated of fields.slice(1)) {
          const [start, end] = contentRange(document.text, repeated.keyNode);
          report({
            start,
            end,
            severity: 'error',
            message: `The Secret has ${fields.length} ${field} fields: tools reject it or keep only the last one`,
          });
        }
      }
      const data = mapOf(secret, 'data');
      const stringData = mapOf(secret, 'stringData');
      if (data) reportRepeatedKeys(document, 'data', data, report);
      if (stringData) reportRepeatedKeys(document, 'stringData', stringData, report);
      if (!data || !stringData) continue;
      const stringDataKeys = new Set(
        entriesOf(stringData)
          .filter((entry) => !isMergeKey(entry.keyNode))
          .map((entry) => kubernetesKeyOf(entry.keyNode).key),
      );
      const dataEntries = entriesOf(data);
      // Counted once (not filtered per entry: quadratic in a map of 20,000 repeated keys).
      const dataKeyCounts = new Map<string, number>();
      for (const entry of dataEntries) {
        const key = kubernetesKeyOf(entry.keyNode).key;
        dataKeyCounts.set(key, (dataKeyCounts.get(key) ?? 0) + 1);
      }
      let fixes = 0;
      for (const entry of dataEntries) {
        if (isMergeKey(entry.keyNode)) continue;
        const key = kubernetesKeyOf(entry.keyNode).key;
        if (!stringDataKeys.has(key)) continue;
        const [start, end] = contentRange(document.text, entry.keyNode);
        // With the key repeated in data too, one removal would leave another shadowed copy.
        const fix =
          dataKeyCounts.get(key) === 1 && fixes++ < MAX_REMOVAL_FIXES
            ? removalFix(document, data, entry, 'Remove the shadowed data entry')
            : undefined;
        report({
          start,
          end,
          message: `data key ${quotedKey(key)} is also in stringData, which overwrites it: this data entry is never stored`,
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
    }
  },
};

type Report = Parameters<Rule['check']>[0]['report'];

/** The mapping that Kubernetes reads for a field (the last one when the field repeats). */
function mapOf(secret: K8sObject, field: 'data' | 'stringData'): YAMLMap | undefined {
  const entries = entriesOf(secret.root).filter((entry) => entry.key === field);
  const value = entries[entries.length - 1]?.value;
  return isMap(value) ? value : undefined;
}

function reportRepeatedKeys(
  document: ParsedDocument,
  field: 'data' | 'stringData',
  map: YAMLMap,
  report: Report,
): void {
  // Per key: its first entry, and whether every later one so far stored the same value (equal
  // values are equal to the first: one comparison an entry, not one per earlier entry).
  const seen = new Map<string, { first: Entry; allSame: boolean }>();
  let fixes = 0;
  for (const entry of entriesOf(map)) {
    if (isMergeKey(entry.keyNode)) continue;
    const key = kubernetesKeyOf(entry.keyNode).key;
    const group = seen.get(key);
    if (group) {
      const [start, end] = contentRange(document.text, entry.keyNode);
      group.allSame = group.allSame && sameValue(document, field, group.first, entry);
      const fix =
        group.allSame && fixes++ < MAX_REMOVAL_FIXES
          ? removalFix(document, map, entry, 'Remove the repeated entry')
          : undefined;
      report({
        start,
        end,
        severity: 'error',
        message: `${field} key ${quotedKey(key)} is repeated in ${field}: kustomize rejects the file and other tools keep only the last value`,
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
    if (!group) seen.set(key, { first: entry, allSame: true });
  }
}

/**
 * Removal fixes built per map: each locates the entry in the map's source (linear in the
 * map), so a map of thousands of repeated keys would take quadratic time to offer them all.
 * Past this many, the findings come without a fix.
 */
const MAX_REMOVAL_FIXES = 100;

/** Whether two entries store the same bytes (or are the same text, when not decodable). */
function sameValue(
  document: ParsedDocument,
  field: 'data' | 'stringData',
  a: Entry,
  b: Entry,
): boolean {
  const resolve = (entry: Entry) => {
    const value: SecretValue = {
      field,
      key: entry.key,
      keyNode: entry.keyNode,
      value: entry.value,
    };
    return resolveSecretValue(value, document.text);
  };
  const first = resolve(a);
  const second = resolve(b);
  if (first.state === 'bytes' && second.state === 'bytes') return first.bytes.equals(second.bytes);
  if (first.state === 'empty' && second.state === 'empty') return true;
  const text = (entry: Entry): string | undefined => {
    const range = entry.value?.range;
    return range ? document.text.slice(range[0], range[1]).trim() : undefined;
  };
  return first.state === second.state && text(a) !== undefined && text(a) === text(b);
}

function removalFix(
  document: ParsedDocument,
  map: YAMLMap,
  entry: Entry,
  title: string,
): Fix | undefined {
  try {
    return { title, edits: removeEntry(document.text, map, entry.pair), isPreferred: true };
  } catch (error) {
    if (error instanceof YamlEditError) return undefined;
    throw error;
  }
}
