/**
 * "Mount the Secret as a volume": moves a container's Secret from its environment to a
 * read-only `secret` volume, editing only that container and the pod spec's `volumes`.
 */
import type { Container } from '../model';
import type { ParsedDocument } from '../parse';
import type { Fix, TextEdit } from '../types';
import {
  entryOf,
  isMap,
  isScalar,
  isSeq,
  itemsOf,
  stringAt,
  stringOf,
  valueAt,
} from '../yaml-nodes';
import type { YAMLMap, YAMLSeq } from '../yaml-nodes';
import {
  YamlEditError,
  appendEntry,
  appendItem,
  detectStyle,
  normalizeEdits,
  removeEntry,
  removeItem,
  replaceEntry,
  replaceScalar,
} from './yaml-edit';
import type { EditStyle, YamlValue } from './yaml-edit';
import { trimEnd } from '../trim';

/** A container's use of a Secret through its environment. */
export interface SecretEnvReference {
  /** `env` for `env[].valueFrom.secretKeyRef`, `envFrom` for `envFrom[].secretRef`. */
  field: 'env' | 'envFrom';
  /** The container's `env` or `envFrom` list. */
  list: YAMLSeq;
  /** The list item that holds the reference. */
  item: YAMLMap;
  secretName: string;
  /** `secretKeyRef.key` (env only). */
  key: string | undefined;
  /** The variable's name (env only). */
  variable: string | undefined;
  /** The reference tolerates a missing Secret (`optional: true`). */
  optional: boolean;
}

/** Every `secretKeyRef` env entry and `envFrom` `secretRef` of a container that names a Secret. */
export function secretEnvReferencesOf(container: Container): SecretEnvReference[] {
  const references: SecretEnvReference[] = [];
  const env = valueAt(container.node, 'env');
  if (isSeq(env)) {
    for (const item of env.items) {
      const ref = valueAt(item, 'valueFrom', 'secretKeyRef');
      const secretName = stringAt(ref, 'name');
      if (!isMap(item) || !isMap(ref) || !secretName) continue;
      references.push({
        field: 'env',
        list: env,
        item,
        secretName,
        key: stringAt(ref, 'key'),
        variable: stringAt(item, 'name'),
        optional: isTrue(valueAt(ref, 'optional')),
      });
    }
  }
  const envFrom = valueAt(container.node, 'envFrom');
  if (isSeq(envFrom)) {
    for (const item of envFrom.items) {
      const ref = valueAt(item, 'secretRef');
      const secretName = stringAt(ref, 'name');
      if (!isMap(item) || !isMap(ref) || !secretName) continue;
      references.push({
        field: 'envFrom',
        list: envFrom,
        item,
        secretName,
        key: undefined,
        variable: undefined,
        optional: isTrue(valueAt(ref, 'optional')),
      });
    }
  }
  return references;
}

/** Where the fix mounts a Secret when the container has no mount of its volume yet. */
export const SECRET_MOUNT_ROOT = '/etc/secrets';

/**
 * The quick fixes for one reference: "Mount the Secret as a volume" and, for a
 * `secretKeyRef` with a variable name and key, "... and set <NAME>_FILE".
 *
 * Both add (or reuse) a `secret` volume and a read-only mount in this container only; the
 * first removes the env entry (and the `env:`/`envFrom:` key with its last entry, rather than
 * leaving `env: []`), the second replaces it by `<NAME>_FILE` holding the file's path.
 *
 * No fix is offered when it could change more than the user asked for: the variable is used
 * as `$(NAME)` in the container's command, args, env values or `subPathExpr` (for `envFrom`:
 * any `$(NAME)` not set by an explicit env entry); an ephemeral container would need a new
 * volume (a running pod's volumes are immutable and ephemeral containers exist only on running
 * pods); `volumes`/`volumeMounts` exist but are not lists; or the layout defeats the editor.
 */
export function mountSecretFixes(
  document: ParsedDocument,
  podSpec: YAMLMap,
  container: Container,
  reference: SecretEnvReference,
): Fix[] {
  try {
    return buildFixes(document, podSpec, container, reference);
  } catch (error) {
    if (error instanceof YamlEditError) return [];
    throw error;
  }
}

