import {
  YamlEditError,
  addEntryToMapping,
  appendEntry,
  contentRange,
  normalizeEdits,
  replaceEntry,
} from '../fixes/yaml-edit';
import type { YamlValue } from '../fixes/yaml-edit';
import { isSecret, secretValuesOf } from '../model';
import type { K8sObject, SecretValue } from '../model';
import type { ParsedDocument } from '../parse';
import { isTemplated } from '../placeholders';
import { isMergeKey, kubernetesKeyOf } from '../secret-keys';
import { resolveStoredValue } from '../double-base64';
import type { Fix, TextEdit } from '../types';
import { entryOf, isMap, isScalar, stringOf } from '../yaml-nodes';
import type { Entry, Node, YAMLMap } from '../yaml-nodes';
import type { Rule, RuleReport } from './types';

/** What a Secret type needs, and who enforces it. */
export interface Requirement {
  keys: readonly string[];
  /** `all`: every key; `any`: at least one (basic-auth). */
  mode: 'all' | 'any';
  /** The value must not be empty either (`len(value) == 0` is rejected too). */
  nonEmpty: boolean;
  /** Why it matters, for the message. */
  enforcedBy: string;
}

const API_SERVER = 'the API server rejects the Secret';

/**
 * `ValidateSecret` (k8s.io/kubernetes/pkg/apis/core/validation), per type, on `data` after
 * `stringData` has been merged into it. The bootstrap token type is not validated by the API
 * server, but the bootstrap authenticator ignores a token Secret whose `token-id` or
 * `token-secret` is missing or empty.
 */
export const REQUIREMENTS: Readonly<Record<string, Requirement>> = {
  'kubernetes.io/tls': {
    keys: ['tls.crt', 'tls.key'],
    mode: 'all',
    nonEmpty: false,
    enforcedBy: API_SERVER,
  },
  'kubernetes.io/dockerconfigjson': {
    keys: ['.dockerconfigjson'],
    mode: 'all',
    nonEmpty: false,
    enforcedBy: API_SERVER,
  },
  'kubernetes.io/dockercfg': {
    keys: ['.dockercfg'],
    mode: 'all',
    nonEmpty: false,
    enforcedBy: API_SERVER,
  },
  'kubernetes.io/basic-auth': {
    keys: ['username', 'password'],
    mode: 'any',
    nonEmpty: false,
    enforcedBy: API_SERVER,
  },
  'kubernetes.io/ssh-auth': {
    keys: ['ssh-privatekey'],
    mode: 'all',
    nonEmpty: true,
    enforcedBy: API_SERVER,
  },
  'bootstrap.kubernetes.io/token': {
    keys: ['token-id', 'token-secret'],
    mode: 'all',
    nonEmpty: true,
    enforcedBy: 'the bootstrap token authenticator ignores the Secret',
  },
};

const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';
const SERVICE_ACCOUNT_NAME = 'kubernetes.io/service-account.name';

/**
 * A typed Secret must carry what its type needs (`kubernetes.io/tls`: `tls.crt` and `tls.key`,
 * …; see REQUIREMENTS), in `data` or `stringData`; a service-account-token Secret needs a
 * non-empty `kubernetes.io/service-account.name` annotation. Types are compared
 * case-sensitively, as the API server does; other types (`Opaque`, custom ones) are not checked.
 * Secrets whose `data`, `stringData` or annotations are templated are skipped: their keys are
 * only known after rendering.
 */
