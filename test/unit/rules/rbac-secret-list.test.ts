import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'rbac-secret-list';

/** A Role whose `rules` are the given block lines (indented by 2, items at column 3). */
const role = (rules: string, kind = 'Role'): string =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: reader\n  namespace: app\nrules:\n${rules}`;

ruleTester(ID, {
  valid: [
    {
      name: 'get only (left to rbac-secret-get)',
      code: role('  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get]\n'),
    },
    {
      name: 'list on configmaps',
      code: role(
        '  - apiGroups: [""]\n    resources: [configmaps, pods]\n    verbs: [list, watch]\n',
      ),
    },
    {
      name: 'secrets in another API group',
      code: role('  - apiGroups: [apps]\n    resources: [secrets]\n    verbs: [list]\n'),
    },
    {
      name: 'no apiGroups: matches no group',
      code: role('  - resources: [secrets]\n    verbs: [list]\n'),
    },
    {
      name: 'case-sensitive resource and verb',
      code: role(
        '  - apiGroups: [""]\n    resources: [Secrets]\n    verbs: [list]\n  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [LIST, Watch]\n',
      ),
    },
    {
      name: 'a subresource does not grant the parent',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets/status, "*/*", "secrets/*"]\n    verbs: [list, watch]\n',
      ),
    },
    {
      name: 'a prefix is not a wildcard',
      code: role(
        '  - apiGroups: ["*.k8s.io", "core"]\n    resources: [secrets]\n    verbs: [list]\n  - apiGroups: [""]\n    resources: ["secret*"]\n    verbs: ["li*"]\n',
      ),
    },
    {
      name: 'resourceNames confine list and watch to the named Secrets',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    resourceNames: [app-tls]\n    verbs: [get, list, watch]\n',
      ),
    },
    {
      name: 'resourceNames "*" is a name, not a wildcard',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    resourceNames: ["*"]\n    verbs: ["*"]\n',
      ),
    },
    {
      name: 'an aggregated ClusterRole: the controller writes its rules',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [list]\naggregationRule:\n  clusterRoleSelectors:\n    - matchLabels:\n        rbac.example.com/aggregate-to-reader: "true"\n',
        'ClusterRole',
      ),
    },
    {
      name: 'an aggregated ClusterRole with no rules',
      code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: monitoring\naggregationRule:\n  clusterRoleSelectors:\n    - matchLabels:\n        a: "true"\nrules: []\n',
    },
    {
      name: 'not an RBAC role (a CRD with the same shape)',
      code: 'apiVersion: example.com/v1\nkind: Role\nrules:\n  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [list]\n',
    },
    {
      name: 'a RoleBinding',
      code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\nroleRef:\n  kind: Role\n  name: secrets\n  apiGroup: rbac.authorization.k8s.io\n',
    },
    {
      name: 'nonResourceURLs',
      code: role('  - nonResourceURLs: ["*"]\n    verbs: ["*"]\n', 'ClusterRole'),
    },
  ],
  invalid: [
    {
      name: 'list, watch on secrets in the core group',
      code: role('  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get, list, watch]\n'),
      errors: [{ line: 7, column: 5, endLine: 9, endColumn: 30, severity: 'warning' }],
    },
    {
      name: "checkov's bug: the grant is in the second rule, not the first",
      code: role(
        '  - apiGroups: [""]\n    resources: [pods]\n    verbs: [get, list]\n' +
          '  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [list]\n',
      ),
      errors: [{ line: 10, column: 5, endLine: 12, endColumn: 18 }],
    },
    {
      name: 'every granting rule is reported',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [watch]\n' +
          '  - apiGroups: [""]\n    resources: [configmaps]\n    verbs: [list]\n' +
          '  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n',
        'ClusterRole',
      ),
      errors: [
        { line: 7, column: 5, endLine: 9, endColumn: 19 },
        { line: 13, column: 5, endLine: 15, endColumn: 17 },
      ],
    },
    {
      name: 'wildcards in any position of each list',
      code: role('  - apiGroups: [apps, "*"]\n    resources: [pods, "*"]\n    verbs: [get, "*"]\n'),
      errors: [{ line: 7, column: 5, endLine: 9, endColumn: 22 }],
    },
    {
      name: 'block lists, secrets among other resources',
      code: role(
        '- apiGroups:\n  - ""\n  resources:\n  - configmaps\n  - secrets\n  verbs:\n  - watch\n',
      ),
      errors: [{ line: 7, column: 3, endLine: 13, endColumn: 10 }],
    },
    {
      name: 'a null apiGroups item is the core group, as Go decodes it',
      code: role('  - apiGroups: [~]\n    resources: [secrets]\n    verbs: [list]\n'),
      errors: [{ line: 7, column: 5, endLine: 9, endColumn: 18 }],
    },
    {
      name: 'resourceNames listing the empty name lets a nameless list through',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    resourceNames: [""]\n    verbs: [list]\n',
      ),
      errors: [{ line: 7, column: 5, endLine: 10, endColumn: 18 }],
    },
    {
      name: 'an empty resourceNames restricts nothing',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    resourceNames: []\n    verbs: [list]\n',
      ),
      errors: [{ line: 7, column: 5, endLine: 10, endColumn: 18 }],
    },
    {
      name: 'v1beta1, JSON manifest with kind after the rules',
      code: '{"rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}], "kind": "ClusterRole", "apiVersion": "rbac.authorization.k8s.io/v1beta1", "metadata": {"name": "r"}}',
      errors: [{ line: 1, column: 12, endLine: 1, endColumn: 76 }],
    },
    {
      name: 'second document of a multi-document file, and a List item',
      code:
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n' +
        'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: rbac.authorization.k8s.io/v1\n    kind: Role\n    metadata:\n      name: r\n    rules:\n      - apiGroups: [""]\n        resources: [secrets]\n        verbs: [watch]\n',
      errors: [{ line: 14, column: 9, endLine: 16, endColumn: 23 }],
    },
  ],
});

test('the message names the kind, the role, the rule and the verbs', () => {
  const [finding] = findingsOf(ID, {
    code: role(
      '  - apiGroups: [""]\n    resources: [pods]\n    verbs: [get]\n  - apiGroups: [""]\n    resources: [secrets]\n    verbs: ["*"]\n',
      'ClusterRole',
    ),
  });
  assert.ok(finding);
  assert.match(finding.message, /^ClusterRole reader rule 2 grants list and watch on secrets/);
});