function buildFixes(
  document: ParsedDocument,
  podSpec: YAMLMap,
  container: Container,
  reference: SecretEnvReference,
): Fix[] {
  const source = document.text;
  if (breaksVariableReferences(container.node, reference)) return [];
  const style = detectStyle(source, document.document.contents);
  const volume = planVolume(source, podSpec, reference, style, container.list);
  if (!volume) return [];
  const mount = planMount(source, container.node, volume.name, reference.secretName, style);
  if (!mount) return [];
  // Container edits before pod-spec edits: when both insert at one offset (the container is
  // the pod spec's last), the array order is the text order.
  const shared = [...mount.edits, ...volume.edits];
  const fixes: Fix[] = [];
  const removal = fix('Mount the Secret as a volume', [
    ...removeReference(source, container.node, reference),
    ...shared,
  ]);
  if (removal) fixes.push(removal);
  const { variable, key } = reference;
  const nameNode = entryOf(reference.item, 'name')?.value;
  const valueFrom = entryOf(reference.item, 'valueFrom');
  if (
    reference.field === 'env' &&
    variable &&
    key !== undefined &&
    isScalar(nameNode) &&
    valueFrom
  ) {
    const fileVariable = `${variable}_FILE`;
    const taken = itemsOf(reference.list).some((item) => stringAt(item, 'name') === fileVariable);
    if (!taken) {
      const path = `${trimEnd(mount.path, '/')}/${volume.fileFor(key)}`;
      // Edit the entry in place rather than rewrite it: comments on its lines survive.
      const setFile = fix(`Mount the Secret as a volume and set ${fileVariable}`, [
        ...replaceScalar(source, nameNode, fileVariable),
        ...replaceEntry(source, reference.item, valueFrom.pair, 'value', path, { style }),
        ...shared,
      ]);
      if (setFile) fixes.push(setFile);
    }
  }
  return fixes;
}

function fix(title: string, edits: TextEdit[]): Fix | undefined {
  const normalized = normalizeEdits(edits);
  return normalized ? { title, edits: normalized } : undefined;
}

function isTrue(node: unknown): boolean {
  return isScalar(node) && node.value === true;
}

/** Removes the entry, or the whole `env:`/`envFrom:` key when it is the last one. */
function removeReference(
  source: string,
  container: YAMLMap,
  reference: SecretEnvReference,
): TextEdit[] {
  if (reference.list.items.length > 1) return removeItem(source, reference.list, reference.item);
  const entry = entryOf(container, reference.field);
  if (!entry || entry.value !== reference.list) throw new YamlEditError('env list not found');
  return removeEntry(source, container, entry.pair);
}

/** `$(NAME)` references that the kubelet expands in a container; `$$` escapes a `$`. */
function referencedVariables(container: YAMLMap): Set<string> {
  const texts: string[] = [];
  for (const field of ['command', 'args']) {
    for (const item of itemsOf(valueAt(container, field))) texts.push(stringOf(item) ?? '');
  }
  for (const item of itemsOf(valueAt(container, 'env'))) texts.push(stringAt(item, 'value') ?? '');
  for (const item of itemsOf(valueAt(container, 'volumeMounts'))) {
    texts.push(stringAt(item, 'subPathExpr') ?? '');
  }
  const names = new Set<string>();
  for (const text of texts) {
    for (const match of text.replace(/\$\$/g, '').matchAll(/\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g)) {
      if (match[1] !== undefined) names.add(match[1]);
    }
  }
  return names;
}

function breaksVariableReferences(container: YAMLMap, reference: SecretEnvReference): boolean {
  const referenced = referencedVariables(container);
  if (reference.variable !== undefined) return referenced.has(reference.variable);
  // envFrom: any reference not set explicitly may come from the Secret.
  const explicit = new Set(
    itemsOf(valueAt(container, 'env')).map((item) => stringAt(item, 'name')),
  );
  return [...referenced].some((name) => !explicit.has(name));
}

interface VolumePlan {
  name: string;
  edits: TextEdit[];
  /** The file (relative to the mount) that holds a key of the Secret. */
  fileFor(key: string): string;
}

/**
 * Reuses a `secret` volume of the same Secret with the same `optional` (a volume that is not
 * optional would stop a pod that the optional reference let start, and the reverse would
 * hide a missing Secret), else adds one. A volume that projects only some keys (`items`) is
 * reused for a `secretKeyRef` (adding the key to `items` when missing), never for `envFrom`,
 * which needs every key.
 */
