/**
 * Documents that no rule or feature reads are recognised from their text and never parsed:
 * text without `kind`, `sops` or a backslash, and JSON without a Kubernetes object (an array,
 * an object without a string `kind`, told by `JSON.parse`). That is only sound if parsing
 * them as YAML could never have yielded an object (or SOPS metadata): checked here on every
 * document of the corpus, on variants of them without `kind`, and on random JSON.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { ANALYSIS_LIMITS } from '../../server/src/core/limits';
import { objectsOf } from '../../server/src/core/model';
import {
  cannotHoldObject,
  isJsonWithoutObject,
  parseFile,
  parseSegment,
  splitDocuments,
} from '../../server/src/core/parse';
import { entryOf } from '../../server/src/core/yaml-nodes';
import { corpusManifestFiles } from '../corpus/corpus-run';
import { seededIntegers } from '../helpers/random';

/** What parsing the text as YAML gives: objects for the rules, and any limit passed. */
function yamlView(text: string): { objects: number; limit: boolean } {
  const parsed = parseSegment(text);
  const placed = { ...parsed, offset: 0, index: 0 };
  return { objects: objectsOf(placed).length, limit: parsed.limit !== undefined };
}

/** The file's one document gets the empty parse, and parsing it as YAML would find no object. */
function assertSkipped(text: string): void {
  const [document] = parseFile(text);
  assert.ok(document?.ok);
  assert.equal(document.document.contents, null);
  assert.deepEqual(yamlView(text), { objects: 0, limit: false }, text);
}

/** Whether the YAML view of the text has SOPS metadata (which marks its whole file). */
function hasSops(text: string): boolean {
  return entryOf(parseSegment(text).document.contents, 'sops') !== undefined;
}

test('whether a document is skipped does not depend on what was parsed before', () => {
  // Kind-less and nested past the limit: skipped, so no analysis-limit finding, even once
  // another caller has parsed the same text (the parse cache then holds a real parse of it).
  const deep = `a: ${'['.repeat(ANALYSIS_LIMITS.maxDepth + 5)}${']'.repeat(ANALYSIS_LIMITS.maxDepth + 5)}\n`;
  const rules = (path: string): string[] =>
    analyze({ text: deep, path }).findings.map((finding) => finding.ruleId);
  assert.deepEqual(rules('/tmp/skipped/first.yaml'), []);
  assert.equal(parseSegment(deep).limit?.kind, 'depth');
  assert.deepEqual(rules('/tmp/skipped/second.yaml'), []);
});

describe('a document without `kind`, `sops` or a backslash is not parsed', () => {
  test('an OpenAPI spec, Helm values, a CI workflow: the empty parse stands in', () => {
    for (const text of [
      'openapi: 3.0.0\npaths:\n  /items:\n    get:\n      summary: List items\n',
      'replicaCount: 2\nimage:\n  repository: nginx\n  tag: "1.25"\n',
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
      '# secret-guard-disable no-such-rule\na: 1\n',
    ]) {
      assert.ok(cannotHoldObject(text), text);
      assertSkipped(text);
    }
    // Suppression comments are read from the text: an unknown id is still reported.
    const unknown = analyze({ text: '# secret-guard-disable no-such-rule\na: 1\n' }).findings;
    assert.deepEqual(
      unknown.map((finding) => finding.ruleId),
      ['unknown-rule'],
    );
  });

  test('`kind` anywhere, `sops`, or a backslash (an escape may spell `kind`): parsed', () => {
    for (const text of [
      'apiVersion: v1\nkind: Secret\n',
      '# a kind of comment\na: 1\n',
      'sops:\n  mac: x\n',
      '"\\x6bind": Secret\napiVersion: v1\n',
      '"\\u006Bind": Secret\napiVersion: v1\n',
    ]) {
      assert.ok(!cannotHoldObject(text), text);
    }
    // What the backslash rule is for: an escaped `kind` is a kind.
    assert.deepEqual(yamlView('"\\x6bind": Secret\napiVersion: v1\n'), {
      objects: 1,
      limit: false,
    });
  });

  test('every document of the corpus, and each without its `kind`: none skipped has an object', () => {
    let skipped = 0;
    let documents = 0;
    for (const file of corpusManifestFiles()) {
      for (const segment of splitDocuments(readFileSync(file, 'utf8'))) {
        for (const text of [segment.text, segment.text.replaceAll('kind', 'kin')]) {
          documents++;
          if (!cannotHoldObject(text)) continue;
          skipped++;
          assert.equal(yamlView(text).objects, 0, `${file}: ${text.slice(0, 200)}`);
          assert.ok(!hasSops(text), file);
        }
      }
    }
    assert.ok(skipped > 500, `only ${skipped} of ${documents} documents skipped`);
  });
});

