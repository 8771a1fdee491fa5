import {
  describeCredential,
  detectCredential,
  isLiteralSecretValue,
  looksSecretName,
} from '../credentials';
import { containersOf, podSpecOf } from '../model';
import type { Container, K8sObject } from '../model';
import type { ParsedDocument } from '../parse';
import { isTemplated } from '../placeholders';
import { derivedSecretName, isValidSecretKey, planSecretEntry } from '../fixes/move-to-secret';
import { contentRange, normalizeEdits, replaceEntry, YamlEditError } from '../fixes/yaml-edit';
import type { Fix, TextEdit } from '../types';
import { entryOf, isMap, isScalar, isSeq, stringOf } from '../yaml-nodes';
import type { Entry, YAMLMap } from '../yaml-nodes';
import type { FileContext, Rule } from './types';

const TITLE = 'Move the value into a Secret';

const WHY =
  'anyone who can read this manifest, or the pod spec in the cluster, can read it; ' +
  'take it from a Secret with valueFrom.secretKeyRef';

/**
 * A secret written into a workload as a literal env value. Follows the Kubernetes EnvVar
 * semantics: `value` is expanded before the container sees it (`$$` becomes `$`,
 * `$(VAR)` refers to another variable), so the check and the fix work on the expanded text,
 * and a value that refers to other variables is never moved (a `secretKeyRef` value is not
 * expanded). Fires on `env[].value` of every container, init container and ephemeral
 * container of every workload kind (model.ts) when the value is literal and not a placeholder
 * (placeholders.ts, credentials.ts `isLiteralSecretValue`) and the variable's name looks
 * secret (credentials.ts `looksSecretName`), or when the value holds a known credential
 * format whatever the name. The range is the env list item.
 */
export const rule: Rule = {
  id: 'hardcoded-secret-env',
  severity: 'warning',
  summary: 'A container env var holds a secret as a literal value.',
  check({ document, objects, file, report }) {
    for (const object of objects) {
      const podSpec = podSpecOf(object);
      if (!podSpec) continue;
      for (const container of containersOf(podSpec)) {
        const env = entryOf(container.node, 'env')?.value;
        if (!isSeq(env)) continue;
        for (const item of env.items) {
          if (!isMap(item)) continue;
          const finding = inspect(document, item);
          if (!finding) continue;
          const [start, end] = contentRange(document.text, item);
          report({
            start,
            end,
            message: messageFor(finding, container),
            fixes: fixesFor(document, file, object, container, item, finding),
          });
        }
      }
    }
  },
};

interface EnvFinding {
  variable: string | undefined;
  valueEntry: Entry;
  /** The value the container sees (after `$$` became `$`). */
  expanded: string;
  /** The value refers to other variables (`$(NAME)`): moving it would change it. */
  refersToVariables: boolean;
  /** The credential format found, or undefined when only the name gave it away. */
  credential: string | undefined;
}

function inspect(document: ParsedDocument, item: YAMLMap): EnvFinding | undefined {
  const valueEntry = entryOf(item, 'value');
  const node = valueEntry?.value;
  if (!valueEntry || !isScalar(node) || typeof node.value !== 'string') return undefined;
  const raw = node.range ? document.text.slice(node.range[0], node.range[1]) : '';
  if (isTemplated(raw)) return undefined;
  const { expanded, refersToVariables } = expandEnvValue(node.value);
  const variable = stringOf(entryOf(item, 'name')?.value);
  const credential = detectCredential(expanded);
  if (credential) {
    return {
      variable,
      valueEntry,
      expanded,
      refersToVariables,
      credential: describeCredential(credential.kind),
    };
  }
  if (variable === undefined || isTemplated(variable) || !looksSecretName(variable)) {
    return undefined;
  }
  if (!isLiteralSecretValue(expanded)) return undefined;
  return { variable, valueEntry, expanded, refersToVariables, credential: undefined };
}

/**
 * Kubernetes' env expansion (k8s.io/kubernetes third_party/forked/golang/expansion) without
 * the variables: `$$` is an escaped `$`; `$(NAME)` is a reference, left as written when the
 * variable is unknown; any other `$` is kept.
 */
export function expandEnvValue(value: string): { expanded: string; refersToVariables: boolean } {
  let expanded = '';
  let refersToVariables = false;
  for (let i = 0; i < value.length; i++) {
    const character = value[i] ?? '';
    if (character !== '$' || i + 1 >= value.length) {
      expanded += character;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      expanded += '$';
      i++;
    } else if (next === '(' && value.indexOf(')', i + 2) !== -1) {
      const close = value.indexOf(')', i + 2);
      refersToVariables = true;
      expanded += value.slice(i, close + 1);
      i = close;
    } else {
      expanded += character;
    }
  }
  return { expanded, refersToVariables };
}

function containerLabel(container: Container): string {
  const kind =
    container.list === 'initContainers'
      ? 'init container'
      : container.list === 'ephemeralContainers'
        ? 'ephemeral container'
        : 'container';
  return container.name === undefined ? `a ${kind}` : `${kind} ${JSON.stringify(container.name)}`;
}

/** Names the variable, the container and what the value is; never the value. */
function messageFor(finding: EnvFinding, container: Container): string {
  const variable = finding.variable === undefined ? 'An env var' : `Env var ${finding.variable}`;
  const what =
    finding.credential === undefined
      ? 'has a literal value and its name says it is a secret'
      : `holds ${finding.credential}`;
  return `${variable} of ${containerLabel(container)} ${what}: ${WHY}`;
}

/**
 * "Move the value into a Secret": the env entry's `value` becomes
 * `valueFrom.secretKeyRef` to key `<NAME>` of Secret `<workload>-env` (same namespace), which
 * is extended when the file defines it and created after the workload otherwise.
 */
function fixesFor(
  document: ParsedDocument,
  file: FileContext,
  object: K8sObject,
  container: Container,
  item: YAMLMap,
  finding: EnvFinding,
): Fix[] {
  const variable = finding.variable;
  if (file.sopsEncrypted || finding.refersToVariables || variable === undefined) return [];
  if (entryOf(item, 'valueFrom') || !isValidSecretKey(variable)) return [];
  const target = derivedSecretName(object, '-env');
  if (!target) return [];
  const keys = [variable];
  if (container.name !== undefined && isValidSecretKey(`${container.name}.${variable}`)) {
    keys.push(`${container.name}.${variable}`);
  }
  const plan = planSecretEntry(document, file.documents, object, {
    secretName: target.name,
    namespace: target.namespace,
    keys,
    field: 'stringData',
    value: finding.expanded,
  });
  if (!plan) return [];
  let envEdits: TextEdit[];
  try {
    envEdits = replaceEntry(document.text, item, finding.valueEntry.pair, 'valueFrom', {
      secretKeyRef: { name: target.name, key: plan.key },
    });
  } catch (error) {
    if (error instanceof YamlEditError) return [];
    throw error;
  }
  const local = normalizeEdits([
    ...envEdits,
    ...plan.edits.filter((edit) => edit.document === undefined),
  ]);
  if (!local) return [];
  const elsewhere = plan.edits.filter((edit) => edit.document !== undefined);
  return [{ title: TITLE, edits: [...local, ...elsewhere] }];
}