export const rule: Rule = {
  id: 'type-required-keys',
  severity: 'error',
  summary: 'A typed Secret lacks the keys (or annotation) that its type requires.',
  check({ document, objects, report }) {
    for (const secret of objects.filter(isSecret)) {
      const typeNode = entryOf(secret.root, 'type')?.value;
      const type = stringOf(typeNode);
      if (type === undefined || !typeNode) continue;
      const [start, end] = contentRange(document.text, typeNode);
      if (type === SERVICE_ACCOUNT_TOKEN) {
        checkServiceAccountToken(document, secret, { start, end }, report);
        continue;
      }
      const requirement = REQUIREMENTS[type];
      if (!requirement) continue;
      const present = presentKeys(document, secret);
      if (!present) continue;
      const missing = requirement.keys.filter((key) => !present.has(key));
      const satisfied =
        requirement.mode === 'any'
          ? missing.length < requirement.keys.length
          : missing.length === 0;
      if (!satisfied) {
        const fix = addKeysFix(document, secret, missing);
        report({
          start,
          end,
          message: `A Secret of type ${type} needs ${describeKeys(requirement)} in data or stringData; missing: ${missing.join(', ')} (${requirement.enforcedBy})`,
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
      if (!requirement.nonEmpty) continue;
      for (const key of requirement.keys) {
        const found = present.get(key);
        if (!found || !isEmpty(document, found)) continue;
        const [keyStart, keyEnd] = emptyValueRange(document, found);
        report({
          start: keyStart,
          end: keyEnd,
          message: `A Secret of type ${type} needs a non-empty ${key}; this one is empty (${requirement.enforcedBy})`,
        });
      }
    }
  },
};

type Report = (report: RuleReport) => void;

function describeKeys(requirement: Requirement): string {
  const keys = requirement.keys;
  if (keys.length === 1) return `the key ${keys[0] ?? ''}`;
  return `the keys ${keys.join(requirement.mode === 'any' ? ' or ' : ' and ')}`;
}

/**
 * The keys of `data` and `stringData`, merged as the API server merges them; undefined when a
 * field or a key is templated, so that the keys cannot be known.
 */
function presentKeys(
  document: ParsedDocument,
  secret: K8sObject,
): Map<string, SecretValue> | undefined {
  for (const field of ['data', 'stringData']) {
    const value = entryOf(secret.root, field)?.value;
    if (!value || isMap(value) || (isScalar(value) && value.value === null)) continue;
    return undefined;
  }
  const present = new Map<string, SecretValue>();
  for (const entry of secretValuesOf(secret)) {
    const [start, end] = contentRange(document.text, entry.keyNode);
    // Templated keys, and keys merged in from an anchor (`<<: *tls`), are not known here.
    if (isTemplated(document.text.slice(start, end)) || isMergeKey(entry.keyNode)) return undefined;
    present.set(kubernetesKeyOf(entry.keyNode).key, entry);
  }
  return present;
}

/** Kubernetes stores no bytes for it: null, `""`, or base64 made of line breaks only. */
function isEmpty(document: ParsedDocument, entry: SecretValue): boolean {
  const resolved = resolveStoredValue(entry, document.text);
  return resolved.state === 'empty' || (resolved.state === 'bytes' && resolved.bytes.length === 0);
}

function checkServiceAccountToken(
  document: ParsedDocument,
  secret: K8sObject,
  typeRange: { start: number; end: number },
  report: Report,
): void {
  const metadata = entryOf(secret.root, 'metadata');
  if (metadata && !isMap(metadata.value) && !isNull(metadata.value)) return;
  const annotations = isMap(metadata?.value) ? entryOf(metadata.value, 'annotations') : undefined;
  if (annotations && !isMap(annotations.value) && !isNull(annotations.value)) return;
  const annotation = isMap(annotations?.value)
    ? entryOf(annotations.value, SERVICE_ACCOUNT_NAME)
    : undefined;
  const enforcedBy = API_SERVER;
  if (!annotation) {
    const fix = addAnnotationFix(document, secret);
    report({
      ...typeRange,
      message: `A Secret of type ${SERVICE_ACCOUNT_TOKEN} needs the annotation ${SERVICE_ACCOUNT_NAME} (${enforcedBy})`,
      ...(fix ? { fixes: [fix] } : {}),
    });
    return;
  }
  const raw = annotation.value?.range
    ? document.text.slice(annotation.value.range[0], annotation.value.range[1])
    : '';
  if (isTemplated(raw)) return;
  const value = isScalar(annotation.value) ? annotation.value.value : null;
  if (value === null || value === '') {
    const [start, end] = emptyValueRange(document, annotation);
    report({
      start,
      end,
      message: `A Secret of type ${SERVICE_ACCOUNT_TOKEN} needs a non-empty ${SERVICE_ACCOUNT_NAME} annotation: the name of its ServiceAccount (${enforcedBy})`,
    });
  }
}

function isNull(node: Node | null | undefined): boolean {
  return !node || (isScalar(node) && node.value === null);
}

/** The empty value (`""`), or the key when the value is null and has no text of its own. */
function emptyValueRange(
  document: ParsedDocument,
  entry: { keyNode: Node; value: Node | null },
): [number, number] {
  const value = entry.value;
  if (value?.range && value.range[1] > value.range[0]) return contentRange(document.text, value);
  return contentRange(document.text, entry.keyNode);
}

/**
 * Adds the missing keys with empty values: to `data` when it holds entries; to `stringData`
 * when only it does (the author keeps plain text there, and will type the values as such);
 * else to a `data` that is empty or new. Each key is added in the layout of its mapping.
 */
function addKeysFix(
  document: ParsedDocument,
  secret: K8sObject,
  keys: readonly string[],
): Fix | undefined {
  const values: Record<string, YamlValue> = Object.fromEntries(keys.map((key) => [key, '']));
  const data = entryOf(secret.root, 'data');
  const stringData = entryOf(secret.root, 'stringData');
  const hasEntries = (entry: Entry | undefined): entry is Entry & { value: YAMLMap } =>
    isMap(entry?.value) && entry.value.items.length > 0;
  return buildFix('Add the missing keys', () => {
    if (hasEntries(data)) return appendAll(document, data.value, values);
    if (hasEntries(stringData)) return appendAll(document, stringData.value, values);
    if (data) return replaceEntry(document.text, secret.root, data.pair, 'data', values);
    return addEntryToMapping(document.text, secret.root, 'data', values, {
      after: ['type', 'metadata', 'kind', 'apiVersion'],
    });
  });
}

function addAnnotationFix(document: ParsedDocument, secret: K8sObject): Fix | undefined {
  const annotation = { [SERVICE_ACCOUNT_NAME]: '' };
  const metadata = entryOf(secret.root, 'metadata');
  return buildFix('Add the missing annotation', () => {
    if (!metadata) {
      return addEntryToMapping(
        document.text,
        secret.root,
        'metadata',
        { annotations: annotation },
        { after: ['kind', 'apiVersion'] },
      );
    }
    if (!isMap(metadata.value) || metadata.value.items.length === 0) {
      return replaceEntry(document.text, secret.root, metadata.pair, 'metadata', {
        annotations: annotation,
      });
    }
    const annotations = entryOf(metadata.value, 'annotations');
    if (!annotations) {
      return addEntryToMapping(document.text, metadata.value, 'annotations', annotation, {
        after: ['labels', 'namespace', 'name'],
      });
    }
    if (isMap(annotations.value) && annotations.value.items.length > 0) {
      return appendEntry(document.text, annotations.value, SERVICE_ACCOUNT_NAME, '');
    }
    return replaceEntry(document.text, metadata.value, annotations.pair, 'annotations', annotation);
  });
}

function appendAll(
  document: ParsedDocument,
  map: YAMLMap,
  values: Record<string, YamlValue>,
): TextEdit[] {
  return Object.entries(values).flatMap(([key, value]) =>
    appendEntry(document.text, map, key, value),
  );
}

/** A fix from edits that may not be possible for an unusual layout; then no fix is offered. */
function buildFix(title: string, plan: () => TextEdit[]): Fix | undefined {
  try {
    const edits = normalizeEdits(plan());
    return edits ? { title, edits, isPreferred: true } : undefined;
  } catch (error) {
    if (error instanceof YamlEditError) return undefined;
    throw error;
  }
}