describe('JSON without a Kubernetes object is not parsed as YAML', () => {
  test('arrays and objects without a string kind are recognised; the empty parse stands in', () => {
    for (const text of [
      '[]',
      '  [1, 2, {"kind": "Secret"}]\n',
      '{}',
      '{"name": "x", "items": [{"kind": "Secret", "apiVersion": "v1"}]}',
      '{"kind": 1, "apiVersion": "v1"}',
      '{"kind": null}',
      '{"kind": ["Secret"]}',
      '\n\t{"Kind": "Secret"}\n',
      '{"kind": "Secret", "apiVersion": "v1", "kind": 1}',
    ]) {
      assert.ok(isJsonWithoutObject(text), text);
      assertSkipped(text);
      assert.deepEqual(analyze({ text }).findings, []);
    }
  });

  test('anything that may hold an object, or is not JSON, is parsed', () => {
    const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    for (const text of [
      '{"apiVersion": "v1", "kind": "Secret", "data": {"a": "!!"}}',
      '{"kind": "List", "items": []}',
      // Duplicate keys: the last one counts, for JSON.parse as for the YAML view.
      '{"kind": 1, "kind": "Secret"}',
      // A merge key to YAML 1.1 readers.
      '{"<<": {"kind": "Secret", "apiVersion": "v1"}}',
      // Flow YAML, JSON with a comment or a trailing comma, a BOM, a YAML document.
      '{kind: Secret}',
      '{"kind": "x"} # c',
      '[1, 2,]',
      '\uFEFF[]',
      'kind: Secret\n',
      '"a string"',
      '',
      // Nesting near the limit: the YAML parse reports passing it.
      nested(ANALYSIS_LIMITS.maxDepth + 5),
      nested(ANALYSIS_LIMITS.maxDepth),
    ]) {
      assert.ok(!isJsonWithoutObject(text), text);
    }
    assert.ok(isJsonWithoutObject(nested(ANALYSIS_LIMITS.maxDepth - 10)));
  });

  test('JSON nested past the limit is parsed, and the limit reported, if it may hold a kind', () => {
    const depth = ANALYSIS_LIMITS.maxDepth + 5;
    const deep = `${'['.repeat(depth)}{"kind": 1}${']'.repeat(depth)}`;
    assert.ok(!isJsonWithoutObject(deep));
    assert.deepEqual(
      analyze({ text: deep }).findings.map((finding) => finding.ruleId),
      ['analysis-limit'],
    );
    assert.equal(yamlView(deep).limit, true);
    // Without `kind` it cannot hold an object: not parsed at all, so no limit applies.
    const kindless = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    assert.deepEqual(analyze({ text: kindless }).findings, []);
  });

  test('on every JSON file of the corpus, a skipped text has no object when parsed as YAML', () => {
    const files = [...corpusManifestFiles()].filter((file) => file.endsWith('.json'));
    assert.ok(files.length >= 10, `only ${files.length} JSON files in the corpus`);
    let skipped = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (!isJsonWithoutObject(text)) continue;
      skipped++;
      assert.deepEqual(yamlView(text), { objects: 0, limit: false }, file);
    }
    // INDEX.json, LABELS.json, the kics expectations, a dashboard, SOPS files without a kind.
    assert.ok(skipped >= 5, `only ${skipped} corpus JSON files skipped`);
  });

  test('on random JSON, skipped means no object when parsed as YAML', () => {
    const random = seededIntegers(29);
    let skipped = 0;
    for (let run = 0; run < 3000; run++) {
      const text = JSON.stringify(randomValue(random, 0), null, random(2) === 0 ? undefined : 2);
      if (!isJsonWithoutObject(text)) {
        continue;
      }
      skipped++;
      assert.deepEqual(yamlView(text), { objects: 0, limit: false }, text);
    }
    assert.ok(skipped > 1000, `only ${skipped} random texts skipped`);
  });
});

const KEYS = ['kind', 'apiVersion', 'metadata', 'items', 'data', 'name', 'Kind', 'a b', '<<x'];
const STRINGS = ['Secret', 'v1', 'List', 'yes', 'no', '~', '', 'a: b', '- x', '#', '\\u0041', 'é'];

function randomValue(random: (n: number) => number, depth: number): unknown {
  const choice = random(depth > 3 ? 4 : 7);
  if (choice === 0) return STRINGS[random(STRINGS.length)];
  if (choice === 1) return random(3) === 0 ? null : random(1000) - 500;
  if (choice === 2) return random(2) === 0;
  if (choice === 3) return random(1e6) / 7;
  if (choice === 4) {
    return Array.from({ length: random(4) }, () => randomValue(random, depth + 1));
  }
  const object: Record<string, unknown> = {};
  for (let i = random(5); i > 0; i--) {
    object[KEYS[random(KEYS.length)] ?? 'k'] = randomValue(random, depth + 1);
  }
  return object;
}
