/**
 * RBAC roles as the API server's authorizer reads them.
 *
 * The matching functions mirror `pkg/apis/rbac/v1/evaluation_helpers.go` (VerbMatches,
 * APIGroupMatches, ResourceMatches, ResourceNameMatches) and `RuleAllows` in
 * `pkg/registry/rbac/validation/rule.go`, which combines them: a rule allows a request when
 * all four match. Comparisons are exact and case-sensitive (`Secrets` is not `secrets`), and
 * the only wildcard is a whole `*` item (plus `*\/subresource` in `resources`).
 */
import type { K8sObject } from './model';
import { entryOf, isMap, isScalar, itemsOf, valueOf } from './yaml-nodes';
import type { YAMLMap } from './yaml-nodes';

/** The RBAC API versions whose `PolicyRule` has the shape read here. */
const RBAC_API_VERSIONS: readonly string[] = [
  'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1',
];

/** A `Role` or `ClusterRole` of the RBAC API group (kind and apiVersion are case-sensitive). */
export function isRbacRole(object: K8sObject): boolean {
  return (
    (object.kind === 'Role' || object.kind === 'ClusterRole') &&
    RBAC_API_VERSIONS.includes(object.apiVersion)
  );
}

/** One item of a role's `rules`, with its string lists read as Kubernetes decodes them. */
export interface PolicyRule {
  /** The list item: findings about the rule point at it. */
  node: YAMLMap;
  /** 0-based position in `rules`. */
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

/**
 * The rules of a Role or ClusterRole, every one of them, in source order.
 *
 * A ClusterRole with an `aggregationRule` has none: the aggregation controller overwrites its
 * `rules` with the union of the ClusterRoles its selectors match, so what the manifest lists
 * is never what the role grants.
 */
export function policyRulesOf(role: K8sObject): PolicyRule[] {
  if (role.kind === 'ClusterRole' && valueOf(role.root, 'aggregationRule') !== undefined) {
    return [];
  }
  const rules: PolicyRule[] = [];
  itemsOf(valueOf(role.root, 'rules')).forEach((item, index) => {
    if (!isMap(item)) return;
    rules.push({
      node: item,
      index,
      apiGroups: stringListAt(item, 'apiGroups'),
      resources: stringListAt(item, 'resources'),
      verbs: stringListAt(item, 'verbs'),
      resourceNames: stringListAt(item, 'resourceNames'),
    });
  });
  return rules;
}

/**
 * The strings of a `[]string` field. A null item (`- ` or `~`) is the empty string, as Go's
 * JSON decoder leaves a string untouched for `null`; other non-string items cannot match
 * anything and are left out (Kubernetes rejects the object).
 */
function stringListAt(map: YAMLMap, key: string): string[] {
  const value = entryOf(map, key)?.value;
  const strings: string[] = [];
  for (const item of itemsOf(value)) {
    if (!isScalar(item)) continue;
    if (typeof item.value === 'string') strings.push(item.value);
    else if (item.value === null) strings.push('');
  }
  return strings;
}

/** `VerbMatches`: the rule lists `*` or exactly this verb. */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((ruleVerb) => ruleVerb === '*' || ruleVerb === verb);
}

/** `APIGroupMatches`: the rule lists `*` or exactly this group (`""` is the core group). */
export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some((ruleGroup) => ruleGroup === '*' || ruleGroup === group);
}

/**
 * `ResourceMatches`: the rule lists `*`, exactly `resource` (or `resource/subresource` for a
 * subresource request), or `*\/subresource` for a subresource request. A subresource never
 * grants its parent (`secrets/status` does not match `secrets`), and `*\/*` matches only
 * subresource requests.
 */
export function resourceMatches(rule: PolicyRule, resource: string, subresource = ''): boolean {
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  return rule.resources.some(
    (ruleResource) =>
      ruleResource === '*' ||
      ruleResource === combined ||
      (subresource !== '' &&
        ruleResource.length === subresource.length + 2 &&
        ruleResource.startsWith('*/') &&
        ruleResource.endsWith(subresource)),
  );
}

/**
 * `ResourceNameMatches`: an empty `resourceNames` allows every name; otherwise the requested
 * name must be listed exactly (`*` is not a wildcard here). A list or watch request carries
 * the name of its `metadata.name` field selector, or the empty string without one.
 */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
}

/** A resource request, as the authorizer sees it. */
export interface ResourceRequest {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  /** The object's name; empty for a list or watch without a `metadata.name` field selector. */
  name: string;
}

/** `RuleAllows` for a resource request: verb, group, resource and name all match. */
export function ruleAllows(rule: PolicyRule, request: ResourceRequest): boolean {
  return (
    verbMatches(rule, request.verb) &&
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, request.resource, request.subresource) &&
    resourceNameMatches(rule, request.name)
  );
}

/**
 * True when the rule lets `verb` through on core-group `secrets` whatever the Secret's name.
 * A list or watch without a field selector carries no name: it passes when `resourceNames` is
 * empty (or lists the empty name) and returns every Secret in scope. Any other verb names one
 * Secret, so only an empty `resourceNames` lets every name through.
 */
export function grantsOnEverySecret(rule: PolicyRule, verb: string): boolean {
  const request: ResourceRequest = { verb, apiGroup: '', resource: 'secrets', name: '' };
  if (!ruleAllows(rule, request)) return false;
  return verb === 'list' || verb === 'watch' || rule.resourceNames.length === 0;
}
