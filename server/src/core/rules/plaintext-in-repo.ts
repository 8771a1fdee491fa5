import { gitExposureOf } from '../git-exposure';
import { isSecret, secretValuesOf } from '../model';
import { isPlaceholder } from '../placeholders';
import { resolveSecretValue } from '../secret-values';
import type { Rule } from './types';
import { entryOf } from '../yaml-nodes';

/**
 * Base64 is encoding, not encryption: a Secret with real values in a file that git would
 * commit is readable by everyone who can read the repository. Whether git would commit it is
 * decided by the adapter from `.git` and the ignore files (repo.ts), never by running git.
 */
export const rule: Rule = {
  id: 'plaintext-in-repo',
  severity: 'warning',
  summary: 'A Secret with real values in a file that git would commit.',
  check({ document, objects, file, report }) {
    if (file.sopsEncrypted) return;
    const exposure = gitExposureOf(file);
    if (!exposure) return;
    for (const secret of objects.filter(isSecret)) {
      const real = secretValuesOf(secret).filter((entry) => {
        const resolved = resolveSecretValue(entry, document.text);
        if (resolved.state === 'bytes') {
          const text = resolved.bytes.toString('utf8');
          return !isPlaceholder(text) && !isSopsEncryptedText(text);
        }
        if (resolved.state === 'invalid-base64') return !isPlaceholder(resolved.scalar.value);
        return false;
      });
      const first = real[0];
      if (!first) continue;
      // The `data:`/`stringData:` key: the finding is about the field, not one value.
      const field = entryOf(secret.root, first.field);
      const [start, end] = field?.keyNode.range ?? first.keyNode.range ?? [0, 0];
      const count = real.length === 1 ? '1 readable value' : `${real.length} readable values`;
      report({
        start,
        end,
        message: `Secret ${secret.name ?? '(unnamed)'} holds ${count} (base64 is encoding, not encryption) and this file ${exposure.where}: anyone who can read the repository can read ${real.length === 1 ? 'it' : 'them'}`,
        fixes: [...exposure.fixes],
      });
    }
  },
};

/**
 * A value that is itself a SOPS-encrypted document (a `.env`, INI, JSON or YAML file inside a
 * Secret's data, which Flux's kustomize-controller decrypts): ciphertext, not a readable
 * value. SOPS writes its MAC, encrypted, into every file it encrypts; these are the markers
 * kustomize-controller looks for (`sopsFormatToMarkerBytes`), the YAML and INI ones read as
 * `mac: ENC[` and `mac = ENC[`.
 */
function isSopsEncryptedText(text: string): boolean {
  return /sops_mac=ENC\[|"mac":\s*"ENC\[|(?:^|\s)mac\s*[:=]\s*ENC\[/.test(text);
}
