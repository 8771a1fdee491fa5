/**
 * What a hover shows: a `data` value decoded and described (value-description.ts), a
 * `stringData` value encoded, a secret volume's mode, a Secret reference's definition and
 * value (reference-hover.ts). Pure: returns Markdown and the hovered range; the LSP adapter
 * only converts offsets.
 */
import { describeBase64Problem, encodeBase64 } from './base64';
import { modeHoverAt } from './file-mode';
import { isSecret, objectsOf, secretValuesOf } from './model';
import type { SecretValue } from './model';
import { parseFile } from './parse';
import type { ParsedDocument } from './parse';
import { resolveSecretValue } from './secret-values';
import { referenceHoverAt } from './reference-hover';
import type { ReferenceHoverContext } from './reference-hover';
import type { RevealMode } from './settings';
import { codeBlock, describeStoredValue } from './value-description';

export interface HoverResult {
  markdown: string;
  /** File offsets of the hovered node. */
  start: number;
  end: number;
}

/** What a hover may know beyond the file: other files' Secrets, and the time. */
export interface HoverContext extends Omit<ReferenceHoverContext, 'reveal' | 'now'> {
  /** For certificate and token expiry; defaults to the current time. */
  now?: Date;
}

/** The hover for `offset` in a file's text, or undefined where there is nothing to say. */
export function hoverAt(
  text: string,
  offset: number,
  reveal: RevealMode,
  context: HoverContext = {},
): HoverResult | undefined {
  const now = context.now ?? new Date();
  const document = parseFile(text).find(
    (doc) => doc.offset <= offset && offset <= doc.offset + doc.text.length,
  );
  if (!document || !document.ok) return undefined;
  const local = offset - document.offset;
  for (const secret of objectsOf(document).filter(isSecret)) {
    for (const entry of secretValuesOf(secret)) {
      const keyRange = entry.keyNode.range;
      const valueRange = entry.value?.range;
      const start = keyRange?.[0] ?? 0;
      const end = valueRange?.[1] ?? keyRange?.[1] ?? 0;
      if (local < start || local > end) continue;
      const markdown = describeValue(document, entry, reveal, now);
      return markdown === undefined
        ? undefined
        : { markdown, start: start + document.offset, end: end + document.offset };
    }
  }
  const mode = modeHoverAt(document, local);
  if (mode) {
    return {
      markdown: mode.markdown,
      start: mode.start + document.offset,
      end: mode.end + document.offset,
    };
  }
  return referenceHoverAt(text, offset, { ...context, reveal, now });
}

function describeValue(
  document: ParsedDocument,
  entry: SecretValue,
  reveal: RevealMode,
  now: Date,
): string | undefined {
  const resolved = resolveSecretValue(entry, document.text);
  const title = `**${entry.field}.${entry.key}**`;
  switch (resolved.state) {
    case 'templated':
      return `${title}: templated, decoded when the template is rendered`;
    case 'empty':
      return `${title}: empty (0 bytes)`;
    case 'not-a-string':
      return `${title}: not a string under YAML 1.1; the API server rejects it`;
    case 'invalid-base64':
      return `${title}: not valid base64 (${describeBase64Problem(resolved.problem)})`;
    case 'bytes':
      break;
  }
  const bytes = resolved.bytes;
  const size = `${bytes.length} ${bytes.length === 1 ? 'byte' : 'bytes'}`;
  if (entry.field === 'stringData') {
    if (reveal === 'never') return `${title}: plain text, ${size}; stored base64-encoded`;
    return `${title}: plain text, ${size}. As base64 in \`data\`:\n\n${codeBlock(encodeBase64(bytes), '')}`;
  }
  const description = describeStoredValue(bytes, { key: entry.key, reveal, now });
  const head = `${title}: decoded, ${description.kind}, ${size}`;
  return description.body === '' ? head : `${head}\n\n${description.body}`;
}
