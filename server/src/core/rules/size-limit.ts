import { contentRange } from '../fixes/yaml-edit';
import { isSecret, secretValuesOf } from '../model';
import type { SecretValue } from '../model';
import { kubernetesKeyOf, shortKey } from '../secret-keys';
import { resolveSecretValue } from '../secret-values';
import { entryOf, isScalar } from '../yaml-nodes';
import type { Rule } from './types';

/** `MaxSecretSize` in k8s.io/kubernetes/pkg/apis/core: 1 MiB. */
export const MAX_SECRET_SIZE = 1024 * 1024;

/**
 * `ValidateSecret` sums `len(value)` over the Secret's `data` after `stringData` has been merged
 * into it (a key in both counts once, with its `stringData` value) and rejects a total over
 * 1 MiB with `data: Too long: must have at most 1048576 bytes`. Keys do not count. Templated
 * values count as empty (their size is unknown); values that fail to decode count as empty too
 * (`invalid-base64` reports them).
 *
 * Reported on the `data` key, where the API server reports it (on `stringData` when there is no
 * `data`). Work is linear in the size of the values, and well-formed base64 is measured from
 * its length rather than decoded.
 */
export const rule: Rule = {
  id: 'size-limit',
  severity: 'error',
  summary: 'Decoded data plus stringData exceed the 1 MiB Secret size limit.',
  check({ document, objects, report }) {
    for (const secret of objects.filter(isSecret)) {
      // Later entries win, as when Kubernetes decodes and merges the maps.
      const sizes = new Map<string, { label: string; bytes: number }>();
      for (const entry of secretValuesOf(secret)) {
        const bytes = storedLength(entry, document.text);
        const key = kubernetesKeyOf(entry.keyNode).key;
        sizes.set(key, { label: `${entry.field}.${shortKey(key)}`, bytes });
      }
      let total = 0;
      let largest: { label: string; bytes: number } | undefined;
      for (const size of sizes.values()) {
        total += size.bytes;
        if (!largest || size.bytes > largest.bytes) largest = size;
      }
      if (total <= MAX_SECRET_SIZE || !largest) continue;
      const field = entryOf(secret.root, 'data') ?? entryOf(secret.root, 'stringData');
      if (!field) continue;
      const [start, end] = contentRange(document.text, field.keyNode);
      report({
        start,
        end,
        message:
          `The Secret's values total ${formatBytes(total)} once decoded, over the 1 MiB limit ` +
          `(${grouped(MAX_SECRET_SIZE)} bytes) that the API server enforces; the largest is ` +
          `${largest.label} (${grouped(largest.bytes)} bytes)`,
      });
    }
  },
};

const CANONICAL_SHAPE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * How many bytes Kubernetes stores for an entry. A `data` value of the usual shape (alphabet,
 * final padding, line breaks anywhere, a multiple of 4 characters) is valid for Go and its
 * length follows from its text, without decoding megabytes; anything else is resolved.
 */
function storedLength(entry: SecretValue, source: string): number {
  const node = entry.value;
  if (entry.field === 'data' && isScalar(node) && typeof node.value === 'string') {
    const text = /[\r\n]/.test(node.value) ? node.value.replace(/[\r\n]/g, '') : node.value;
    if (text.length % 4 === 0 && CANONICAL_SHAPE.test(text)) {
      const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
      return (text.length / 4) * 3 - padding;
    }
  }
  const resolved = resolveSecretValue(entry, source);
  return resolved.state === 'bytes' ? resolved.bytes.length : 0;
}

function grouped(count: number): string {
  return count.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Rounded up, so that a total just over the limit never reads as "1.000 MiB". */
function formatBytes(count: number): string {
  const mebibytes = Math.ceil((count / MAX_SECRET_SIZE) * 1000) / 1000;
  return `${mebibytes.toFixed(3)} MiB (${grouped(count)} bytes)`;
}
