/** What a Kubernetes object is to us: its identity, and where Secrets are used inside it. */
import type { ParsedDocument } from './parse';
import { entriesOf, entryOf, isMap, itemsOf, stringAt, valueAt } from './yaml-nodes';
import type { Node, YAMLMap } from './yaml-nodes';

/** A mapping with a string `kind`: a Kubernetes object (or an item of a `List`). */
export interface K8sObject {
  root: YAMLMap;
  kind: string;
  apiVersion: string;
  name: string | undefined;
  namespace: string | undefined;
}

/** The Kubernetes objects of a document: its root, or the items of a `kind: List`. */
export function objectsOf(document: ParsedDocument): K8sObject[] {
  const root = document.document.contents;
  const object = asObject(root);
  if (!object) return [];
  if (object.kind === 'List' || object.kind.endsWith('List')) {
    const items = itemsOf(valueAt(object.root, 'items'))
      .map(asObject)
      .filter((item): item is K8sObject => item !== undefined);
    if (items.length > 0 || entryOf(object.root, 'items')) return items;
  }
  return [object];
}

function asObject(node: unknown): K8sObject | undefined {
  if (!isMap(node)) return undefined;
  const kind = stringAt(node, 'kind');
  if (kind === undefined) return undefined;
  return {
    root: node,
    kind,
    apiVersion: stringAt(node, 'apiVersion') ?? '',
    name: stringAt(node, 'metadata', 'name'),
    namespace: stringAt(node, 'metadata', 'namespace'),
  };
}

/** A core/v1 Secret (kind and apiVersion are case-sensitive, as in the API server). */
export function isSecret(object: K8sObject): boolean {
  return object.kind === 'Secret' && object.apiVersion === 'v1';
}

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  // OpenShift's (apps.openshift.io/v1): a pod template as a Deployment's.
  DeploymentConfig: ['spec', 'template', 'spec'],
};

/** The kinds whose pod spec we read. */
export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** The pod spec of a workload object, or undefined for other kinds. */
export function podSpecOf(object: K8sObject): YAMLMap | undefined {
  const path = POD_SPEC_PATHS[object.kind];
  if (!path) return undefined;
  const spec = valueAt(object.root, ...path);
  return isMap(spec) ? spec : undefined;
}

export type ContainerListName = 'containers' | 'initContainers' | 'ephemeralContainers';
const CONTAINER_LISTS: readonly ContainerListName[] = [
  'containers',
  'initContainers',
  'ephemeralContainers',
];

/** A container of a pod spec. */
export interface Container {
  node: YAMLMap;
  list: ContainerListName;
  name: string | undefined;
}

/** Every container, init container and ephemeral container of a pod spec. */
export function containersOf(podSpec: YAMLMap): Container[] {
  const containers: Container[] = [];
  for (const list of CONTAINER_LISTS) {
    for (const item of itemsOf(valueAt(podSpec, list))) {
      if (isMap(item)) containers.push({ node: item, list, name: stringAt(item, 'name') });
    }
  }
  return containers;
}

/** The values of a Secret, in `data` (base64) or `stringData` (plain text). */
export interface SecretValue {
  field: 'data' | 'stringData';
  key: string;
  keyNode: Node;
  value: Node | null;
}

/** The entries of a Secret's `data` and `stringData`, in source order. */
export function secretValuesOf(secret: K8sObject): SecretValue[] {
  const values: SecretValue[] = [];
  for (const field of ['data', 'stringData'] as const) {
    for (const entry of entriesOf(valueAt(secret.root, field))) {
      values.push({ field, key: entry.key, keyNode: entry.keyNode, value: entry.value });
    }
  }
  return values;
}
