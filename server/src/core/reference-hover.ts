/**
 * The hover on a Secret reference in a pod spec (`secretKeyRef` name and key, `secretRef`,
 * secret volume `secretName` and `items[].key`): where the Secret is defined in the workspace
 * and, on a key, its stored value as the reveal mode allows. Pure: other files are read
 * through `readText`.
 */
import { isSecret, objectsOf, secretValuesOf } from './model';
import { parseFile } from './parse';
import { secretTargetAt } from './references';
import type { IndexedSecret, SecretLookup } from './secret-index';
import { secretLookupForFile } from './secret-index';
import { resolveSecretValue } from './secret-values';
import type { RevealMode } from './settings';
import { describeStoredValue } from './value-description';

export interface ReferenceHoverContext {
  /** The workspace's Secrets (the file's own are read from `text`). */
  secrets?: SecretLookup;
  /** The hovered file's path, when it is a file. */
  path?: string;
  /** The current text of another file (an open document's, else the disk's). */
  readText?: (path: string) => string | undefined;
  reveal: RevealMode;
  now: Date;
}

export interface ReferenceHover {
  markdown: string;
  /** File offsets of the hovered name or key. */
  start: number;
  end: number;
}

/** At most this many definitions are described. */
const MAX_DEFINITIONS = 3;

function fileLabel(path: string | undefined, hovered: string | undefined): string {
  if (path === undefined || path === hovered) return 'this file';
  return `\`${path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1)}\``;
}

type StoredValue =
  | { state: 'bytes'; bytes: Buffer; field: 'data' | 'stringData' }
  | { state: 'invalid-base64' | 'templated' | 'not-a-string' };

/** The stored value of `key` in a Secret defined in `text`, as the API server merges it. */
function storedValueOf(text: string, secret: IndexedSecret, key: string): StoredValue | undefined {
  for (const document of parseFile(text)) {
    if (!document.ok) continue;
    for (const object of objectsOf(document)) {
      if (!isSecret(object) || object.name !== secret.name) continue;
      const rootStart = document.offset + (object.root.range?.[0] ?? 0);
      const rootEnd = document.offset + (object.root.range?.[1] ?? 0);
      if (secret.nameSpan.start < rootStart || secret.nameSpan.start > rootEnd) continue;
      // stringData wins over data for the same key, as when the API server merges them.
      const entries = secretValuesOf(object).filter((entry) => entry.key === key);
      const entry =
        entries.filter((e) => e.field === 'stringData').pop() ??
        entries.filter((e) => e.field === 'data').pop();
      if (!entry) return undefined;
      const resolved = resolveSecretValue(entry, document.text);
      if (resolved.state === 'bytes') {
        return { state: 'bytes', bytes: resolved.bytes, field: entry.field };
      }
      if (resolved.state === 'empty') {
        return { state: 'bytes', bytes: Buffer.alloc(0), field: entry.field };
      }
      return { state: resolved.state };
    }
  }
  return undefined;
}

/** The hover for the Secret name or key at `offset` of a file's text, if it is one. */
export function referenceHoverAt(
  text: string,
  offset: number,
  context: ReferenceHoverContext,
): ReferenceHover | undefined {
  const target = secretTargetAt(text, offset);
  if (!target) return undefined;
  const lookup = secretLookupForFile(context.secrets, context.path, text, parseFile(text)).lookup;
  const found = lookup.lookup(target.name, target.namespace);
  const what =
    target.key === undefined
      ? `Secret \`${target.name}\``
      : `key \`${target.key}\` of Secret \`${target.name}\``;
  if (found.length === 0) {
    return {
      markdown: `**${what}**: not defined in this workspace (created in the cluster, by a controller, or by kustomize?)`,
      start: target.start,
      end: target.end,
    };
  }
  const sections: string[] = [];
  for (const secret of found.slice(0, MAX_DEFINITIONS)) {
    const file = fileLabel(secret.path, context.path);
    const where = `${file}, line ${secret.nameSpan.startPosition.line + 1}`;
    const namespace = secret.namespace === undefined ? '' : ` (namespace \`${secret.namespace}\`)`;
    if (target.key === undefined) {
      const keys = secret.openKeys
        ? 'keys not known (templated)'
        : `keys: ${secret.keys.map((key) => `\`${key.key}\``).join(', ') || 'none'}`;
      sections.push(`Defined in ${where}${namespace}; ${keys}`);
      continue;
    }
    const definingText =
      secret.path === undefined || secret.path === context.path
        ? text
        : context.readText?.(secret.path);
    const keyEntry = secret.keys.find((key) => key.key === target.key);
    // On a key, the key's line (the Secret's name line when its keys are not known).
    const keyWhere = keyEntry ? `${file}, line ${keyEntry.span.startPosition.line + 1}` : where;
    if (!keyEntry && !secret.openKeys) {
      sections.push(`Defined in ${where}${namespace}, **without this key**`);
      continue;
    }
    const value =
      definingText === undefined ? undefined : storedValueOf(definingText, secret, target.key);
    if (!value) {
      sections.push(`Defined in ${keyWhere}${namespace}`);
      continue;
    }
    if (value.state !== 'bytes') {
      sections.push(`Defined in ${keyWhere}${namespace}: ${value.state.replace(/-/g, ' ')}`);
      continue;
    }
    const description = describeStoredValue(value.bytes, {
      key: target.key,
      reveal: context.reveal,
      now: context.now,
    });
    const size = `${value.bytes.length} ${value.bytes.length === 1 ? 'byte' : 'bytes'}`;
    const head = `Defined in ${keyWhere}${namespace} (${value.field}): ${description.kind}, ${size}`;
    sections.push(description.body === '' ? head : `${head}\n\n${description.body}`);
  }
  if (found.length > MAX_DEFINITIONS) sections.push(`… and ${found.length - MAX_DEFINITIONS} more`);
  return {
    markdown: `**${what}**\n\n${sections.join('\n\n')}`,
    start: target.start,
    end: target.end,
  };
}
