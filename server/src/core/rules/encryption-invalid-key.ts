import { decodeGoBase64, describeBase64ProblemByPosition } from '../base64';
import { encryptionConfigOf, isEncryptionConfiguration } from '../encryption-config';
import type { ProviderType } from '../encryption-config';
import { contentRange } from '../fixes/yaml-edit';
import { isPlaceholder, isTemplated } from '../placeholders';
import type { Rule } from './types';
import { isMap, isScalar, isSeq } from '../yaml-nodes';

/** Key sizes in bytes that the API server's validation accepts, per provider. */
const KEY_SIZES: Partial<Record<ProviderType, readonly number[]>> = {
  aescbc: [16, 24, 32],
  aesgcm: [16, 24, 32],
  secretbox: [32],
};

/**
 * A raw key of an `aescbc`, `aesgcm` or `secretbox` provider that the API server refuses at
 * startup (`validateKey` in `k8s.io/apiserver/pkg/apis/apiserver/validation`): the `secret`
 * must be Go `base64.StdEncoding` (CR and LF skipped, padding required) of 16, 24 or 32 bytes
 * for AES, exactly 32 for secretbox. Every entry is checked, not only the one for Secrets: one
 * bad key stops the API server. Placeholders and templates (`<BASE 64 ENCODED SECRET>`,
 * `${KEY}`) are not keys yet; SOPS-encrypted files hold ciphertext. Messages give positions
 * and lengths, never the key.
 */
export const rule: Rule = {
  id: 'encryption-invalid-key',
  severity: 'error',
  summary: 'An aescbc/aesgcm/secretbox key is not base64 of a valid key size.',
  check({ document, objects, file, report }) {
    if (file.sopsEncrypted) return;
    for (const object of objects.filter(isEncryptionConfiguration)) {
      for (const entry of encryptionConfigOf(object).entries) {
        for (const provider of entry.providers) {
          const sizes = provider.type ? KEY_SIZES[provider.type] : undefined;
          if (!provider.type || !sizes) continue;
          for (const key of provider.keys) {
            const value = key.secret?.value;
            if (!value || (isScalar(value) && value.value === null)) continue;
            const label = `${provider.type} key ${key.name === undefined ? '(unnamed)' : JSON.stringify(key.name)}`;
            // A map or list is not a string either; an alias (rare here) is left alone.
            if (!isScalar(value) && !isMap(value) && !isSeq(value)) continue;
            const secret: unknown = isScalar(value) ? value.value : value;
            const problem = keyProblem(secret, sizes, provider.type);
            if (problem === undefined) continue;
            const [start, end] = contentRange(document.text, value);
            report({ start, end, message: `${label}: ${problem}` });
          }
        }
      }
    }
  },
};

/** Why a key's `secret` would be refused, or undefined when it is fine or a placeholder. */
function keyProblem(
  secret: unknown,
  sizes: readonly number[],
  type: ProviderType,
): string | undefined {
  if (typeof secret !== 'string') {
    return 'the secret is not a string under YAML 1.1: the API server cannot read the configuration';
  }
  if (isPlaceholder(secret) || isTemplated(secret)) return undefined;
  const decoded = decodeGoBase64(secret);
  if (!decoded.ok) {
    return `the secret is not valid base64 (${describeBase64ProblemByPosition(decoded.problem)}): the API server refuses to start`;
  }
  const length = decoded.bytes.length;
  if (sizes.includes(length)) return undefined;
  const expected =
    sizes.length === 1
      ? `${sizes[0]} bytes`
      : `${sizes.slice(0, -1).join(', ')} or ${sizes[sizes.length - 1]} bytes`;
  return `the secret decodes to ${length} byte${length === 1 ? '' : 's'}, ${type} needs ${expected}: the API server refuses to start`;
}
