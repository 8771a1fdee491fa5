/**
 * Properties every quick fix must keep, checked on every fix offered for the examples and the
 * shared corpus of real manifests (`../shared/corpus`, without its benchmark-sized `large/`):
 * the file still parses, comments outside the edited ranges survive, and every Secret value
 * that the fix does not target decodes to the same bytes as before.
 *
 * The same properties hold for every refactor offered on every Secret, env value and ConfigMap
 * entry (conversions between data and stringData keep every decoded value byte-identical and
 * every comment, applying one again is harmless), for the suppression quick fixes (the file
 * reads the same, the finding is gone), and for an edit-decoded round trip with no change
 * (no edit at all).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { externalStoreRefactorsAt } from '../../server/src/core/actions/external-store';
import { moveToSecretRefactorsAt } from '../../server/src/core/actions/move-to-secret-refactors';
import { secretConversionsAt } from '../../server/src/core/actions/secret-conversions';
import type { Refactor } from '../../server/src/core/actions/secret-conversions';
import { suppressionFixes } from '../../server/src/core/actions/suppress';
import { analyze } from '../../server/src/core/analyze';
import { applyDecodedView, decodedViewOf, secretsInFile } from '../../server/src/core/decoded-view';
import { isSecret, objectsOf, secretValuesOf } from '../../server/src/core/model';
import { parseFile } from '../../server/src/core/parse';
import { resolveSecretValue } from '../../server/src/core/secret-values';
import type { Finding, Fix, TextEdit } from '../../server/src/core/types';
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

const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpus');
const files = [
  ...manifests(join(REPO_ROOT, 'examples')),
  ...(existsSync(CORPUS)
    ? manifests(CORPUS).filter((path) => !relative(CORPUS, path).startsWith('large'))
    : []),
];

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

/** Every comment of a text (trimmed), as a multiset in order. */
function allComments(text: string): string[] {
  return commentsOutside(text, { title: '', edits: [] });
}

/** The refactors offered at each entry and each object of a file (deduplicated by title). */
function refactorsOf(text: string): { at: number; refactor: Refactor }[] {
  const offers = new Map<string, { at: number; refactor: Refactor }>();
  const positions = new Set<number>();
  for (const document of parseFile(text)) {
    if (!document.ok) continue;
    for (const object of objectsOf(document)) {
      const root = object.root.range;
      if (root) positions.add(root[0] + document.offset);
      if (isSecret(object)) {
        for (const entry of secretValuesOf(object)) {
          positions.add((entry.keyNode.range?.[0] ?? 0) + document.offset);
        }
      }
    }
    // Env values and ConfigMap entries: every line start of the document is a candidate.
    for (
      let at = document.text.indexOf('\n');
      at !== -1;
      at = document.text.indexOf('\n', at + 1)
    ) {
      if (/^\s*(?:- )?(?:name|value|[\w.-]+):/.test(document.text.slice(at + 1, at + 80))) {
        positions.add(
          document.offset + at + 1 + (/^\s*/.exec(document.text.slice(at + 1))?.[0].length ?? 0),
        );
      }
    }
  }
  for (const at of [...positions].sort((a, b) => a - b)) {
    for (const refactor of [
      ...secretConversionsAt(text, at, at),
      ...moveToSecretRefactorsAt(text, at, at),
      ...externalStoreRefactorsAt(text, at, at),
    ]) {
      if (!offers.has(refactor.title)) offers.set(refactor.title, { at, refactor });
    }
  }
  return [...offers.values()];
}

/** Refactors that change what a value holds, on purpose: which value, by its title. */
function targetedKey(title: string): string | undefined {
  return /^(?:Re-encode|Decode) data\.(\S+)|^Remove the trailing newline of stringData\.(\S+)/
    .exec(title)
    ?.slice(1)
    .find((key) => key !== undefined);
}

