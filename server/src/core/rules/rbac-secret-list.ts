import { contentRange } from '../fixes/yaml-edit';
import { grantsOnEverySecret, isRbacRole, policyRulesOf } from '../rbac';
import type { Rule } from './types';

/** The verbs that return Secrets in bulk, values included. */
const BULK_VERBS: readonly string[] = ['list', 'watch'];

/**
 * A Role or ClusterRole rule that lets its subjects list or watch Secrets: the response holds
 * every Secret of the namespace (or of the cluster, through a ClusterRoleBinding), values
 * included. Matching follows the API server's RBAC authorizer (rbac.ts): every rule of the
 * role is checked, `*` counts only as a whole list item, names are case-sensitive, and a
 * subresource (`secrets/status`, `*\/*`) does not grant the parent. `resourceNames` confines a
 * list or watch to the named Secrets (the client must select them by `metadata.name`), so
 * such a rule is not bulk access, unless it lists the empty name. ClusterRoles with an
 * `aggregationRule` are skipped: the controller replaces their rules.
 */
export const rule: Rule = {
  id: 'rbac-secret-list',
  severity: 'warning',
  summary: 'A Role or ClusterRole rule grants list or watch on Secrets.',
  check({ document, objects, report }) {
    for (const role of objects.filter(isRbacRole)) {
      for (const policyRule of policyRulesOf(role)) {
        const verbs = BULK_VERBS.filter((verb) => grantsOnEverySecret(policyRule, verb));
        if (verbs.length === 0) continue;
        const [start, end] = contentRange(document.text, policyRule.node);
        const scope =
          role.kind === 'ClusterRole'
            ? 'every Secret of the namespaces it is bound in (all of them through a ClusterRoleBinding)'
            : 'every Secret of its namespace';
        report({
          start,
          end,
          message: `${role.kind} ${role.name ?? '(unnamed)'} rule ${policyRule.index + 1} grants ${verbs.join(' and ')} on secrets: a list or watch returns ${scope}, values included`,
        });
      }
    }
  },
};
