/**
 * "Move into a Secret" as refactors, for any literal env value or ConfigMap entry in a range
 * (the rules `hardcoded-secret-env` and `secret-in-configmap` offer the same as quick fixes for
 * the values they recognise as secrets; these are for the values only the user knows are).
 * The value is carried exactly by `planSecretEntry` into `<workload>-env` or
 * `<configmap>-secret` (extended when the file defines it, created after the object
 * otherwise), and the refactor's message tells the user where it went.
 */
import { containersOf, podSpecOf } from '../model';
import { objectsOf } from '../model';
import type { K8sObject } from '../model';
import { parseFile } from '../parse';
import type { ParsedDocument } from '../parse';
import { isTemplated } from '../placeholders';
import { expandEnvValue } from '../rules/hardcoded-secret-env';
import { derivedSecretName, isValidSecretKey, planSecretEntry } from '../fixes/move-to-secret';
import { YamlEditError, normalizeEdits, removeEntry, replaceEntry } from '../fixes/yaml-edit';
import type { TextEdit } from '../types';
import { entriesOf, entryOf, isMap, isScalar, isSeq, stringOf, valueAt } from '../yaml-nodes';
import type { Refactor } from './secret-conversions';

function overlaps(
  node: { range?: [number, number, number] | null } | null | undefined,
  start: number,
  end: number,
): boolean {
  const range = node?.range;
  return range != null && range[0] <= end && start <= range[1];
}

/** Edits of a plan (relative to their documents) as file offsets. */
function toFileEdits(
  documents: readonly ParsedDocument[],
  document: ParsedDocument,
  local: readonly TextEdit[],
): TextEdit[] {
  return local.map((edit) => {
    const base =
      edit.document === undefined
        ? document.offset
        : (documents[edit.document]?.offset ?? document.offset);
    return { start: edit.start + base, end: edit.end + base, newText: edit.newText };
  });
}

/**
 * The edits of a move as file offsets: the source document's own edits merged with the plan's
 * edits to the same document (undefined when they overlap), then the plan's edits elsewhere.
 */
function planFileEdits(
  documents: readonly ParsedDocument[],
  document: ParsedDocument,
  own: readonly TextEdit[],
  planned: readonly TextEdit[],
): TextEdit[] | undefined {
  const local = normalizeEdits([...own, ...planned.filter((e) => e.document === undefined)]);
  if (!local) return undefined;
  const elsewhere = planned.filter((e) => e.document !== undefined);
  return toFileEdits(documents, document, [...local, ...elsewhere]);
}

function envRefactors(
  documents: readonly ParsedDocument[],
  document: ParsedDocument,
  object: K8sObject,
  start: number,
  end: number,
): Refactor[] {
  const podSpec = podSpecOf(object);
  if (!podSpec) return [];
  const refactors: Refactor[] = [];
  for (const container of containersOf(podSpec)) {
    const env = entryOf(container.node, 'env')?.value;
    if (!isSeq(env)) continue;
    for (const item of env.items) {
      if (!isMap(item) || !overlaps(item, start, end)) continue;
      const name = stringOf(valueAt(item, 'name'));
      const valueEntry = entryOf(item, 'value');
      const value = valueEntry?.value;
      if (!name || !valueEntry || !isScalar(value) || typeof value.value !== 'string') continue;
      if (entryOf(item, 'valueFrom') || !isValidSecretKey(name)) continue;
      const raw = value.range ? document.text.slice(value.range[0], value.range[1]) : '';
      const { expanded, refersToVariables } = expandEnvValue(value.value);
      if (isTemplated(raw) || refersToVariables || expanded === '') continue;
      const target = derivedSecretName(object, '-env');
      if (!target) continue;
      const plan = planSecretEntry(document, documents, object, {
        secretName: target.name,
        namespace: target.namespace,
        keys: [name, ...(container.name ? [`${container.name}.${name}`] : [])].filter(
          isValidSecretKey,
        ),
        field: 'stringData',
        value: expanded,
      });
      if (!plan) continue;
      let envEdits: TextEdit[];
      try {
        envEdits = replaceEntry(document.text, item, valueEntry.pair, 'valueFrom', {
          secretKeyRef: { name: target.name, key: plan.key },
        });
      } catch (error) {
        if (error instanceof YamlEditError) continue;
        throw error;
      }
      const edits = planFileEdits(documents, document, envEdits, plan.edits);
      if (!edits) continue;
      const [itemStart, itemEnd] = item.range ?? [0, 0];
      refactors.push({
        title: `Move the value of ${name} into Secret ${target.name}`,
        kind: 'refactor.extract',
        edits: () => edits,
        sameAs: {
          ruleId: 'hardcoded-secret-env',
          start: itemStart + document.offset,
          end: itemEnd + document.offset,
        },
        message: `The value of ${name} is now in Secret ${target.name}${plan.created ? ' (created in this file)' : ''}, key ${plan.key} under stringData; the container reads it with valueFrom.secretKeyRef.`,
      });
    }
  }
  return refactors;
}

