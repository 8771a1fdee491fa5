import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'rbac-secret-get';

const role = (rules: string, kind = 'Role'): string =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: reader\nrules:\n${rules}`;

ruleTester(ID, {
  valid: [
    {
      name: 'get narrowed by resourceNames',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    resourceNames: [app-tls, db]\n    verbs: [get]\n',
      ),
    },
    {
      name: 'resourceNames listing the empty name still names Secrets for get',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    resourceNames: [""]\n    verbs: [get]\n',
      ),
    },
    {
      name: 'get and list: already reported by rbac-secret-list',
      code: role('  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get, list]\n'),
    },
    {
      name: 'the * verb: already reported by rbac-secret-list',
      code: role('  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n'),
    },
    {
      name: 'get on other resources, or a subresource',
      code: role(
        '  - apiGroups: [""]\n    resources: [configmaps, secrets/status, "*/*"]\n    verbs: [get]\n',
      ),
    },
    {
      name: 'Get and Secrets are other names',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [Get]\n  - apiGroups: [""]\n    resources: [Secrets]\n    verbs: [get]\n',
      ),
    },
    {
      name: 'an aggregated ClusterRole',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get]\naggregationRule:\n  clusterRoleSelectors: []\n',
        'ClusterRole',
      ),
    },
  ],
  invalid: [
    {
      name: 'get on every Secret',
      code: role('  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get]\n'),
      errors: [{ line: 6, column: 5, endLine: 8, endColumn: 17, severity: 'info' }],
    },
    {
      name: "checkov's bug: only the second rule grants it",
      code: role(
        '  - apiGroups: [""]\n    resources: [pods]\n    verbs: [get]\n' +
          '  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: [get, update]\n',
        'ClusterRole',
      ),
      errors: [{ line: 9, column: 5, endLine: 11, endColumn: 25 }],
    },
    {
      name: 'JSON manifest, kind last',
      code: '{"rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}], "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role"}',
      errors: [{ line: 1, column: 12, endLine: 1, endColumn: 75 }],
    },
    {
      name: 'an empty resourceNames restricts nothing',
      code: role(
        '  - apiGroups: [""]\n    resources: [secrets]\n    resourceNames: []\n    verbs: [get]\n',
      ),
      errors: [{ line: 6, column: 5, endLine: 9, endColumn: 17 }],
    },
  ],
});

test('one rule granting get and list is reported once, by rbac-secret-list', () => {
  const code = role('  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get, watch]\n');
  assert.equal(findingsOf(ID, { code }).length, 0);
  assert.equal(findingsOf('rbac-secret-list', { code }).length, 1);
});

test('the message names the role and the rule', () => {
  const [finding] = findingsOf(ID, {
    code: role('  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get]\n'),
  });
  assert.ok(finding);
  assert.match(finding.message, /^Role reader rule 1 grants get on every Secret/);
});
