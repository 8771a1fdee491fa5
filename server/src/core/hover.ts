/**
 * What a hover shows: a `data` value decoded, a `stringData` value encoded. Pure: returns
 * Markdown and the hovered range; the LSP adapter only converts offsets.
 */
import { describeBase64Problem, encodeBase64, isPrintableUtf8 } from './base64';
import { modeHoverAt } from './file-mode';
import { isSecret, objectsOf, secretValuesOf } from './model';
import type { SecretValue } from './model';
import { parseFile } from './parse';
import type { ParsedDocument } from './parse';
import { resolveSecretValue } from './secret-values';
import type { RevealMode } from './settings';

export interface HoverResult {
  markdown: string;
  /** File offsets of the hovered node. */
  start: number;
  end: number;
}

/** The hover for `offset` in a file's text, or undefined where there is nothing to say. */
export function hoverAt(text: string, offset: number, reveal: RevealMode): HoverResult | undefined {
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
      const markdown = describeValue(document, entry, reveal);
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
  return undefined;
}

function describeValue(
  document: ParsedDocument,
  entry: SecretValue,
  reveal: RevealMode,
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
  const printable = isPrintableUtf8(bytes);
  const kind = printable ? 'text' : 'binary';
  if (reveal === 'never') return `${title}: decoded, ${kind}, ${size}`;
  if (!printable) {
    const preview = bytes.subarray(0, 16).toString('hex').replace(/(..)/g, '$1 ').trim();
    const more = bytes.length > 16 ? ' …' : '';
    return `${title}: decoded, binary, ${size}\n\n${codeBlock(preview + more, '')}`;
  }
  const decoded = bytes.toString('utf8');
  const json = prettyJson(decoded);
  return `${title}: decoded, ${json === undefined ? 'text' : 'JSON'}, ${size}\n\n${codeBlock(json ?? decoded, json === undefined ? 'text' : 'json')}`;
}

function prettyJson(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return undefined;
  }
}

/** A fenced block whose fence is longer than any backtick run inside, so text cannot escape it. */
function codeBlock(text: string, language: string): string {
  const longestRun = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}
