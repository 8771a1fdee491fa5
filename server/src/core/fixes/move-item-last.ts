/**
 * Moves one item of a sequence after its last item, keeping the item's text byte for byte:
 * its comments, quoting and layout travel with it (the removal is yaml-edit's `removeItem`,
 * so the lines an item owns are the same as everywhere else).
 */
import { isNode } from 'yaml';
import type { TextEdit } from '../types';
import type { YAMLSeq } from '../yaml-nodes';
import { YamlEditError, appendItem, contentRange, lineEnding, removeItem } from './yaml-edit';
import { splitTrailingSpace } from '../trim';

/**
 * Edits that move `item` of `seq` to the end of it. Block items move with the lines they own
 * (comment lines above at their column, deeper comment lines below, the comment at the end of
 * their last line); flow items move with the separator that followed them, so that a pretty
 * JSON list stays one item a line.
 *
 * @throws YamlEditError when the item is already last, or for a layout the yaml-edit
 * primitives do not edit safely (a block item sharing its line with another `- `).
 */
export function moveItemLast(source: string, seq: YAMLSeq, item: unknown): TextEdit[] {
  const index = seq.items.indexOf(item);
  const next: unknown = seq.items[index + 1];
  if (index === -1 || !isNode(item) || !isNode(next)) {
    throw new YamlEditError('the item is not followed by another one');
  }
  const removal = removeItem(source, seq, item);
  const [cut] = removal;
  if (removal.length !== 1 || !cut || cut.newText !== '') {
    throw new YamlEditError('unsupported layout');
  }
  if (seq.flow) {
    const itemEnd = contentRange(source, item)[1];
    const lastItem: unknown = seq.items[seq.items.length - 1];
    if (!isNode(lastItem)) throw new YamlEditError('sequence item without a node');
    const lastEnd = contentRange(source, lastItem)[1];
    // The removal runs from the item to the next one: its text, then the separator.
    const separator = source.slice(itemEnd, cut.end);
    const text = source.slice(cut.start, itemEnd);
    return [cut, { start: lastEnd, end: lastEnd, newText: separator + text }];
  }
  if (cut.start > 0 && source[cut.start - 1] !== '\n') {
    throw new YamlEditError('a block item that does not start its line');
  }
  // A removal between blank lines takes the blank lines below too; they stay in place.
  // (On the trailing white space only: see splitTrailingSpace.)
  const [content, blanks] = splitTrailingSpace(source.slice(cut.start, cut.end));
  const text = content + blanks.replace(/(\r?\n)(?:[ \t]*\r?\n)+$/, '$1');
  // Where appendItem would write a new item: after every line the last item owns.
  const [append] = appendItem(source, seq, null);
  if (!append) throw new YamlEditError('no place after the last item');
  const at = append.start;
  const eol = lineEnding(source);
  const newText =
    at === source.length && !source.endsWith('\n')
      ? eol + text.replace(/\r?\n$/, '')
      : text.endsWith('\n')
        ? text
        : text + eol;
  return [cut, { start: at, end: at, newText }];
}
