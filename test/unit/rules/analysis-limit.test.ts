import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../server/src/core/analyze';
import { ANALYSIS_LIMITS } from '../../../server/src/core/limits';
import { DEFAULT_SETTINGS } from '../../../server/src/core/settings';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const SECRET =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aHVudGVyMg==\n';

/** `levels` nested flow sequences under `data.a`: `[[[…]]]`. */
function nested(levels: number): string {
  return `apiVersion: v1\nkind: ConfigMap\ndata:\n  a: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
}

/** The classic alias bomb: each level an anchor of nine aliases to the one before. */
function laughs(levels: number): string {
  let text =
    'apiVersion: v1\nkind: ConfigMap\ndata:\n  l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i < levels; i++) {
    text += `  l${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]\n`;
  }
  return text;
}

const laughsText = laughs(9);

ruleTester('analysis-limit', {
  valid: [
    SECRET,
    { name: 'nesting at the limit', code: nested(ANALYSIS_LIMITS.maxDepth - 3) },
    { name: 'a few aliases', code: laughs(3) },
    {
      name: 'YAML merge keys and shared anchors',
      code: 'apiVersion: v1\nkind: ConfigMap\nx: &defaults {a: 1, b: 2}\ndata:\n  <<: *defaults\n  c: *defaults\n',
    },
    { name: 'a syntax error is not a limit', code: 'apiVersion: v1\nkind: Secret\ndata: [\n' },
  ],
  invalid: [
    {
      name: 'a binary file',
      code: `${SECRET}\u0000\u0001\u0002`,
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 15 }],
    },
    {
      name: 'nesting past the limit: the first collection too deep, to the end of its line',
      code: nested(ANALYSIS_LIMITS.maxDepth + 5),
      // The root mapping is level 1, `data` level 2: the 201st level is the 199th `[`.
      errors: [{ line: 4, column: 204, endLine: 4, endColumn: 324 }],
    },
    {
      name: 'an alias bomb: on its first alias',
      code: laughsText,
      errors: [{ line: 5, column: 12, endLine: 5, endColumn: 15 }],
    },
    {
      name: 'an alias inside the node it names',
      code: 'apiVersion: v1\nkind: Pod\nspec: &spec\n  containers:\n    - name: c\n      x: *spec\n',
      errors: [{ line: 6, column: 10, endLine: 6, endColumn: 15 }],
    },
    {
      name: 'only the document past a limit is skipped',
      code: `${laughsText}---\napiVersion: v1\nkind: Secret\ndata:\n  a: not base64\n`,
      errors: [{ line: 5, column: 12, endLine: 5, endColumn: 15 }],
    },
  ],
});

test('nesting that the YAML parser itself cannot compose is reported as too deep', () => {
  // Where `yaml` runs out of stack depends on the machine: only the line is asserted.
  const code = nested(5000);
  const findings = findingsOf('analysis-limit', { code });
  assert.equal(findings.length, 1);
  assert.equal(code.lastIndexOf('\n', findings[0]?.start ?? 0), code.indexOf('  a: ') - 1);
  assert.match(findings[0]?.message ?? '', /nests collections more than 200 deep/);
});

test('a file past the length limit is refused before it is parsed', () => {
  const code = `${SECRET}  big: ${'QUJD'.repeat(ANALYSIS_LIMITS.maxFileLength / 4)}\n`;
  const findings = findingsOf('analysis-limit', { code });
  assert.equal(findings.length, 1);
  assert.match(findings[0]?.message ?? '', /characters, more than the 5,242,880 it analyses$/);
  assert.deepEqual(
    analyze({ text: code }).findings.map((f) => f.ruleId),
    ['analysis-limit'],
    'no other rule ran',
  );
});

test('a file with more documents than the limit is refused', () => {
  const code = '---\na: 1\n'.repeat(ANALYSIS_LIMITS.maxDocuments + 1);
  const [finding, ...rest] = findingsOf('analysis-limit', { code });
  assert.deepEqual(rest, []);
  assert.match(finding?.message ?? '', /it has 10,001 YAML documents, more than the 10,000/);
});

test('a file with more places where a node can start than the limit is refused', () => {
  const code = `apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [${'a,'.repeat(ANALYSIS_LIMITS.maxNodeStarts)}a]\n`;
  const [finding] = findingsOf('analysis-limit', { code });
  assert.match(finding?.message ?? '', /places where a YAML node can start/);
});

test('past 10,000 findings, the rest are left out and one finding says how many', () => {
  const ids = Array.from({ length: ANALYSIS_LIMITS.maxFindings + 5 }, (_, i) => `nope${i}`);
  const code = `# secret-guard-disable ${ids.join(', ')}\n${SECRET}`;
  const findings = analyze({ text: code }).findings;
  assert.equal(findings.length, ANALYSIS_LIMITS.maxFindings + 1);
  const last = findings.at(-1);
  assert.equal(last?.ruleId, 'analysis-limit');
  assert.match(
    last?.message ?? '',
    /first 10,000 findings of this file only: 5 more were left out/,
  );
});

test('the finding follows the settings: off, or another severity', () => {
  const code = `${SECRET}\u0000`;
  const off = analyze({
    text: code,
    settings: { ...DEFAULT_SETTINGS, rules: { 'analysis-limit': 'off' } },
  });
  assert.deepEqual(off.findings, []);
  const info = analyze({
    text: code,
    settings: { ...DEFAULT_SETTINGS, rules: { 'analysis-limit': 'info' } },
  });
  assert.deepEqual(
    info.findings.map((f) => f.severity),
    ['info'],
  );
});

test('a document-wide suppression silences it for that document', () => {
  const code = `# secret-guard-disable analysis-limit\n${laughsText}`;
  assert.deepEqual(findingsOf('analysis-limit', { code }), []);
});

test('no message holds a value of the file', () => {
  const value = 'hunter2-do-not-print';
  const texts = [
    `${SECRET}  v: ${value}\n\u0000`,
    `${laughsText}  v: ${value}\n`,
    `${nested(300).trimEnd()}\n  v: ${value}\n`,
  ];
  for (const text of texts) {
    const findings = analyze({ text }).findings.filter((f) => f.ruleId === 'analysis-limit');
    assert.equal(findings.length, 1);
    assert.ok(!findings[0]?.message.includes(value));
  }
});
