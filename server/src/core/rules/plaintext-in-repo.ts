import { gitignoreLineFor } from '../repo';
import { isSecret, secretValuesOf } from '../model';
import { isPlaceholder } from '../placeholders';
import { resolveSecretValue } from '../secret-values';
import type { Fix } from '../types';
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
    const git = file.git;
    const inScope =
      file.settings.plaintextInRepo.scope === 'always' ||
      git?.state === 'tracked' ||
      git?.state === 'untracked';
    if (!inScope) return;
    for (const secret of objects.filter(isSecret)) {
      const real = secretValuesOf(secret).filter((entry) => {
        const resolved = resolveSecretValue(entry, document.text);
        if (resolved.state === 'bytes') return !isPlaceholder(resolved.bytes.toString('utf8'));
        if (resolved.state === 'invalid-base64') return !isPlaceholder(resolved.scalar.value);
        return false;
      });
      const first = real[0];
      if (!first) continue;
      // The `data:`/`stringData:` key: the finding is about the field, not one value.
      const field = entryOf(secret.root, first.field);
      const [start, end] = field?.keyNode.range ?? first.keyNode.range ?? [0, 0];
      const count = real.length === 1 ? '1 readable value' : `${real.length} readable values`;
      const where =
        git?.state === 'tracked'
          ? 'is tracked by git: adding it to .gitignore is not enough, remove it from the index and rotate the values'
          : git?.state === 'untracked'
            ? 'is not ignored by git'
            : 'is not encrypted';
      const fixes: Fix[] = [];
      if (git?.state === 'untracked' && file.path !== undefined) {
        fixes.push({
          title: 'Add this file to .gitignore',
          edits: [],
          otherFileEdits: [
            {
              path: `${git.workTree}/.gitignore`,
              appendLine: gitignoreLineFor(file.path, git.workTree),
            },
          ],
        });
      }
      report({
        start,
        end,
        message: `Secret ${secret.name ?? '(unnamed)'} holds ${count} (base64 is encoding, not encryption) and this file ${where}: anyone who can read the repository can read ${real.length === 1 ? 'it' : 'them'}`,
        fixes,
      });
    }
  },
};
