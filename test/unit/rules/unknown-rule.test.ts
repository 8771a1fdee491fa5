import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleTester, findingsOf } from '../../helpers/rule-tester';

const bad = 'apiVersion: v1\nkind: Secret\ndata:\n  password: not base64\n';

ruleTester('unknown-rule', {
  valid: [
    `# secret-guard-disable invalid-base64\n${bad}`,
    `apiVersion: v1\nkind: Secret\ndata:\n  # secret-guard-disable-next-line invalid-base64, non-string-value\n  password: not base64\n`,
  ],
  invalid: [
    {
      name: 'a misspelt id in a next-line comment',
      code: 'apiVersion: v1\nkind: Secret\ndata:\n  # secret-guard-disable-next-line invalid-base46\n  password: x\n',
      errors: [{ line: 4, column: 36, endLine: 4, endColumn: 50 }],
    },
    {
      name: 'an unknown id beside a known one in a document comment',
      code: `---\n# secret-guard-disable invalid-base64, nope\n${bad}`,
      errors: [{ line: 2, column: 40, endLine: 2, endColumn: 44 }],
    },
  ],
});

test('disable-next-line silences only the named rule on the next line', () => {
  const code =
    'apiVersion: v1\nkind: Secret\ndata:\n  # secret-guard-disable-next-line invalid-base64\n  a: not base64\n  b: not base64\n';
  assert.deepEqual(
    findingsOf('invalid-base64', { code }).map((f) => code.slice(f.start, f.end)),
    ['not base64'],
  );
  assert.equal(findingsOf('invalid-base64', { code }).length, 1);
});

test('a document-wide disable applies to its own document only', () => {
  const code = `# secret-guard-disable invalid-base64\n${bad}---\n${bad}`;
  const findings = findingsOf('invalid-base64', { code });
  assert.equal(findings.length, 1);
  assert.ok((findings[0]?.start ?? 0) > code.indexOf('---'));
});

test('a disable comment after the content starts is not document-wide', () => {
  const code = `${bad}# secret-guard-disable invalid-base64\n`;
  assert.equal(findingsOf('invalid-base64', { code }).length, 1);
});

test('a disable comment inside a value is not a directive', () => {
  const code =
    'apiVersion: v1\nkind: Secret\ndata:\n  a: "x#secret-guard-disable-next-line invalid-base64"\n  b: not base64\n';
  assert.equal(findingsOf('invalid-base64', { code }).length, 2);
});
