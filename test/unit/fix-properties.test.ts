/**
 * Properties every quick fix must keep, checked on every fix offered for the examples:
 * the file still parses, comments outside the edited ranges survive, and every Secret value
 * that the fix does not target decodes to the same bytes as before.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { isSecret, objectsOf, secretValuesOf } from '../../server/src/core/model';
import { parseFile } from '../../server/src/core/parse';
import { resolveSecretValue } from '../../server/src/core/secret-values';
import type { Finding, Fix } from '../../server/src/core/types';
import { applyEdits } from '../helpers/apply-edits';
import { REPO_ROOT } from '../helpers/paths';

function manifests(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return manifests(path);
      return /\.(ya?ml|json)$/.test(name) ? [path] : [];
    });
}

/**
 * What each Secret stores, by "<namespace>/<name>/<key>": `stringData` overrides `data`, as
 * on the API server, so removing a shadowed `data` entry changes nothing stored. Each key
 * keeps the ranges of all the entries that wrote it, to tell which the fix targets.
 */
function secretValues(
  text: string,
): Map<
  string,
  { value: string; fromStringData: boolean; ranges: { start: number; end: number }[] }
> {
  const values = new Map<
    string,
    { value: string; fromStringData: boolean; ranges: { start: number; end: number }[] }
  >();
  for (const document of parseFile(text)) {
    if (!document.ok) continue;
    for (const secret of objectsOf(document).filter(isSecret)) {
      for (const entry of secretValuesOf(secret)) {
        const resolved = resolveSecretValue(entry, document.text);
        const value = resolved.state === 'bytes' ? resolved.bytes.toString('hex') : resolved.state;
        const [start, end] = entry.value?.range ?? entry.keyNode.range ?? [0, 0];
        const key = `${secret.namespace ?? ''}/${secret.name ?? ''}/${entry.key}`;
        const range = { start: start + document.offset, end: end + document.offset };
        const earlier = values.get(key);
        // A later entry wins, except that data never overrides stringData.
        const overrides = !earlier || entry.field === 'stringData' || !earlier.fromStringData;
        values.set(key, {
          value: overrides ? value : (earlier?.value ?? value),
          fromStringData: overrides
            ? entry.field === 'stringData'
            : (earlier?.fromStringData ?? false),
          ranges: [...(earlier?.ranges ?? []), range],
        });
      }
    }
  }
  return values;
}

function commentsOutside(text: string, fix: Fix): string[] {
  const comments: string[] = [];
  for (const match of text.matchAll(/(?:^|[ \t])(#[^\n]*)/gm)) {
    const at = (match.index ?? 0) + match[0].length - (match[1]?.length ?? 0);
    if (fix.edits.some((edit) => at + 1 >= edit.start && at < edit.end)) continue;
    comments.push((match[1] ?? '').trimEnd());
  }
  return comments;
}

function overlaps(finding: Finding, range: { start: number; end: number }): boolean {
  return range.start <= finding.end && finding.start <= range.end;
}

const files = [...manifests(join(REPO_ROOT, 'examples'))];

for (const file of files) {
  const name = relative(REPO_ROOT, file);
  test(`every fix offered in ${name} keeps the file, its comments and untouched values`, () => {
    const text = readFileSync(file, 'utf8');
    const before = secretValues(text);
    const parsedBefore = parseFile(text).filter((d) => d.ok).length;
    for (const finding of analyze({ text, path: file }).findings) {
      for (const fix of finding.fixes ?? []) {
        const label = `${name}: ${finding.ruleId} "${fix.title}"`;
        const fixed = applyEdits(text, fix.edits);
        assert.ok(
          parseFile(fixed).filter((d) => d.ok).length >= parsedBefore,
          `${label} re-parses`,
        );
        const after = secretValues(fixed);
        for (const [key, original] of before) {
          if (original.ranges.some((range) => overlaps(finding, range))) continue; // its target
          assert.equal(after.get(key)?.value, original.value, `${label} keeps ${key}`);
        }
        const remaining = commentsOutside(fixed, { title: '', edits: [] });
        for (const comment of commentsOutside(text, fix)) {
          assert.ok(remaining.includes(comment), `${label} keeps the comment ${comment}`);
        }
      }
    }
  });
}
