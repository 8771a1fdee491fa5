/**
 * "Move to an external store", the Kubernetes docs' advice for keeping secret values out of
 * the cluster's manifests, as refactors:
 *
 * - on a Secret: a `SecretProviderClass` skeleton for the Secrets Store CSI driver (one per
 *   provider: vault, azure, gcp, aws; one object entry per key), or an `ExternalSecret`
 *   skeleton for the External Secrets Operator (which creates a Secret of the same name);
 * - on a `secret` volume of a pod spec: the same `SecretProviderClass`, and the volume
 *   replaced by a `csi` volume (`driver: secrets-store.csi.k8s.io`, `readOnly: true`,
 *   `volumeAttributes.secretProviderClass`), each key mounted under its file name as before;
 * - on a `secretKeyRef`/`secretRef`: an `ExternalSecret` for that Secret, so that env vars keep
 *   reading a Secret of the same name, now filled from the store.
 *
 * The generated objects name keys, never values; they go in a new `---` document after the
 * object they are for, and the refactor's message tells the user that the values must now be
 * put in the store (and the Secret manifest then removed). Nothing is removed here: the values
 * are still needed to fill the store. Not offered in JSON documents (one object per file).
 */
import { containersOf, isSecret, objectsOf, podSpecOf, secretValuesOf } from '../model';
import type { K8sObject } from '../model';
import { parseFile } from '../parse';
import type { ParsedDocument } from '../parse';
import { isTemplated } from '../placeholders';
import { secretLookupForFile } from '../secret-index';
import type { SecretLookup } from '../secret-index';
import { YamlEditError, detectStyle, lineEnding, replaceEntry } from '../fixes/yaml-edit';
import type { TextEdit } from '../types';
import { entryOf, isMap, isSeq, itemsOf, stringOf, valueAt } from '../yaml-nodes';
import type { YAMLMap } from '../yaml-nodes';
import type { Refactor } from './secret-conversions';
import { trimRuns } from '../trim';

export type CsiProvider = 'vault' | 'azure' | 'gcp' | 'aws';
export const CSI_PROVIDERS: readonly CsiProvider[] = ['vault', 'azure', 'gcp', 'aws'];

const PROVIDER_NAMES: Readonly<Record<CsiProvider, string>> = {
  vault: 'HashiCorp Vault',
  azure: 'Azure Key Vault',
  gcp: 'Google Secret Manager',
  aws: 'AWS Secrets Manager',
};

export interface ExternalStoreContext {
  /** The workspace's Secrets, to learn the keys of a Secret defined in another file. */
  secrets?: SecretLookup;
  path?: string;
}

