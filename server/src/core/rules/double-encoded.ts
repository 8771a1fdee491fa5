import { doubleEncodedInner, mayHoldBase64Text, resolveStoredValue } from '../double-base64';
import { replaceWithBase64 } from '../fixes/scalar-text';
import { contentRange } from '../fixes/yaml-edit';
import { isSecret, secretValuesOf } from '../model';
import { isScalar } from '../yaml-nodes';
import type { Rule } from './types';

/**
 * The API server base64-decodes a `data` value once. When the stored bytes are themselves
 * canonical base64 of readable text (`echo -n s3cret | base64 | base64`, or `b64enc` applied to
 * a value that was already encoded), the application receives the base64 text, not the value.
 * The exact heuristic, tuned against random passwords, is in `double-base64.ts` and the rule's
 * docs; keys that announce base64 content (`…base64…`, `…b64…`) are not checked.
 */
export const rule: Rule = {
  id: 'double-encoded',
  severity: 'warning',
  summary: 'A data value that is base64 of base64 text: Kubernetes decodes it only once.',
  check({ document, objects, report }) {
    for (const secret of objects.filter(isSecret)) {
      for (const entry of secretValuesOf(secret)) {
        if (entry.field !== 'data') continue;
        // Most values fail on their first group; a large one is then never decoded here.
        if (isScalar(entry.value) && typeof entry.value.value === 'string') {
          if (!mayHoldBase64Text(entry.value.value)) continue;
        }
        const resolved = resolveStoredValue(entry, document.text);
        if (resolved.state !== 'bytes') continue;
        const inner = doubleEncodedInner(entry.key, resolved.bytes);
        if (!inner) continue;
        const [start, end] = contentRange(document.text, resolved.scalar);
        report({
          start,
          end,
          message: `data.${entry.key} is base64-encoded twice: Kubernetes decodes it once, so the application receives ${inner.base64.length} characters of base64 instead of the ${inner.inner.length}-byte value`,
          fixes: [
            {
              title: 'Decode once',
              edits: [replaceWithBase64(document.text, resolved.scalar, inner.base64)],
              isPreferred: true,
            },
          ],
        });
      }
    }
  },
};
