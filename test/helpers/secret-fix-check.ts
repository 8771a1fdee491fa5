/**
 * Checks a Secret rule's quick fix beyond its exact output: the result parses, every stored
 * value that the fix is not about keeps its bytes, and re-analysed, the finding is gone.
 */
import assert from 'node:assert/strict';
import { isSecret, objectsOf, secretValuesOf } from '../../server/src/core/model';
import { parseFile } from '../../server/src/core/parse';
import { resolveSecretValue } from '../../server/src/core/secret-values';
import type { Finding } from '../../server/src/core/types';
import { applyEdits } from './apply-edits';
import { findingsOf } from './rule-tester';

/**
 * What each Secret stores, as the API server merges it: `<document>/<object>/<key>` to the
 * value's bytes in hex (or its state when it has none). `stringData` overwrites `data`.
 */
export function storedValues(text: string): Map<string, string> {
  const stored = new Map<string, string>();
  for (const document of parseFile(text)) {
    objectsOf(document).forEach((object, index) => {
      if (!isSecret(object)) return;
      for (const entry of secretValuesOf(object)) {
        const resolved = resolveSecretValue(entry, document.text);
        const value = resolved.state === 'bytes' ? resolved.bytes.toString('hex') : resolved.state;
        stored.set(`${document.index}/${index}/${entry.key}`, value);
      }
    });
  }
  return stored;
}

export interface FixCheck {
  ruleId: string;
  code: string;
  title: string;
  /** Index of the finding among the rule's findings. */
  finding?: number;
  /** Stored keys (`<document>/<object>/<key>`) the fix is meant to change, add or remove. */
  changes?: readonly string[];
  /** How many of the rule's findings remain after the fix; one less than before by default. */
  remaining?: number;
}

/** Applies the fix and asserts the properties; returns the fixed text. */
export function checkFixProperties(check: FixCheck): string {
  const before = findingsOf(check.ruleId, { code: check.code });
  const target: Finding | undefined = before[check.finding ?? 0];
  assert.ok(target, 'no such finding');
  const fix = target.fixes?.find((candidate) => candidate.title === check.title);
  assert.ok(fix, `fix not offered: ${check.title}`);
  const fixed = applyEdits(check.code, fix.edits);
  for (const document of parseFile(fixed)) {
    assert.deepEqual(
      document.document.errors.map((error) => error.message),
      [],
      'the fixed text parses',
    );
  }
  const changes = new Set(check.changes ?? []);
  const storedBefore = storedValues(check.code);
  const storedAfter = storedValues(fixed);
  for (const [key, value] of storedBefore) {
    if (!changes.has(key)) assert.equal(storedAfter.get(key), value, `${key} keeps its bytes`);
  }
  for (const key of storedAfter.keys()) {
    if (!changes.has(key)) assert.ok(storedBefore.has(key), `${key} was not added`);
  }
  const after = findingsOf(check.ruleId, { code: fixed });
  assert.equal(after.length, check.remaining ?? before.length - 1, 'findings left after the fix');
  assert.ok(
    after.every((finding) => finding.message !== target.message),
    'the finding is gone',
  );
  return fixed;
}
