/** The rule registry: every rule, in the order their findings are reported at one offset. */
import type { Rule } from './types';
import { rule as invalidBase64 } from './invalid-base64';
import { rule as nonStringValue } from './non-string-value';
import { rule as invalidKey } from './invalid-key';
import { rule as duplicateKey } from './duplicate-key';
import { rule as sizeLimit } from './size-limit';
import { rule as typeRequiredKeys } from './type-required-keys';
import { rule as invalidTls } from './invalid-tls';
import { rule as invalidDockerconfig } from './invalid-dockerconfig';
import { rule as trailingNewline } from './trailing-newline';
import { rule as doubleEncoded } from './double-encoded';
import { rule as weakCredential } from './weak-credential';
import { rule as plaintextInRepo } from './plaintext-in-repo';
import { rule as decryptedLeftover } from './decrypted-leftover';
import { rule as sopsUnencryptedValue } from './sops-unencrypted-value';
import { rule as secretInEnv } from './secret-in-env';
import { rule as hardcodedSecretEnv } from './hardcoded-secret-env';
import { rule as secretVolumeMode } from './secret-volume-mode';
import { rule as secretKeyMissing } from './secret-key-missing';
import { rule as secretInConfigmap } from './secret-in-configmap';
import { rule as rbacSecretList } from './rbac-secret-list';
import { rule as rbacSecretGet } from './rbac-secret-get';
import { rule as encryptionIdentityFirst } from './encryption-identity-first';
import { rule as encryptionSecretsNotCovered } from './encryption-secrets-not-covered';
import { rule as encryptionWeakProvider } from './encryption-weak-provider';
import { rule as encryptionInvalidKey } from './encryption-invalid-key';
import { rule as encryptionKeyInRepo } from './encryption-key-in-repo';
import { rule as unknownRule } from './unknown-rule';
import { rule as analysisLimit } from './analysis-limit';

export const RULES: readonly Rule[] = [
  invalidBase64,
  nonStringValue,
  invalidKey,
  duplicateKey,
  sizeLimit,
  typeRequiredKeys,
  invalidTls,
  invalidDockerconfig,
  trailingNewline,
  doubleEncoded,
  weakCredential,
  plaintextInRepo,
  decryptedLeftover,
  sopsUnencryptedValue,
  secretInEnv,
  hardcodedSecretEnv,
  secretVolumeMode,
  secretKeyMissing,
  secretInConfigmap,
  rbacSecretList,
  rbacSecretGet,
  encryptionIdentityFirst,
  encryptionSecretsNotCovered,
  encryptionWeakProvider,
  encryptionInvalidKey,
  encryptionKeyInRepo,
  unknownRule,
  analysisLimit,
];

const RULE_IDS = new Set(RULES.map((rule) => rule.id));

/** True for an id that a suppression comment or a setting may name. */
export function isKnownRuleId(id: string): boolean {
  return RULE_IDS.has(id);
}

/** The rule with this id, if any. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
