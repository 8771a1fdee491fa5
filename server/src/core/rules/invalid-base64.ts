import { decodeGoBase64, describeBase64Problem, encodeBase64 } from '../base64';
import { isSecret, secretValuesOf } from '../model';
import { isPlaceholder } from '../placeholders';
import { resolveSecretValue } from '../secret-values';
import { replaceWithBase64 } from '../fixes/scalar-text';
import { moveToStringDataFix } from '../fixes/move-to-string-data';
import type { Fix } from '../types';
import type { Rule } from './types';

/**
 * `data` values go through Go's `base64.StdEncoding`: a value it rejects fails `kubectl apply`.
 * Placeholders such as `<base64-password>` are left alone: they are not meant to be applied.
 */
export const rule: Rule = {
  id: 'invalid-base64',
  severity: 'error',
  summary: 'A data value that the API server would reject as base64.',
  check({ document, objects, file, report }) {
    for (const secret of objects.filter(isSecret)) {
      for (const entry of secretValuesOf(secret)) {
        if (entry.field !== 'data') continue;
        const resolved = resolveSecretValue(entry, document.text);
        if (resolved.state !== 'invalid-base64') continue;
        const { scalar, problem } = resolved;
        if (isPlaceholder(scalar.value)) continue;
        // In a SOPS file the stored text is ciphertext; the decrypted value is what is applied.
        if (file.sopsEncrypted && /^ENC\[[^\]]*\]$/.test(scalar.value)) continue;
        const [start, end] = scalar.range ?? [0, 0];
        const fixes: Fix[] = [];
        const repaired = repairedBase64(scalar.value);
        if (repaired !== undefined) {
          fixes.push({
            title: repaired.title,
            edits: [replaceWithBase64(document.text, scalar, repaired.base64)],
            isPreferred: true,
          });
        }
        fixes.push({
          title: 'Encode as base64',
          edits: [replaceWithBase64(document.text, scalar, encodeBase64(scalar.value))],
        });
        const move = moveToStringDataFix(document, secret, entry);
        if (move) fixes.push(move);
        report({
          start,
          end,
          message: `data.${entry.key} is not valid base64: ${describeBase64Problem(problem)}`,
          fixes,
        });
      }
    }
  },
};

/**
 * The same value with white space removed or padding completed, when that alone makes it
 * valid: the usual slips (a folded `>` scalar, a line wrapped with spaces, `=` cut off).
 */
function repairedBase64(value: string): { title: string; base64: string } | undefined {
  const withoutLineBreaks = value.replace(/[\r\n]/g, '');
  const compact = withoutLineBreaks.replace(/[ \t]/g, '');
  if (compact !== withoutLineBreaks) {
    return decodeGoBase64(compact).ok
      ? { title: 'Remove the white space inside the value', base64: compact }
      : undefined;
  }
  // Only padding is missing: one or two `=` complete the last group.
  const missing = (4 - (compact.length % 4)) % 4;
  if (missing === 1 || missing === 2) {
    const padded = compact + '='.repeat(missing);
    if (decodeGoBase64(padded).ok) return { title: 'Add the missing = padding', base64: padded };
  }
  return undefined;
}
