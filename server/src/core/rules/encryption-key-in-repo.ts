import { encryptionConfigOf, isEncryptionConfiguration } from '../encryption-config';
import { gitExposureOf } from '../git-exposure';
import { isPlaceholder, isTemplated } from '../placeholders';
import type { Rule } from './types';
import { stringOf } from '../yaml-nodes';
import type { Entry } from '../yaml-nodes';

/**
 * An EncryptionConfiguration with raw keys (`aescbc`, `aesgcm`, `secretbox` keys whose
 * `secret` is not a placeholder or template) in a file that git would commit: whoever reads
 * the repository can decrypt etcd and its backups. Whether git would commit the file is
 * decided as for `plaintext-in-repo` (git-exposure.ts, which honours
 * `secretGuard.plaintextInRepo.scope`); SOPS-encrypted files are not flagged.
 */
export const rule: Rule = {
  id: 'encryption-key-in-repo',
  severity: 'warning',
  summary: 'An EncryptionConfiguration with raw keys in a file that git would commit.',
  check({ objects, file, report }) {
    if (file.sopsEncrypted) return;
    const exposure = gitExposureOf(file);
    if (!exposure) return;
    for (const object of objects.filter(isEncryptionConfiguration)) {
      const raw: Entry[] = [];
      for (const entry of encryptionConfigOf(object).entries) {
        for (const provider of entry.providers) {
          for (const key of provider.keys) {
            const secret = stringOf(key.secret?.value);
            if (
              key.secret &&
              secret !== undefined &&
              !isPlaceholder(secret) &&
              !isTemplated(secret)
            ) {
              raw.push(key.secret);
            }
          }
        }
      }
      const first = raw[0];
      if (!first) continue;
      // The first raw key's `secret:` key: the finding is about the file, not one value.
      const [start, end] = first.keyNode.range ?? [0, 0];
      const count = raw.length === 1 ? '1 raw encryption key' : `${raw.length} raw encryption keys`;
      report({
        start,
        end,
        message: `${object.kind} holds ${count} and this file ${exposure.where}: anyone who can read the repository can decrypt the Secrets stored in etcd and its backups`,
        fixes: [...exposure.fixes],
      });
    }
  },
};
