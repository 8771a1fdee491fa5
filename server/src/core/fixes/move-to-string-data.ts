/**
 * "Move to stringData": the text typed into `data` was meant as plain text. The entry leaves
 * `data` and its string goes to `stringData` unchanged, so Kubernetes stores exactly that text.
 */
import type { K8sObject, SecretValue } from '../model';
import type { ParsedDocument } from '../parse';
import type { Fix, TextEdit } from '../types';
import { entriesOf, entryOf, isMap, isScalar } from '../yaml-nodes';
import {
  YamlEditError,
  addEntryToMapping,
  appendEntry,
  normalizeEdits,
  removeEntry,
} from './yaml-edit';

export function moveToStringDataFix(
  document: ParsedDocument,
  secret: K8sObject,
  entry: SecretValue,
): Fix | undefined {
  const data = entryOf(secret.root, 'data');
  const stringData = entryOf(secret.root, 'stringData');
  if (
    !data ||
    !isMap(data.value) ||
    !isScalar(entry.value) ||
    typeof entry.value.value !== 'string'
  ) {
    return undefined;
  }
  const title = 'Move to stringData';
  if (!stringData && entriesOf(data.value).length === 1) {
    // The only entry: renaming the `data` key moves it with nothing else touched.
    const [start, end] = data.keyNode.range ?? [0, 0];
    const quote =
      document.text[start] === '"' || document.text[start] === "'" ? document.text[start] : '';
    return { title, edits: [{ start, end, newText: `${quote}stringData${quote}` }] };
  }
  // A key already in stringData wins over data: moving would change nothing (duplicate-key).
  if (stringData && (!isMap(stringData.value) || entryOf(stringData.value, entry.key)))
    return undefined;
  const pair = data.value.items.find((item) => item.key === entry.keyNode);
  if (!pair) return undefined;
  const value = entry.value.value;
  try {
    const edits: TextEdit[] = [
      ...removeEntry(document.text, data.value, pair),
      ...(stringData && isMap(stringData.value)
        ? appendEntry(document.text, stringData.value, entry.key, value)
        : addEntryToMapping(
            document.text,
            secret.root,
            'stringData',
            { [entry.key]: value },
            { after: ['data'] },
          )),
    ];
    const normalized = normalizeEdits(edits);
    return normalized ? { title, edits: normalized } : undefined;
  } catch (error) {
    if (error instanceof YamlEditError) return undefined;
    throw error;
  }
}
