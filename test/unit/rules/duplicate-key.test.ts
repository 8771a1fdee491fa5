import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rule } from '../../../server/src/core/rules/duplicate-key';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';
import { checkFixProperties } from '../../helpers/secret-fix-check';

const ID = 'duplicate-key';
const SHADOWED = 'Remove the shadowed data entry';
const REPEATED = 'Remove the repeated entry';
const head = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n';

ruleTester(ID, {
  valid: [
    `${head}data:\n  user: YWRtaW4=\nstringData:\n  password: s3cret\n`,
    `${head}data:\n  a: eA==\n  A: eA==\n  a.b: eA==\n`,
    { name: 'stringData only', code: `${head}stringData:\n  a: x\n  b: x\n` },
    {
      name: 'merge keys are not repeated keys',
      code: `${head}data:\n  <<: {a: eA==}\n  <<: {b: eA==}\n  a: eQ==\nstringData:\n  <<: {c: x}\n`,
    },
    {
      name: 'the same key in two Secrets',
      code: `${head}data:\n  a: eA==\n---\n${head}stringData:\n  a: x\n`,
    },
    { name: 'not a Secret', code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: x\n  a: y\n' },
    {
      name: 'an empty stringData',
      code: `${head}data:\n  a: eA==\nstringData:\n`,
    },
    '{"apiVersion": "v1", "kind": "Secret", "data": {"a": "eA=="}, "stringData": {"b": "x"}}',
  ],
  invalid: [
    {
      name: 'a key in data and stringData: the data key is shadowed',
      code: `${head}data:\n  user: YWRtaW4=\n  password: b2xk\nstringData:\n  password: new\n`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 11,
          severity: 'warning',
          fixes: {
            [SHADOWED]: `${head}data:\n  user: YWRtaW4=\nstringData:\n  password: new\n`,
          },
        },
      ],
    },
    {
      name: 'the only data entry leaves an empty data map',
      code: `stringData:\n  token: new\ndata:\n  # old\n  token: b2xk\nkind: Secret\napiVersion: v1\n`,
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 8,
          fixes: {
            [SHADOWED]: `stringData:\n  token: new\ndata: {}\nkind: Secret\napiVersion: v1\n`,
          },
        },
      ],
    },
    {
      name: 'a key repeated in data with different values: an error, no fix',
      code: `${head}data:\n  a: eA==\n  b: eQ==\n  a: eg==\n`,
      errors: [{ line: 8, column: 3, endLine: 8, endColumn: 4, severity: 'error', fixes: {} }],
    },
    {
      name: 'repeated with the same value: the repeat can go',
      code: `${head}data:\n  a: eA==\n  b: eQ==\n  a: eA==  # pasted twice\n`,
      errors: [
        {
          line: 8,
          column: 3,
          endLine: 8,
          endColumn: 4,
          severity: 'error',
          fixes: { [REPEATED]: `${head}data:\n  a: eA==\n  b: eQ==\n` },
        },
      ],
    },
    {
      name: 'the same bytes written differently are the same value',
      code: `${head}data:\n  a: eA==\n  a: |\n    eA==\n`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 4,
          fixes: { [REPEATED]: `${head}data:\n  a: eA==\n` },
        },
      ],
    },
    {
      name: 'three times in stringData: each repeat',
      code: `${head}stringData:\n  a: x\n  a: y\n  a: x\n`,
      errors: [
        { line: 7, column: 3, endLine: 7, endColumn: 4, fixes: {} },
        // Not the same as every earlier one (y): no fix either.
        { line: 8, column: 3, endLine: 8, endColumn: 4, fixes: {} },
      ],
    },
    {
      name: 'keys compared as Kubernetes sees them: yes is "true"',
      code: `${head}data:\n  yes: eA==\n  "true": eQ==\n`,
      errors: [{ line: 7, column: 3, endLine: 7, endColumn: 9, severity: 'error' }],
    },
    {
      name: 'repeated in data and also in stringData: no single removal fixes it',
      code: `${head}data:\n  a: eA==\n  a: eQ==\nstringData:\n  a: x\n`,
      errors: [
        { line: 6, column: 3, endLine: 6, endColumn: 4, severity: 'warning', fixes: {} },
        { line: 7, column: 3, endLine: 7, endColumn: 4, severity: 'error', fixes: {} },
        { line: 7, column: 3, endLine: 7, endColumn: 4, severity: 'warning', fixes: {} },
      ],
    },
    {
      name: 'a Secret with two data fields',
      code: `${head}data:\n  a: eA==\ndata:\n  b: eQ==\n`,
      errors: [{ line: 7, column: 1, endLine: 7, endColumn: 5, severity: 'error', fixes: {} }],
    },
    {
      name: 'JSON: a repeated key and a shadowed one',
      code: '{"apiVersion": "v1", "kind": "Secret", "data": {"a": "eA==", "b": "eQ==", "b": "eg=="}, "stringData": {"a": "x"}}',
      errors: [
        {
          line: 1,
          column: 49,
          endLine: 1,
          endColumn: 52,
          severity: 'warning',
          fixes: {
            [SHADOWED]:
              '{"apiVersion": "v1", "kind": "Secret", "data": {"b": "eQ==", "b": "eg=="}, "stringData": {"a": "x"}}',
          },
        },
        { line: 1, column: 75, endLine: 1, endColumn: 78, severity: 'error', fixes: {} },
      ],
    },
    {
      name: 'every document of a file',
      code: `${head}data:\n  a: eA==\nstringData:\n  a: x\n---\n${head}stringData:\n  b: x\n  b: y\n`,
      errors: [
        { line: 6, column: 3, endLine: 6, endColumn: 4 },
        { line: 16, column: 3, endLine: 16, endColumn: 4 },
      ],
    },
  ],
});

