import { coversSecrets, encryptionConfigOf, isEncryptionConfiguration } from '../encryption-config';
import type { Rule } from './types';
import { entryOf } from '../yaml-nodes';

/**
 * Secrets are encrypted at rest only when a `resources[]` entry names them: `secrets` (or
 * `secrets.`), `*.` (every core-group resource) or `*.*` (everything). Names are matched as
 * the API server parses them (encryption-config.ts): a bare `*` is refused, and resource
 * names are lowercase, so `Secrets` covers nothing.
 */
export const rule: Rule = {
  id: 'encryption-secrets-not-covered',
  severity: 'warning',
  summary: 'An EncryptionConfiguration has no resources entry covering Secrets.',
  check({ objects, report }) {
    for (const object of objects.filter(isEncryptionConfiguration)) {
      const config = encryptionConfigOf(object);
      const names = config.entries.flatMap((entry) => entry.resources);
      if (names.some(coversSecrets)) continue;
      const node = config.resourcesEntry?.keyNode ?? entryOf(object.root, 'kind')?.value;
      const [start, end] = node?.range ?? [0, 0];
      const hints: string[] = [];
      if (names.includes('*')) hints.push('a bare * is refused: use *. or *.*');
      if (names.some((name) => name !== name.toLowerCase() && coversSecrets(name.toLowerCase()))) {
        hints.push('resource names are lowercase');
      }
      report({
        start,
        end,
        message: `No resources entry covers secrets (secrets, *. or *.*): the API server stores Secrets unencrypted${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`,
      });
    }
  },
};
