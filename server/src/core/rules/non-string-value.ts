import { isSecret, secretValuesOf } from '../model';
import { resolveSecretValue } from '../secret-values';
import { doubleQuoted } from '../fixes/scalar-text';
import { isMap, isScalar, isSeq } from '../yaml-nodes';
import type { Node } from '../yaml-nodes';
import type { Rule } from './types';

/**
 * `data` and `stringData` are `map[string][]byte` / `map[string]string` in Go: after YAML 1.1
 * resolution, `yes` is a boolean and `0644` the number 420, and the API server rejects both.
 * Null is accepted (stored as empty), so it is not flagged.
 */
export const rule: Rule = {
  id: 'non-string-value',
  severity: 'error',
  summary: 'A data or stringData value that YAML 1.1 reads as a number, boolean, map or list.',
  check({ document, objects, report }) {
    for (const secret of objects.filter(isSecret)) {
      for (const entry of secretValuesOf(secret)) {
        if (resolveSecretValue(entry, document.text).state !== 'not-a-string') continue;
        const node = entry.value as Node;
        const [start, end] = node.range ?? [0, 0];
        const raw = document.text.slice(start, end);
        const kind = describeKind(node);
        // Quoting keeps the characters the author typed; tagged values (`!!int 5`) and
        // collections have no text that quoting would preserve, so they get no fix.
        const quotable = isScalar(node) && !node.tag && !raw.includes('\n');
        report({
          start,
          end,
          message: `${entry.field}.${entry.key} is ${kind} under YAML 1.1, not a string: the API server rejects it`,
          ...(quotable
            ? {
                fixes: [
                  {
                    title: 'Quote the value',
                    edits: [{ start, end, newText: doubleQuoted(raw) }],
                    isPreferred: true,
                  },
                ],
              }
            : {}),
        });
      }
    }
  },
};

function describeKind(node: Node): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (typeof node.value === 'boolean') return 'a boolean';
    if (typeof node.value === 'number' || typeof node.value === 'bigint') return 'a number';
  }
  return 'not a string';
}
