import { containersOf, podSpecOf } from '../model';
import { isTemplated } from '../placeholders';
import { mountSecretFixes, secretEnvReferencesOf } from '../fixes/env-to-volume';
import type { SecretEnvReference } from '../fixes/env-to-volume';
import { contentRange } from '../fixes/yaml-edit';
import type { Rule } from './types';

const WHY =
  'environment variables are inherited by child processes and end up in crash dumps, ' +
  '/proc/<pid>/environ and logs; a read-only volume mount does not leak this way.';

/**
 * A Secret handed to a container through its environment leaks further than one mounted as
 * files. Fires on every `env[].valueFrom.secretKeyRef` and `envFrom[].secretRef` of every
 * container, init container and ephemeral container of every workload kind; the range is the
 * whole env list item. References whose Secret name is missing or templated are skipped: the
 * fix needs the real name.
 */
export const rule: Rule = {
  id: 'secret-in-env',
  severity: 'info',
  summary: 'A container reads a Secret through environment variables instead of a volume.',
  check({ document, objects, report }) {
    for (const object of objects) {
      const podSpec = podSpecOf(object);
      if (!podSpec) continue;
      for (const container of containersOf(podSpec)) {
        for (const reference of secretEnvReferencesOf(container)) {
          if (isTemplated(reference.secretName)) continue;
          const [start, end] = contentRange(document.text, reference.item);
          report({
            start,
            end,
            message: messageFor(reference),
            // Built when a code action asks: rendering the volume costs more than the check.
            lazyFixes: () => mountSecretFixes(document, podSpec, container, reference),
          });
        }
      }
    }
  },
};

/** Names the variable, key and Secret (names, never values) and says why it matters. */
function messageFor(reference: SecretEnvReference): string {
  const secret = JSON.stringify(reference.secretName);
  if (reference.field === 'envFrom') {
    return `envFrom loads every key of Secret ${secret} into the environment: ${WHY}`;
  }
  const variable = reference.variable ?? 'An env var';
  const key = reference.key === undefined ? '' : ` key ${JSON.stringify(reference.key)} of`;
  return `${variable} takes${key} Secret ${secret} through the environment: ${WHY}`;
}