for (const file of files) {
  const name = relative(REPO_ROOT, file);
  const text = readFileSync(file, 'utf8');
  if (!/Secret|ConfigMap|env:/.test(text)) continue;
  test(`every refactor, suppression and decoded round trip in ${name} keeps values and comments`, () => {
    // An empty value is empty whether written `key:` (null) or `key: ""`.
    // Keyed by the Secret's identity, not its position: a refactor may add a document.
    const values = (of: string): Map<string, string> => {
      const found = new Map<string, string>();
      const seen = new Map<string, number>();
      for (const document of parseFile(of)) {
        for (const object of objectsOf(document).filter(isSecret)) {
          const identity = `${object.namespace ?? ''}/${object.name ?? ''}`;
          const occurrence = (seen.get(identity) ?? 0) + 1;
          seen.set(identity, occurrence);
          for (const entry of secretValuesOf(object)) {
            const resolved = resolveSecretValue(entry, document.text);
            const value =
              resolved.state === 'bytes'
                ? resolved.bytes.toString('hex')
                : resolved.state === 'empty'
                  ? ''
                  : resolved.state;
            // stringData overwrites data, as when the API server merges them.
            found.set(`${identity}#${occurrence}/${entry.key}`, value);
          }
        }
      }
      return found;
    };
    const stored = values(text);
    const comments = allComments(text);
    const parsedBefore = parseFile(text).filter((d) => d.ok).length;
    const checkKeeps = (
      label: string,
      fixed: string,
      options: { except?: string; extract?: readonly TextEdit[]; extended?: boolean } = {},
    ): void => {
      assert.ok(parseFile(fixed).filter((d) => d.ok).length >= parsedBefore, `${label} re-parses`);
      const after = values(fixed);
      for (const [key, value] of stored) {
        if (options.except !== undefined && key.endsWith(`/${options.except}`)) continue;
        // A move into a Secret adds a key (and may add a Secret): it never changes one.
        assert.equal(after.get(key), value, `${label} keeps ${key}`);
      }
      if (!options.extract) {
        for (const key of after.keys()) assert.ok(stored.has(key), `${label} adds no ${key}`);
      }
      const left = allComments(fixed);
      // A moved ConfigMap entry or env value takes the comments inside it along, as the rules'
      // own "move" fixes do: only comments outside its edits must stay.
      const kept = options.extract
        ? commentsOutside(text, { title: '', edits: [...options.extract] })
        : comments;
      for (const comment of kept) {
        // A suppression comment may get one more id appended.
        const found = options.extended
          ? left.some((candidate) => candidate.startsWith(comment))
          : left.includes(comment);
        assert.ok(found, `${label} keeps ${comment}`);
      }
    };
    for (const { at, refactor } of refactorsOf(text)) {
      const label = `${name}: "${refactor.title}"`;
      const edits = refactor.edits();
      if (!edits) {
        // Listing is cheap and a little optimistic; the engine then refuses what it cannot
        // write exactly. Only this layout is known to need it: a block scalar ends the file
        // without a line break, so anything written after it would change its value.
        assert.ok(
          /\|[-+]?\n(?:.*\n)*.*[^\n]$/.test(text),
          `${label} is listed, but gives no edits`,
        );
        continue;
      }
      const fixed = applyEdits(text, edits);
      checkKeeps(label, fixed, {
        except: targetedKey(refactor.title),
        extract: refactor.kind === 'refactor.extract' ? edits : undefined,
      });
      // Applying it again (when it is still offered) is harmless too.
      const again = [
        ...secretConversionsAt(fixed, at, at),
        ...moveToSecretRefactorsAt(fixed, at, at),
        ...externalStoreRefactorsAt(fixed, at, at),
      ]
        .find((candidate) => candidate.title === refactor.title)
        ?.edits();
      if (again && !targetedKey(refactor.title) && refactor.kind !== 'refactor.extract') {
        assert.equal(applyEdits(fixed, again), fixed, `${label} twice changes nothing more`);
      }
    }
    for (const secret of secretsInFile(text)) {
      const view = decodedViewOf(text, secret);
      if (!view.ok) continue;
      const result = applyDecodedView(text, secret, view.view.fingerprint, view.view.text);
      assert.ok(result.ok, `${name}: the decoded view of ${secret.name ?? '?'} writes back`);
      assert.deepEqual(result.edits, [], `${name}: an unchanged decoded view changes nothing`);
    }
    for (const finding of analyze({ text, path: file }).findings) {
      for (const fix of suppressionFixes(text, finding)) {
        const label = `${name}: ${finding.ruleId} "${fix.title}"`;
        const fixed = applyEdits(text, fix.edits);
        checkKeeps(label, fixed, { extended: true });
        const still = analyze({ text: fixed, path: file }).findings.filter(
          (other) => other.ruleId === finding.ruleId && other.message === finding.message,
        );
        const before = analyze({ text, path: file }).findings.filter(
          (other) => other.ruleId === finding.ruleId && other.message === finding.message,
        );
        assert.ok(still.length < before.length, `${label} silences the finding`);
      }
    }
  });
}