function planVolume(
  source: string,
  podSpec: YAMLMap,
  reference: SecretEnvReference,
  style: EditStyle,
  list: Container['list'],
): VolumePlan | undefined {
  const volumesEntry = entryOf(podSpec, 'volumes');
  const volumesNode = volumesEntry?.value;
  if (volumesEntry && !isSeq(volumesNode)) return undefined;
  const volumes = itemsOf(volumesNode).filter(isMap);
  // Ephemeral containers join a running pod, whose volumes cannot change.
  const canEditVolumes = list !== 'ephemeralContainers';
  for (const volume of volumes) {
    const reused = reuseVolume(source, volume, reference, style, canEditVolumes);
    if (reused) return reused;
  }
  if (!canEditVolumes) return undefined;
  const taken = new Set(volumes.map((volume) => stringAt(volume, 'name')));
  const name = uniqueName(dnsLabel(reference.secretName), taken);
  const secret: Record<string, YamlValue> = { secretName: reference.secretName };
  if (reference.optional) secret['optional'] = true;
  const volume = { name, secret };
  const edits = isSeq(volumesNode)
    ? appendItem(source, volumesNode, volume, { style })
    : appendEntry(source, podSpec, 'volumes', [volume], { style });
  return { name, edits, fileFor: (key) => key };
}

function reuseVolume(
  source: string,
  volume: YAMLMap,
  reference: SecretEnvReference,
  style: EditStyle,
  canEditVolumes: boolean,
): VolumePlan | undefined {
  const name = stringAt(volume, 'name');
  const secret = valueAt(volume, 'secret');
  if (!name || stringAt(secret, 'secretName') !== reference.secretName) return undefined;
  if (isTrue(valueAt(secret, 'optional')) !== reference.optional) return undefined;
  const itemsNode = valueAt(secret, 'items');
  if (itemsNode === undefined || (isScalar(itemsNode) && itemsNode.value === null)) {
    return { name, edits: [], fileFor: (key) => key };
  }
  const { key } = reference;
  if (!isSeq(itemsNode) || key === undefined) return undefined;
  const items = itemsNode.items.filter(isMap);
  const projected = items.find((item) => stringAt(item, 'key') === key);
  if (projected) {
    const path = stringAt(projected, 'path');
    return path ? { name, edits: [], fileFor: () => path } : undefined;
  }
  if (!canEditVolumes || items.some((item) => stringAt(item, 'path') === key)) return undefined;
  return {
    name,
    edits: appendItem(source, itemsNode, { key, path: key }, { style }),
    fileFor: () => key,
  };
}

interface MountPlan {
  path: string;
  edits: TextEdit[];
}

/** Reuses this container's whole-volume mount of the volume, else adds a read-only one. */
function planMount(
  source: string,
  container: YAMLMap,
  volumeName: string,
  secretName: string,
  style: EditStyle,
): MountPlan | undefined {
  const mountsEntry = entryOf(container, 'volumeMounts');
  const mountsNode = mountsEntry?.value;
  if (mountsEntry && !isSeq(mountsNode)) return undefined;
  const mounts = itemsOf(mountsNode).filter(isMap);
  for (const mount of mounts) {
    // A subPath mount shows one file or directory of the volume, not the whole Secret.
    if (stringAt(mount, 'name') !== volumeName) continue;
    if (stringAt(mount, 'subPath') || stringAt(mount, 'subPathExpr')) continue;
    const path = stringAt(mount, 'mountPath');
    if (path) return { path, edits: [] };
  }
  const taken = new Set(mounts.map((mount) => stringAt(mount, 'mountPath')));
  const path = uniqueName(`${SECRET_MOUNT_ROOT}/${secretName}`, taken, Infinity);
  const mount = { name: volumeName, mountPath: path, readOnly: true };
  const edits = isSeq(mountsNode)
    ? appendItem(source, mountsNode, mount, { style })
    : appendEntry(source, container, 'volumeMounts', [mount], { style });
  return { path, edits };
}

const DNS_LABEL_MAX = 63;

/** A volume name (RFC 1123 label) from a Secret name (a DNS subdomain, so it may hold dots). */
function dnsLabel(secretName: string): string {
  const label = secretName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, DNS_LABEL_MAX)
    .replace(/^-+|-+$/g, '');
  return label || 'secret';
}

/** `base`, or `base-2`, `base-3`, ... (cut to fit `maxLength`) when taken. */
function uniqueName(
  base: string,
  taken: ReadonlySet<string | undefined>,
  maxLength = DNS_LABEL_MAX,
): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, maxLength - suffix.length).replace(/-+$/, '') + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