describe(`${ID}: rule data, messages and fixes`, () => {
  test('id, severity and a one-line summary', () => {
    assert.equal(rule.id, ID);
    assert.equal(rule.severity, 'warning');
    assert.ok(rule.summary.length > 0 && !rule.summary.includes('\n'));
  });

  test('messages name the key, never a value', () => {
    const code = `${head}data:\n  password: aHVudGVyMg==\n  password: aHVudGVyMw==\nstringData:\n  password: hunter4\n`;
    const findings = findingsOf(ID, { code });
    assert.equal(findings.length, 3);
    for (const finding of findings) {
      assert.match(finding.message, /"password"/);
      assert.doesNotMatch(finding.message, /hunter|aHVudGVy/);
    }
  });

  test('removing the shadowed entry changes nothing Kubernetes stores', () => {
    const code = `${head}data:\n  # the user\n  user: YWRtaW4=\n  password: b2xk # old\n  host: ZGI=\nstringData:\n  password: new\n`;
    const fixed = checkFixProperties({ ruleId: ID, code, title: SHADOWED });
    assert.equal(
      fixed,
      `${head}data:\n  # the user\n  user: YWRtaW4=\n  host: ZGI=\nstringData:\n  password: new\n`,
    );
  });

  test('removing an identical repeat keeps every value', () => {
    const code = `${head}stringData:\n  a: x\n  # b\n  b: y\n  a: "x"\n`;
    const fixed = checkFixProperties({ ruleId: ID, code, title: REPEATED });
    assert.equal(fixed, `${head}stringData:\n  a: x\n  # b\n  b: y\n`);
  });

  test('a JSON fix keeps the other documents and values', () => {
    const code = `${head}data:\n  z: eg==\n---\n{"apiVersion": "v1", "kind": "Secret", "data": {"a": "eA==", "k": "aw=="}, "stringData": {"a": "x"}}\n`;
    checkFixProperties({ ruleId: ID, code, title: SHADOWED });
  });
});
