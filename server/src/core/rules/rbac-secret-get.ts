import { contentRange } from '../fixes/yaml-edit';
import { grantsOnEverySecret, isRbacRole, policyRulesOf } from '../rbac';
import type { Rule } from './types';

/**
 * A Role or ClusterRole rule that lets its subjects get any Secret by name: no
 * `resourceNames` narrows it to the Secrets they need. Matching follows the API server's RBAC
 * authorizer (rbac.ts), every rule of the role is checked. A rule that also grants list or
 * watch (or `*`) is left to `rbac-secret-list`, which already reports it, so that one rule is
 * never reported twice.
 */
export const rule: Rule = {
  id: 'rbac-secret-get',
  severity: 'info',
  summary: 'A Role or ClusterRole rule grants get on every Secret (no resourceNames).',
  check({ document, objects, report }) {
    for (const role of objects.filter(isRbacRole)) {
      for (const policyRule of policyRulesOf(role)) {
        if (!grantsOnEverySecret(policyRule, 'get')) continue;
        if (grantsOnEverySecret(policyRule, 'list') || grantsOnEverySecret(policyRule, 'watch')) {
          continue;
        }
        const [start, end] = contentRange(document.text, policyRule.node);
        report({
          start,
          end,
          message: `${role.kind} ${role.name ?? '(unnamed)'} rule ${policyRule.index + 1} grants get on every Secret: list the ones needed in resourceNames`,
        });
      }
    }
  },
};
