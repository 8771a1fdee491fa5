/**
 * Inline hints after `data` values (`secretGuard.reveal: inline`): each value decoded, on one
 * line and shortened. Pure: offsets and labels; the LSP adapter converts them.
 */
import { isPrintableUtf8 } from './base64';
import { contentRange } from './fixes/yaml-edit';
import { isSecret, objectsOf, secretValuesOf } from './model';
import { parseFile } from './parse';
import { resolveSecretValue } from './secret-values';

/** A hint shown after `offset` (file offsets). */
export interface DecodedHint {
  offset: number;
  label: string;
  /** The entry, for the hint's tooltip. */
  field: 'data';
  key: string;
}

/** Longest decoded text shown inline, in characters. */
export const MAX_HINT_LENGTH = 40;

/** A decoded value as one short line: JSON-escaped text, or the size of binary data. */
export function hintLabel(bytes: Buffer): string {
  if (bytes.length === 0) return '""';
  if (!isPrintableUtf8(bytes)) return `‹binary, ${bytes.length} bytes›`;
  const text = bytes.toString('utf8');
  // JSON escaping puts line breaks and tabs on one visible line.
  const escaped = JSON.stringify(text).slice(1, -1);
  const characters = [...escaped];
  return characters.length > MAX_HINT_LENGTH
    ? `"${characters.slice(0, MAX_HINT_LENGTH - 1).join('')}…"`
    : `"${escaped}"`;
}

/** Hints for the `data` values of every Secret whose value ends within `[start, end]`. */
export function decodedHintsOf(text: string, start = 0, end = text.length): DecodedHint[] {
  const hints: DecodedHint[] = [];
  for (const document of parseFile(text)) {
    if (!document.ok) continue;
    if (document.offset > end || document.offset + document.text.length < start) continue;
    for (const secret of objectsOf(document).filter(isSecret)) {
      for (const entry of secretValuesOf(secret)) {
        if (entry.field !== 'data' || !entry.value) continue;
        const resolved = resolveSecretValue(entry, document.text);
        if (resolved.state !== 'bytes') continue;
        const offset = document.offset + contentRange(document.text, resolved.scalar)[1];
        if (offset < start || offset > end) continue;
        hints.push({ offset, label: hintLabel(resolved.bytes), field: 'data', key: entry.key });
      }
    }
  }
  return hints;
}
