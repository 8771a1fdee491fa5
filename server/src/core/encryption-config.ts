/**
 * The API server's encryption-at-rest configuration (`--encryption-provider-config`), read as
 * `k8s.io/apiserver/pkg/server/options/encryptionconfig` reads it.
 *
 * - The file is an `EncryptionConfiguration` of `apiserver.config.k8s.io/v1`, the only version
 *   that registers the kind (there is no v1beta1), or the legacy `EncryptionConfig` of `v1`
 *   that the same scheme still accepts.
 * - Each `resources[]` entry lists resources (`resource` or `resource.group`, parsed by
 *   `schema.ParseGroupResource`: split at the first dot) and an ordered list of providers.
 *   The first provider encrypts every write; all of them are tried to read.
 * - A resource takes the providers of the first entry that names it: an exact name is looked
 *   up before `*.<group>` and `*.*`, and an entry naming a resource after a wildcard entry
 *   that covers it is refused ("masked by earlier rule"), so in a configuration the API server
 *   accepts the first covering entry in order is the one that applies.
 * - A provider item holds exactly one of `identity`, `aescbc`, `aesgcm`, `secretbox`, `kms`;
 *   `kms.apiVersion` defaults to `v1`.
 */
import type { K8sObject } from './model';
import {
  entriesOf,
  entryOf,
  isMap,
  isScalar,
  isSeq,
  itemsOf,
  stringAt,
  valueOf,
} from './yaml-nodes';
import type { Entry, Node, YAMLMap, YAMLSeq } from './yaml-nodes';

/** True for an `EncryptionConfiguration` (or its legacy `v1` `EncryptionConfig` alias). */
export function isEncryptionConfiguration(object: K8sObject): boolean {
  return (
    (object.kind === 'EncryptionConfiguration' &&
      object.apiVersion === 'apiserver.config.k8s.io/v1') ||
    (object.kind === 'EncryptionConfig' && object.apiVersion === 'v1')
  );
}

export type ProviderType = 'identity' | 'aescbc' | 'aesgcm' | 'secretbox' | 'kms';
const PROVIDER_TYPES: readonly ProviderType[] = [
  'identity',
  'aescbc',
  'aesgcm',
  'secretbox',
  'kms',
];

/** A key of an `aescbc`, `aesgcm` or `secretbox` provider. */
export interface ProviderKey {
  name: string | undefined;
  /** The `secret:` entry; its value is the base64 key. */
  secret: Entry | undefined;
}

/** One item of an entry's `providers`. */
export interface Provider {
  /** The list item. */
  node: Node;
  /** Undefined when the item holds none or several of the known providers (rejected). */
  type: ProviderType | undefined;
  /** `kms.apiVersion`, defaulted to `v1` as the API server does; undefined for other types. */
  kmsApiVersion: string | undefined;
  /** Keys of `aescbc`, `aesgcm` and `secretbox` providers. */
  keys: ProviderKey[];
}

/** One item of the top-level `resources`. */
export interface ResourceConfig {
  node: YAMLMap;
  /** The names in its `resources` list that are strings. */
  resources: string[];
  /** The `providers` sequence, when it is one. */
  providersNode: YAMLSeq | undefined;
  providers: Provider[];
}

/** An EncryptionConfiguration read into its entries. */
export interface EncryptionConfig {
  object: K8sObject;
  /** The top-level `resources` entry, if present. */
  resourcesEntry: Entry | undefined;
  entries: ResourceConfig[];
}

/** Reads an EncryptionConfiguration object. */
export function encryptionConfigOf(object: K8sObject): EncryptionConfig {
  const resourcesEntry = entryOf(object.root, 'resources');
  const entries: ResourceConfig[] = [];
  for (const item of itemsOf(resourcesEntry?.value)) {
    if (!isMap(item)) continue;
    const providersValue = valueOf(item, 'providers');
    entries.push({
      node: item,
      resources: itemsOf(valueOf(item, 'resources'))
        .map((name) => (isScalar(name) && typeof name.value === 'string' ? name.value : undefined))
        .filter((name): name is string => name !== undefined),
      providersNode: isSeq(providersValue) ? providersValue : undefined,
      providers: itemsOf(providersValue).map(providerOf),
    });
  }
  return { object, resourcesEntry, entries };
}

function providerOf(node: Node): Provider {
  // A provider key with a null value decodes to a nil pointer: that provider is not set.
  const present = entriesOf(node).filter(
    (entry): entry is Entry & { key: ProviderType } =>
      (PROVIDER_TYPES as readonly string[]).includes(entry.key) && !isNull(entry.value),
  );
  const types = new Set(present.map((entry) => entry.key));
  const only = types.size === 1 ? present[present.length - 1] : undefined;
  const type = only?.key;
  const config = only?.value;
  let kmsApiVersion: string | undefined;
  if (type === 'kms') {
    // SetDefaults_KMSConfiguration: an unset or empty apiVersion is v1.
    const apiVersion = valueOf(config, 'apiVersion');
    const unset = isNull(apiVersion ?? null) || stringAt(config, 'apiVersion') === '';
    kmsApiVersion = unset ? 'v1' : stringAt(config, 'apiVersion');
  }
  const keys: ProviderKey[] =
    type === 'aescbc' || type === 'aesgcm' || type === 'secretbox'
      ? itemsOf(valueOf(config, 'keys'))
          .filter(isMap)
          .map((key) => ({ name: stringAt(key, 'name'), secret: entryOf(key, 'secret') }))
      : [];
  return { node, type, kmsApiVersion, keys };
}

/** A missing value, or an explicit null (`key:`, `~`, `null`). */
function isNull(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** `schema.ParseGroupResource`: `resource.group`, split at the first dot. */
export function parseGroupResource(text: string): { group: string; resource: string } {
  const dot = text.indexOf('.');
  return dot === -1
    ? { group: '', resource: text }
    : { group: text.slice(dot + 1), resource: text.slice(0, dot) };
}

/**
 * True when a name in an entry's `resources` applies to core-group Secrets: `secrets` (or
 * `secrets.`, the same group-resource), `*.` (every core resource) or `*.*` (everything).
 * A bare `*` is refused by the API server's validation and `Secrets` is another resource.
 */
export function coversSecrets(name: string): boolean {
  if (name === '*') return false;
  const { group, resource } = parseGroupResource(name);
  if (group === '*') return resource === '*';
  return group === '' && (resource === 'secrets' || resource === '*');
}

/** The entry whose providers apply to Secrets: the first one covering them, in order. */
export function secretsEntryOf(config: EncryptionConfig): ResourceConfig | undefined {
  return config.entries.find((entry) => entry.resources.some(coversSecrets));
}
