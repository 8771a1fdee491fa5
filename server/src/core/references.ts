/**
 * Where pod specs name Secrets and their keys, and what a name or key at an offset refers to
 * (for go-to-definition). Reads every container, init container and ephemeral container of
 * every workload kind that {@link podSpecOf} knows.
 */
import { containersOf, objectsOf, podSpecOf } from './model';
import { parseFile } from './parse';
import type { FileSpan, SecretLookup } from './secret-index';
import { isMap, isScalar, itemsOf, stringOf, valueAt } from './yaml-nodes';
import type { Scalar, YAMLMap } from './yaml-nodes';

/** How a pod spec takes a Secret. */
export type SecretUseKind = 'secretKeyRef' | 'secretRef' | 'volume' | 'projected';

/** A key of a Secret that a pod spec names: `secretKeyRef.key` or a volume's `items[].key`. */
export interface SecretKeyUse {
  key: string;
  node: Scalar;
}

/** One place where a pod spec names a Secret. */
export interface SecretUse {
  kind: SecretUseKind;
  /** The Secret's name, when written as a string. */
  name: string | undefined;
  nameNode: Scalar | undefined;
  keys: SecretKeyUse[];
  /** `optional: true`: Kubernetes tolerates a missing Secret or key. */
  optional: boolean;
}

/**
 * Every use of a Secret in a pod spec: `env[].valueFrom.secretKeyRef` (name and key),
 * `envFrom[].secretRef` (name), `volumes[].secret` (`secretName`, `items[].key`) and
 * `volumes[].projected.sources[].secret` (`name`, `items[].key`).
 */
export function secretUsesOf(podSpec: YAMLMap): SecretUse[] {
  const uses: SecretUse[] = [];
  const add = (kind: SecretUseKind, ref: unknown, nameKey: string, keys: SecretKeyUse[]): void => {
    if (!isMap(ref)) return;
    const nameNode = valueAt(ref, nameKey);
    uses.push({
      kind,
      name: stringOf(nameNode),
      nameNode: isScalar(nameNode) ? nameNode : undefined,
      keys,
      optional: isTrue(valueAt(ref, 'optional')),
    });
  };
  for (const container of containersOf(podSpec)) {
    for (const item of itemsOf(valueAt(container.node, 'env'))) {
      const ref = valueAt(item, 'valueFrom', 'secretKeyRef');
      add('secretKeyRef', ref, 'name', keyUse(valueAt(ref, 'key')));
    }
    for (const item of itemsOf(valueAt(container.node, 'envFrom'))) {
      add('secretRef', valueAt(item, 'secretRef'), 'name', []);
    }
  }
  for (const volume of itemsOf(valueAt(podSpec, 'volumes'))) {
    const secret = valueAt(volume, 'secret');
    add('volume', secret, 'secretName', itemKeys(secret));
    for (const source of itemsOf(valueAt(volume, 'projected', 'sources'))) {
      const projected = valueAt(source, 'secret');
      add('projected', projected, 'name', itemKeys(projected));
    }
  }
  return uses;
}

function keyUse(node: unknown): SecretKeyUse[] {
  const key = stringOf(node);
  return key !== undefined && isScalar(node) ? [{ key, node }] : [];
}

function itemKeys(volumeSource: unknown): SecretKeyUse[] {
  return itemsOf(valueAt(volumeSource, 'items')).flatMap((item) => keyUse(valueAt(item, 'key')));
}

/** YAML 1.1 `true` (also `yes`, `on`), as Kubernetes reads a boolean. */
function isTrue(node: unknown): boolean {
  return isScalar(node) && node.value === true;
}

/** A Secret name or key under the cursor; offsets are the file's. */
export interface SecretTarget {
  name: string;
  /** Set when the cursor is on a key (`secretKeyRef.key`, `items[].key`). */
  key: string | undefined;
  /** The workload's namespace. */
  namespace: string | undefined;
  start: number;
  end: number;
}

/** The Secret name or key that the scalar at `offset` of a file's text names, if any. */
export function secretTargetAt(text: string, offset: number): SecretTarget | undefined {
  for (const document of parseFile(text)) {
    if (!document.ok || offset < document.offset || offset > document.offset + document.text.length)
      continue;
    const local = offset - document.offset;
    const covers = (node: Scalar | undefined): node is Scalar => {
      const range = node?.range;
      return range != null && range[0] <= local && local <= range[1];
    };
    for (const object of objectsOf(document)) {
      const podSpec = podSpecOf(object);
      if (!podSpec) continue;
      for (const use of secretUsesOf(podSpec)) {
        if (use.name === undefined) continue;
        const at = (node: Scalar, key: string | undefined): SecretTarget => ({
          name: use.name ?? '',
          key,
          namespace: object.namespace,
          start: document.offset + (node.range?.[0] ?? 0),
          end: document.offset + (node.range?.[1] ?? 0),
        });
        if (covers(use.nameNode)) return at(use.nameNode, undefined);
        const key = use.keys.find((candidate) => covers(candidate.node));
        if (key) return at(key.node, key.key);
      }
    }
  }
  return undefined;
}

/** A place that defines a Secret or one of its keys. */
export interface SecretDefinition {
  path: string | undefined;
  span: FileSpan;
}

/**
 * Where the Secret name or key at `offset` is defined: every matching key of every Secret of
 * that name and namespace; for a key that none of them has, and for a name, the Secrets'
 * `metadata.name` values.
 */
export function secretDefinitionsAt(
  text: string,
  offset: number,
  secrets: SecretLookup,
): SecretDefinition[] {
  const target = secretTargetAt(text, offset);
  if (!target) return [];
  const found = secrets.lookup(target.name, target.namespace);
  if (target.key !== undefined) {
    const keys = found.flatMap((secret) =>
      secret.keys
        .filter((key) => key.key === target.key)
        .map((key) => ({ path: secret.path, span: key.span })),
    );
    if (keys.length > 0) return keys;
  }
  return found.map((secret) => ({ path: secret.path, span: secret.nameSpan }));
}
