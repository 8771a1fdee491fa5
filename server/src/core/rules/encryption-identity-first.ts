import {
  encryptionConfigOf,
  isEncryptionConfiguration,
  secretsEntryOf,
} from '../encryption-config';
import type { ResourceConfig } from '../encryption-config';
import { moveItemLast } from '../fixes/move-item-last';
import { YamlEditError, contentRange } from '../fixes/yaml-edit';
import type { Fix } from '../types';
import type { Rule } from './types';

/**
 * The API server encrypts every write with the first provider of the entry that applies to
 * Secrets (the first `resources[]` entry covering `secrets`, `*.` or `*.*`, as
 * encryption-config.ts reads it); `identity` there means new and updated Secrets reach etcd
 * in plain text, whatever providers follow (they are only tried when reading).
 */
export const rule: Rule = {
  id: 'encryption-identity-first',
  severity: 'error',
  summary: 'An EncryptionConfiguration writes Secrets with the identity provider (no encryption).',
  check({ document, objects, report }) {
    for (const object of objects.filter(isEncryptionConfiguration)) {
      const entry = secretsEntryOf(encryptionConfigOf(object));
      const first = entry?.providers[0];
      if (!entry || first?.type !== 'identity') continue;
      const [start, end] = contentRange(document.text, first.node);
      const others = entry.providers.length - 1;
      const fix = moveIdentityLast(document.text, entry);
      report({
        start,
        end,
        message:
          others > 0
            ? `identity is the first provider for secrets: new and updated Secrets are written to etcd unencrypted (the ${others === 1 ? 'provider after it is' : `${others} providers after it are`} only used to read)`
            : 'identity is the only provider for secrets: Secrets are written to etcd unencrypted',
        fixes: fix ? [fix] : [],
      });
    }
  },
};

/** Moves the identity item after the others, when an encrypting provider then comes first. */
function moveIdentityLast(source: string, entry: ResourceConfig): Fix | undefined {
  const [first, second] = entry.providers;
  if (!entry.providersNode || !first || !second || second.type === 'identity') return undefined;
  try {
    return {
      title: 'Move identity last',
      edits: moveItemLast(source, entry.providersNode, first.node),
      isPreferred: true,
    };
  } catch (error) {
    if (error instanceof YamlEditError) return undefined;
    throw error;
  }
}
