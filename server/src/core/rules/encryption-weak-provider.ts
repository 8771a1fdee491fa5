import {
  encryptionConfigOf,
  isEncryptionConfiguration,
  secretsEntryOf,
} from '../encryption-config';
import { contentRange } from '../fixes/yaml-edit';
import type { Rule } from './types';

/**
 * The provider that encrypts Secrets (the first one of the entry that applies to them, as
 * encryption-config.ts reads it) is one the Kubernetes documentation advises against:
 * `aescbc`, open to padding-oracle attacks, or `kms` with `apiVersion: v1` (also the default
 * when `apiVersion` is unset), deprecated since Kubernetes 1.28 and disabled by default since
 * 1.29. KMS v2 is the recommended provider.
 */
export const rule: Rule = {
  id: 'encryption-weak-provider',
  severity: 'warning',
  summary: 'Secrets are encrypted with aescbc or KMS v1; KMS v2 is recommended.',
  check({ document, objects, report }) {
    for (const object of objects.filter(isEncryptionConfiguration)) {
      const first = secretsEntryOf(encryptionConfigOf(object))?.providers[0];
      if (!first) continue;
      let message: string | undefined;
      if (first.type === 'aescbc') {
        message =
          'aescbc encrypts Secrets: AES-CBC is open to padding-oracle attacks and the Kubernetes documentation recommends against it; use kms with apiVersion v2';
      } else if (first.type === 'kms' && first.kmsApiVersion === 'v1') {
        message =
          'kms v1 encrypts Secrets (apiVersion v1 is the default when unset): KMS v1 is deprecated and disabled by default since Kubernetes 1.29; use apiVersion v2';
      }
      if (message === undefined) continue;
      const [start, end] = contentRange(document.text, first.node);
      report({ start, end, message });
    }
  },
};