function configMapRefactors(
  documents: readonly ParsedDocument[],
  document: ParsedDocument,
  object: K8sObject,
  start: number,
  end: number,
): Refactor[] {
  if (object.kind !== 'ConfigMap' || object.apiVersion !== 'v1') return [];
  const refactors: Refactor[] = [];
  for (const field of ['data', 'binaryData'] as const) {
    const map = valueAt(object.root, field);
    if (!isMap(map)) continue;
    for (const entry of entriesOf(map)) {
      const node = entry.value;
      if (!overlaps(entry.keyNode, start, end) && !overlaps(node, start, end)) continue;
      if (!isScalar(node) || typeof node.value !== 'string' || !isValidSecretKey(entry.key))
        continue;
      const raw = node.range ? document.text.slice(node.range[0], node.range[1]) : '';
      if (isTemplated(raw)) continue;
      const target = derivedSecretName(object, '-secret');
      if (!target) continue;
      const secretField = field === 'data' ? 'stringData' : 'data';
      const plan = planSecretEntry(document, documents, object, {
        secretName: target.name,
        namespace: target.namespace,
        keys: [entry.key],
        field: secretField,
        value: node.value,
      });
      if (!plan) continue;
      let removal: TextEdit[];
      try {
        removal = removeEntry(document.text, map, entry.pair);
      } catch (error) {
        if (error instanceof YamlEditError) continue;
        throw error;
      }
      const edits = planFileEdits(documents, document, removal, plan.edits);
      if (!edits) continue;
      refactors.push({
        title: `Move ${entry.key} to Secret ${target.name}`,
        kind: 'refactor.extract',
        edits: () => edits,
        sameAs: {
          ruleId: 'secret-in-configmap',
          start: (entry.keyNode.range?.[0] ?? 0) + document.offset,
          end: (node.range?.[1] ?? 0) + document.offset,
        },
        message: `${field}.${entry.key} of ConfigMap ${object.name ?? ''} is now ${secretField}.${plan.key} of Secret ${target.name}${plan.created ? ' (created in this file)' : ''}: pods that read it from the ConfigMap (configMapKeyRef, envFrom, a configMap volume) must now read it from the Secret.`,
      });
    }
  }
  return refactors;
}

/** "Move into a Secret" refactors for the env values and ConfigMap entries in `[start, end]`. */
export function moveToSecretRefactorsAt(text: string, start: number, end: number): Refactor[] {
  const documents = parseFile(text);
  const refactors: Refactor[] = [];
  for (const document of documents) {
    if (!document.ok || document.offset > end || document.offset + document.text.length < start)
      continue;
    const localStart = start - document.offset;
    const localEnd = end - document.offset;
    for (const object of objectsOf(document)) {
      refactors.push(
        ...envRefactors(documents, document, object, localStart, localEnd),
        ...configMapRefactors(documents, document, object, localStart, localEnd),
      );
    }
  }
  return refactors;
}