/** A key of the Secret and the file it is mounted as. */
interface MountedKey {
  key: string;
  file: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** A YAML double-quoted string (valid JSON too): keys and names may hold any character. */
function quoted(text: string): string {
  return JSON.stringify(text);
}

/** Azure Key Vault object names allow letters, digits and `-` only. */
function azureObjectName(key: string): string {
  const name = trimRuns(key.replace(/[^0-9A-Za-z-]/g, '-'), '-');
  return name === '' ? 'secret' : name;
}

/** The `parameters` of a SecretProviderClass, one object per key, as YAML lines (2-space). */
function providerParameters(
  provider: CsiProvider,
  secretName: string,
  keys: readonly MountedKey[],
): string[] {
  const objects: string[] = [];
  switch (provider) {
    case 'vault':
      for (const { key, file } of keys) {
        objects.push(
          `  - objectName: ${quoted(file)}`,
          `    secretPath: ${quoted(`secret/data/${secretName}`)}`,
          `    secretKey: ${quoted(key)}`,
        );
      }
      return [
        '    vaultAddress: "https://vault.example.com:8200" # TODO: your Vault',
        '    roleName: "TODO-vault-role" # TODO: a Kubernetes auth role allowed to read the path',
        '    objects: |',
        ...objects.map((line) => `    ${line}`),
      ];
    case 'azure':
      for (const { key, file } of keys) {
        objects.push(
          '  - |',
          `    objectName: ${azureObjectName(`${secretName}-${key}`)}`,
          '    objectType: secret',
          `    objectAlias: ${quoted(file)}`,
        );
      }
      return [
        '    keyvaultName: "TODO-key-vault-name" # TODO: your Key Vault',
        '    tenantId: "TODO-tenant-id" # TODO: the Key Vault\'s tenant',
        '    objects: |',
        '      array:',
        ...objects.map((line) => `    ${line}`),
      ];
    case 'gcp':
      for (const { key, file } of keys) {
        objects.push(
          `  - resourceName: ${quoted(`projects/TODO-project-id/secrets/${secretName}-${key.replace(/[^A-Za-z0-9_-]/g, '-')}/versions/latest`)}`,
          `    fileName: ${quoted(file)}`,
        );
      }
      return ['    secrets: |', ...objects.map((line) => `    ${line}`)];
    case 'aws':
      for (const { key, file } of keys) {
        objects.push(
          `  - objectName: ${quoted(`${secretName}/${key}`)}`,
          '    objectType: "secretsmanager"',
          `    objectAlias: ${quoted(file)}`,
        );
      }
      return ['    objects: |', ...objects.map((line) => `    ${line}`)];
  }
}

/** Where the values go, for the message. */
function storeLocation(provider: CsiProvider, secretName: string): string {
  switch (provider) {
    case 'vault':
      return `in Vault at secret/data/${secretName}`;
    case 'azure':
      return `in your Azure Key Vault as secrets named ${azureObjectName(`${secretName}-<key>`)}`;
    case 'gcp':
      return `in Google Secret Manager as secrets ${secretName}-<key>`;
    case 'aws':
      return `in AWS Secrets Manager as secrets ${secretName}/<key>`;
  }
}

function secretProviderClassLines(
  name: string,
  namespace: string | undefined,
  provider: CsiProvider,
  secretName: string,
  keys: readonly MountedKey[],
): string[] {
  return [
    '# Values are not here: they live in the external store (see the TODOs).',
    'apiVersion: secrets-store.csi.x-k8s.io/v1',
    'kind: SecretProviderClass',
    'metadata:',
    `  name: ${name}`,
    ...(namespace !== undefined ? [`  namespace: ${quoted(namespace)}`] : []),
    'spec:',
    `  provider: ${provider}`,
    '  parameters:',
    ...providerParameters(provider, secretName, keys),
  ];
}

function externalSecretLines(
  secretName: string,
  namespace: string | undefined,
  keys: readonly string[],
): string[] {
  return [
    '# Values are not here: the External Secrets Operator reads them from the store.',
    'apiVersion: external-secrets.io/v1',
    'kind: ExternalSecret',
    'metadata:',
    `  name: ${secretName}`,
    ...(namespace !== undefined ? [`  namespace: ${quoted(namespace)}`] : []),
    'spec:',
    '  refreshInterval: 1h',
    '  secretStoreRef:',
    '    kind: SecretStore',
    '    name: TODO-secret-store # TODO: the SecretStore (or ClusterSecretStore) of your provider',
    '  target:',
    `    name: ${secretName}`,
    '    creationPolicy: Owner',
    '  data:',
    ...keys.flatMap((key) => [
      `    - secretKey: ${quoted(key)}`,
      '      remoteRef:',
      `        key: ${quoted(secretName)} # TODO: where the value lives in the store`,
      `        property: ${quoted(key)}`,
    ]),
  ];
}

/**
 * A new `---` document after `document`, in the file's line ending. It is a document of its
 * own, written with 2-space indentation whatever the file uses (its nested `objects` YAML
 * depends on exact offsets).
 */
function newDocumentAfter(
  text: string,
  document: ParsedDocument,
  lines: readonly string[],
): TextEdit | undefined {
  const eol = lineEnding(text);
  const at = document.offset + document.text.length;
  const needsBreak = at > 0 && text[at - 1] !== '\n';
  const newText = `${needsBreak ? eol : ''}---${eol}${lines.join(eol)}${eol}`;
  // Read it back: the new document must parse, and the others stay as they were.
  const before = parseFile(text);
  const after = parseFile(text.slice(0, at) + newText + text.slice(at));
  const broken = (documents: readonly ParsedDocument[]): number =>
    documents.filter((parsed) => !parsed.ok).length;
  if (after.length !== before.length + 1 || broken(after) > broken(before)) return undefined;
  return { start: at, end: at, newText };
}

function objectExists(text: string, kind: string, name: string): boolean {
  return parseFile(text).some((document) =>
    document.ok
      ? objectsOf(document).some((object) => object.kind === kind && object.name === name)
      : false,
  );
}

/** The keys of a Secret defined in this file or the workspace (undefined when unknown). */
function keysOfSecret(
  text: string,
  name: string,
  namespace: string | undefined,
  context: ExternalStoreContext,
): string[] | undefined {
  const lookup = secretLookupForFile(context.secrets, context.path, text, parseFile(text)).lookup;
  const found = lookup.lookup(name, namespace);
  if (found.length === 0 || found.some((secret) => secret.openKeys)) return undefined;
  return [...new Set(found.flatMap((secret) => secret.keys.map((key) => key.key)))];
}

function validName(name: string | undefined): name is string {
  return name !== undefined && !isTemplated(name) && DNS_SUBDOMAIN.test(name) && name.length <= 240;
}

/** Refactors on a Secret: a SecretProviderClass per provider, and an ExternalSecret. */
function secretRefactors(text: string, document: ParsedDocument, secret: K8sObject): Refactor[] {
  const name = secret.name;
  if (!validName(name) || secret.root !== document.document.contents) return [];
  const keys = [...new Set(secretValuesOf(secret).map((entry) => entry.key))];
  if (keys.length === 0) return [];
  const list = keys.join(', ');
  const refactors: Refactor[] = [];
  for (const provider of CSI_PROVIDERS) {
    const spcName = `${name}-${provider}`;
    if (objectExists(text, 'SecretProviderClass', spcName)) continue;
    const lines = secretProviderClassLines(
      spcName,
      secret.namespace,
      provider,
      name,
      keys.map((key) => ({ key, file: key })),
    );
    refactors.push({
      title: `Move to an external store: SecretProviderClass for ${PROVIDER_NAMES[provider]} (Secrets Store CSI driver)`,
      kind: 'refactor.extract',
      edits: () => {
        const edit = newDocumentAfter(text, document, lines);
        return edit ? [edit] : undefined;
      },
      message: `Added SecretProviderClass ${spcName} (${provider}) with one object per key: ${list}. The values are not in it: put them ${storeLocation(provider, name)}, fill in the TODOs, mount it in your pods with a csi volume (driver secrets-store.csi.k8s.io, volumeAttributes.secretProviderClass: ${spcName}), then delete Secret ${name} from this repository.`,
    });
  }
  if (!objectExists(text, 'ExternalSecret', name)) {
    const lines = externalSecretLines(name, secret.namespace, keys);
    refactors.push({
      title: 'Move to an external store: ExternalSecret (External Secrets Operator)',
      kind: 'refactor.extract',
      edits: () => {
        const edit = newDocumentAfter(text, document, lines);
        return edit ? [edit] : undefined;
      },
      message: `Added ExternalSecret ${name}, which creates Secret ${name} with the keys ${list} from your store. The values are not in it: put them in the store, set secretStoreRef and the remote keys (the TODOs), then delete the Secret ${name} manifest from this repository (the operator now owns it).`,
    });
  }
  return refactors;
}

function overlaps(
  range: readonly number[] | null | undefined,
  start: number,
  end: number,
): boolean {
  return range != null && (range[0] ?? 0) <= end && start <= (range[1] ?? 0);
}

/** Refactors on a `secret` volume: a csi volume and a SecretProviderClass per provider. */
function volumeRefactors(
  text: string,
  document: ParsedDocument,
  object: K8sObject,
  volume: YAMLMap,
  context: ExternalStoreContext,
): Refactor[] {
  const secretEntry = entryOf(volume, 'secret');
  const secret = secretEntry?.value;
  const volumeName = stringOf(valueAt(volume, 'name'));
  const secretName = stringOf(valueAt(secret, 'secretName'));
  if (!secretEntry || !isMap(secret) || !validName(secretName) || volumeName === undefined)
    return [];
  // Keys as the pod sees them: the volume's items (key -> path), else every key of the Secret.
  const items = itemsOf(valueAt(secret, 'items'));
  let keys: MountedKey[];
  if (items.length > 0) {
    keys = items.flatMap((item) => {
      const key = stringOf(valueAt(item, 'key'));
      const path = stringOf(valueAt(item, 'path'));
      return key !== undefined ? [{ key, file: path ?? key }] : [];
    });
  } else {
    const known = keysOfSecret(text, secretName, object.namespace, context);
    if (!known || known.length === 0) return [];
    keys = known.map((key) => ({ key, file: key }));
  }
  if (keys.length === 0) return [];
  const list = keys.map((key) => key.key).join(', ');
  const refactors: Refactor[] = [];
  for (const provider of CSI_PROVIDERS) {
    const spcName = `${secretName}-${provider}`;
    const exists = objectExists(text, 'SecretProviderClass', spcName);
    const lines = secretProviderClassLines(spcName, object.namespace, provider, secretName, keys);
    refactors.push({
      title: `Move to an external store: mount ${secretName} through the Secrets Store CSI driver (${PROVIDER_NAMES[provider]})`,
      kind: 'refactor.extract',
      edits: () => {
        let edits: TextEdit[];
        try {
          edits = replaceEntry(document.text, volume, secretEntry.pair, 'csi', {
            driver: 'secrets-store.csi.k8s.io',
            readOnly: true,
            volumeAttributes: { secretProviderClass: spcName },
          }).map((edit) => ({
            ...edit,
            start: edit.start + document.offset,
            end: edit.end + document.offset,
          }));
        } catch (error) {
          if (error instanceof YamlEditError) return undefined;
          throw error;
        }
        if (exists) return edits; // the class is there already: only the volume changes
        const added = newDocumentAfter(text, document, lines);
        return added ? [...edits, added] : undefined;
      },
      message: `Volume ${volumeName} now mounts SecretProviderClass ${spcName} (${provider}) through the Secrets Store CSI driver, read-only, with the files ${keys.map((key) => key.file).join(', ')}. The values of ${list} are not in it: put them ${storeLocation(provider, secretName)} and fill in the TODOs; this pod no longer reads Secret ${secretName}.`,
    });
  }
  return refactors;
}

/** Refactor on a `secretKeyRef`/`secretRef`: an ExternalSecret that fills that Secret. */
function referenceRefactors(
  text: string,
  document: ParsedDocument,
  object: K8sObject,
  secretName: string,
  refKeys: readonly string[],
  context: ExternalStoreContext,
): Refactor[] {
  if (!validName(secretName) || objectExists(text, 'ExternalSecret', secretName)) return [];
  const keys = keysOfSecret(text, secretName, object.namespace, context) ?? [...refKeys];
  if (keys.length === 0 || object.root !== document.document.contents) return [];
  const lines = externalSecretLines(secretName, object.namespace, keys);
  return [
    {
      title: `Move to an external store: ExternalSecret for ${secretName} (External Secrets Operator)`,
      kind: 'refactor.extract',
      edits: () => {
        const edit = newDocumentAfter(text, document, lines);
        return edit ? [edit] : undefined;
      },
      message: `Added ExternalSecret ${secretName}: the External Secrets Operator creates Secret ${secretName} (keys ${keys.join(', ')}) from your store, so these env vars keep working. Put the values in the store, set secretStoreRef and the remote keys (the TODOs), then delete any Secret ${secretName} manifest from this repository.`,
    },
  ];
}

/** The external-store refactors for `[start, end]` (file offsets). */
export function externalStoreRefactorsAt(
  text: string,
  start: number,
  end: number,
  context: ExternalStoreContext = {},
): Refactor[] {
  const refactors: Refactor[] = [];
  for (const document of parseFile(text)) {
    if (!document.ok || document.offset > end || document.offset + document.text.length < start) {
      continue;
    }
    // A JSON manifest holds one object: there is no room for a generated one.
    if (detectStyle(document.text, document.document.contents).json) continue;
    const localStart = start - document.offset;
    const localEnd = end - document.offset;
    for (const object of objectsOf(document)) {
      if (isSecret(object) && overlaps(object.root.range, localStart, localEnd)) {
        refactors.push(...secretRefactors(text, document, object));
        continue;
      }
      const podSpec = podSpecOf(object);
      if (!podSpec) continue;
      for (const volume of itemsOf(valueAt(podSpec, 'volumes'))) {
        if (
          isMap(volume) &&
          entryOf(volume, 'secret') &&
          overlaps(volume.range, localStart, localEnd)
        ) {
          refactors.push(...volumeRefactors(text, document, object, volume, context));
        }
      }
      for (const container of containersOf(podSpec)) {
        for (const item of itemsOf(valueAt(container.node, 'env'))) {
          const ref = valueAt(item, 'valueFrom', 'secretKeyRef');
          const name = stringOf(valueAt(ref, 'name'));
          const key = stringOf(valueAt(ref, 'key'));
          if (
            !isMap(ref) ||
            name === undefined ||
            !overlaps(isMap(item) ? item.range : undefined, localStart, localEnd)
          )
            continue;
          refactors.push(
            ...referenceRefactors(text, document, object, name, key ? [key] : [], context),
          );
        }
        const envFrom = valueAt(container.node, 'envFrom');
        for (const item of isSeq(envFrom) ? itemsOf(envFrom) : []) {
          const name = stringOf(valueAt(item, 'secretRef', 'name'));
          if (
            name === undefined ||
            !overlaps(isMap(item) ? item.range : undefined, localStart, localEnd)
          )
            continue;
          refactors.push(...referenceRefactors(text, document, object, name, [], context));
        }
      }
    }
  }
  // One ExternalSecret per Secret name, even when several references to it are in range.
  const seen = new Set<string>();
  return refactors.filter((refactor) => !seen.has(refactor.title) && !!seen.add(refactor.title));
}
