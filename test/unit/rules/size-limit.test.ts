import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_SECRET_SIZE, rule } from '../../../server/src/core/rules/size-limit';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'size-limit';
const MiB = 1024 * 1024;
const head = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: big\n';
/** The base64 of `size` bytes of `x`. */
const encoded = (size: number): string => Buffer.alloc(size, 'x').toString('base64');
const plain = (size: number): string => 'x'.repeat(size);
/** Base64 wrapped as the `base64` tool writes it, indented for a block scalar. */
const wrapped = (base64: string): string =>
  (base64.match(/.{1,76}/g) ?? []).map((line) => `    ${line}`).join('\n');

ruleTester(ID, {
  valid: [
    { name: 'exactly 1 MiB in one value', code: `${head}data:\n  blob: ${encoded(MiB)}\n` },
    {
      name: 'exactly 1 MiB across data and stringData',
      code: `${head}data:\n  a: ${encoded(MiB - 10)}\nstringData:\n  b: ${plain(10)}\n`,
    },
    {
      name: 'exactly 1 MiB, no padding plus one plain byte',
      code: `${head}data:\n  a: ${encoded(MiB - 1)}\nstringData:\n  b: x\n`,
    },
    {
      name: 'exactly 1 MiB as a block wrapped at 76 columns',
      code: `${head}data:\n  a: |\n${wrapped(encoded(MiB))}\n`,
    },
    {
      name: 'keys do not count',
      code: `${head}stringData:\n  ${'k'.repeat(200)}: ${plain(MiB)}\n`,
    },
    {
      name: 'a data value shadowed by stringData does not count',
      code: `${head}data:\n  a: ${encoded(MiB)}\nstringData:\n  a: small\n  b: ${plain(100)}\n`,
    },
    {
      name: 'a repeated key counts once, with its last value',
      code: `${head}data:\n  a: ${encoded(MiB)}\n  a: eA==\n  b: ${encoded(100)}\n`,
    },
    {
      name: 'a value that does not decode counts as empty (invalid-base64 reports it)',
      code: `${head}data:\n  a: ${encoded(MiB)} broken\n  b: ${encoded(100)}\n`,
    },
    {
      name: 'templated values have no known size',
      code: `${head}data:\n  a: "{{ .Files.Get \\"big.bin\\" | b64enc }}"\n  b: ${encoded(MiB)}\n`,
    },
    {
      name: 'not a Secret',
      code: `apiVersion: v1\nkind: ConfigMap\ndata:\n  a: ${plain(MiB + 1)}\n`,
    },
  ],
  invalid: [
    {
      name: 'one byte over, in data: reported on the data key',
      code: `${head}type: Opaque\ndata:\n  blob: ${encoded(MiB + 1)}\n`,
      errors: [{ line: 6, column: 1, endLine: 6, endColumn: 5, severity: 'error', fixes: {} }],
    },
    {
      name: 'one byte over, no padding plus two plain bytes',
      code: `${head}data:\n  a: ${encoded(MiB - 1)}\nstringData:\n  b: xy\n`,
      errors: [{ line: 5, column: 1, endLine: 5, endColumn: 5 }],
    },
    {
      name: 'one byte over, as a wrapped block',
      code: `${head}data:\n  a: |\n${wrapped(encoded(MiB + 1))}\n`,
      errors: [{ line: 5, column: 1, endLine: 5, endColumn: 5 }],
    },
    {
      name: 'stringData counts UTF-8 bytes, not characters',
      code: `${head}stringData:\n  text: ${'é'.repeat(MiB / 2 + 1)}\n`,
      errors: [{ line: 5, column: 1, endLine: 5, endColumn: 11 }],
    },
    {
      name: 'data and stringData together',
      code: `${head}stringData:\n  b: ${plain(MiB / 2)}\ndata:\n  a: ${encoded(MiB / 2 + 1)}\n`,
      errors: [{ line: 7, column: 1, endLine: 7, endColumn: 5 }],
    },
    {
      name: 'many small values',
      code: `${head}data:\n${Array.from({ length: 17 }, (_, i) => `  k${i}: ${encoded(64 * 1024)}\n`).join('')}`,
      errors: [{ line: 5, column: 1, endLine: 5, endColumn: 5 }],
    },
    {
      name: 'JSON manifest, kind last',
      code: `{"data": {"a": "${encoded(MiB + 1)}"}, "apiVersion": "v1", "kind": "Secret"}`,
      errors: [{ line: 1, column: 2, endLine: 1, endColumn: 8 }],
    },
    {
      name: 'the second document of a file',
      code: `${head}data:\n  a: eA==\n---\n${head}data:\n  a: ${encoded(MiB + 1)}\n`,
      errors: [{ line: 12, column: 1, endLine: 12, endColumn: 5 }],
    },
  ],
});

describe(`${ID}: rule data and messages`, () => {
  test('id, severity, summary and the limit', () => {
    assert.equal(rule.id, ID);
    assert.equal(rule.severity, 'error');
    assert.ok(rule.summary.length > 0 && !rule.summary.includes('\n'));
    assert.equal(MAX_SECRET_SIZE, 1_048_576);
  });

  test('the message gives the total, the limit and the largest key, never a value', () => {
    const value = 'hunter2-'.repeat(MiB / 8);
    const code = `${head}stringData:\n  small: tiny-secret\n  bundle.pem: ${value}\n`;
    const [finding] = findingsOf(ID, { code });
    assert.ok(finding);
    const total = MiB + 'tiny-secret'.length;
    assert.match(finding.message, /1\.001 MiB \(1,048,587 bytes\)/);
    assert.equal(total, 1_048_587);
    assert.match(finding.message, /1 MiB limit \(1,048,576 bytes\)/);
    assert.match(finding.message, /largest is stringData\.bundle\.pem \(1,048,576 bytes\)/);
    assert.doesNotMatch(finding.message, /hunter2|tiny-secret/);
  });

  test('a large total is given in MiB, rounded up', () => {
    const code = `${head}data:\n  a: ${encoded(3 * MiB + 1)}\n`;
    const [finding] = findingsOf(ID, { code });
    assert.match(finding?.message ?? '', /3\.001 MiB \(3,145,729 bytes\)/);
  });
});
