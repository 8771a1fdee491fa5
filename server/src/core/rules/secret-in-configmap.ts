import { decodeGoBase64, isPrintableUtf8 } from '../base64';
import {
  describeCredential,
  detectCredential,
  findSecretSetting,
  isLiteralSecretValue,
  looksSecretName,
} from '../credentials';
import type { K8sObject } from '../model';
import type { ParsedDocument } from '../parse';
import { isTemplated } from '../placeholders';
import { derivedSecretName, isValidSecretKey, planSecretEntry } from '../fixes/move-to-secret';
import { contentRange, normalizeEdits, removeEntry, YamlEditError } from '../fixes/yaml-edit';
import type { Fix, TextEdit } from '../types';
import { entriesOf, isMap, isScalar, valueAt } from '../yaml-nodes';
import type { Entry, YAMLMap } from '../yaml-nodes';
import type { FileContext, Rule } from './types';

const WHY =
  'ConfigMaps are not meant for secrets: they are readable by anyone who may read the ' +
  "namespace's configuration, shown in plain text by kubectl and dashboards, and never " +
  'encrypted at rest';

type Field = 'data' | 'binaryData';

/**
 * A secret kept in a ConfigMap (`v1`). For each `data` entry (text) and `binaryData` entry
 * (base64, decoded with Go's rules; only printable UTF-8 is read as text):
 * - the value holds a known credential format (credentials.ts): the range is the value;
 * - else the key looks secret (credentials.ts `looksSecretName`, with its exclusions) and the
 *   value is a literal, not a placeholder: the range is the key;
 * - else the value is a configuration file that sets a secret-looking name to a literal
 *   value (`REDIS_PASSWORD=...`, `password: ...`): the range is the value.
 * One finding per entry. Values that are not strings are left to the API server (it rejects
 * them) and templated values are skipped.
 */
export const rule: Rule = {
  id: 'secret-in-configmap',
  severity: 'warning',
  summary: 'A ConfigMap holds a secret.',
  check({ document, objects, file, report }) {
    for (const object of objects) {
      if (object.kind !== 'ConfigMap' || object.apiVersion !== 'v1') continue;
      for (const field of ['data', 'binaryData'] as const) {
        const map = valueAt(object.root, field);
        if (!isMap(map)) continue;
        for (const entry of entriesOf(map)) {
          const finding = inspect(document, field, entry);
          if (!finding) continue;
          const node = finding.on === 'key' ? entry.keyNode : entry.value;
          if (!node) continue;
          const [start, end] = contentRange(document.text, node);
          report({
            start,
            end,
            message: `${field}.${entry.key} of ConfigMap ${object.name ?? '(unnamed)'} ${finding.what}: ${WHY}`,
            fixes: fixesFor(document, file, object, field, map, entry),
          });
        }
      }
    }
  },
};

interface EntryFinding {
  on: 'key' | 'value';
  /** What the message says the entry holds (no value). */
  what: string;
}

function inspect(document: ParsedDocument, field: Field, entry: Entry): EntryFinding | undefined {
  const node = entry.value;
  if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return undefined;
  const raw = node.range ? document.text.slice(node.range[0], node.range[1]) : '';
  if (isTemplated(raw)) return undefined;
  let text: string | undefined = node.value;
  if (field === 'binaryData') {
    const decoded = decodeGoBase64(node.value);
    if (!decoded.ok || decoded.bytes.length === 0) return undefined;
    text = isPrintableUtf8(decoded.bytes) ? decoded.bytes.toString('utf8') : undefined;
  }
  const credential = text === undefined ? undefined : detectCredential(text);
  if (credential) return { on: 'value', what: `holds ${describeCredential(credential.kind)}` };
  if (looksSecretName(entry.key) && (text === undefined || isLiteralSecretValue(text))) {
    return { on: 'key', what: 'has a literal value and its key says it is a secret' };
  }
  const setting = text === undefined ? undefined : findSecretSetting(text);
  if (setting) {
    const where = text?.includes('\n') ? ` (line ${setting.line})` : '';
    return { on: 'value', what: `sets ${setting.name}${where} to a literal value` };
  }
  return undefined;
}

/**
 * "Move to Secret <configmap>-secret": removes the entry from the ConfigMap and stores it in
 * that Secret (same namespace): a `data` value under `stringData` as it is, a `binaryData`
 * value under `data` (both are base64). The Secret is extended when the file defines it and
 * created after the ConfigMap otherwise. Pods that read the key from the ConfigMap must then
 * read it from the Secret: the title names it.
 */
function fixesFor(
  document: ParsedDocument,
  file: FileContext,
  object: K8sObject,
  field: Field,
  map: YAMLMap,
  entry: Entry,
): Fix[] {
  const node = entry.value;
  if (file.sopsEncrypted || !isScalar(node) || typeof node.value !== 'string') return [];
  if (!isValidSecretKey(entry.key)) return [];
  const target = derivedSecretName(object, '-secret');
  if (!target) return [];
  const plan = planSecretEntry(document, file.documents, object, {
    secretName: target.name,
    namespace: target.namespace,
    keys: [entry.key],
    field: field === 'data' ? 'stringData' : 'data',
    value: node.value,
  });
  if (!plan) return [];
  let removal: TextEdit[];
  try {
    removal = removeEntry(document.text, map, entry.pair);
  } catch (error) {
    if (error instanceof YamlEditError) return [];
    throw error;
  }
  const local = normalizeEdits([
    ...removal,
    ...plan.edits.filter((edit) => edit.document === undefined),
  ]);
  if (!local) return [];
  const elsewhere = plan.edits.filter((edit) => edit.document !== undefined);
  return [{ title: `Move to Secret ${target.name}`, edits: [...local, ...elsewhere] }];
}
