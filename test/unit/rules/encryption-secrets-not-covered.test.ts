import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'encryption-secrets-not-covered';
const KMS = '{kms: {apiVersion: v2, name: k, endpoint: "unix:///k.sock"}}';

const config = (resources: string): string =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n${resources}`;
const entry = (names: string): string => `  - resources: ${names}\n    providers: [${KMS}]\n`;

ruleTester(ID, {
  valid: [
    { name: 'secrets', code: config(entry('[configmaps, secrets]')) },
    { name: '*. (every core resource)', code: config(entry('["*."]')) },
    { name: '*.* (every resource)', code: config(entry('[events]') + entry('["*.*"]')) },
    { name: 'secrets. (the same group-resource)', code: config(entry('[secrets.]')) },
    {
      name: 'covered in a later entry, block list',
      code: config(
        entry('[configmaps]') +
          '  - resources:\n      - secrets\n    providers:\n      - identity: {}\n',
      ),
    },
    {
      name: 'not an EncryptionConfiguration',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  resources: configmaps\n',
    },
  ],
  invalid: [
    {
      name: 'configmaps only: the resources key',
      code: config(entry('[configmaps]')),
      errors: [{ line: 3, column: 1, endLine: 3, endColumn: 10, severity: 'warning' }],
    },
    {
      name: 'other groups and a group-qualified secrets',
      code: config(entry('["*.apps", secrets.example.com, "*.events.k8s.io"]')),
      errors: [{ line: 3, column: 1, endLine: 3, endColumn: 10 }],
    },
    {
      name: 'a bare * is refused by the API server',
      code: config(entry('["*"]')),
      errors: [{ line: 3, column: 1, endLine: 3, endColumn: 10 }],
    },
    {
      name: 'Secrets is not secrets',
      code: config(entry('[Secrets]')),
      errors: [{ line: 3, column: 1, endLine: 3, endColumn: 10 }],
    },
    {
      name: 'an empty resources list',
      code: config('  []\n').replace('resources:\n  []', 'resources: []'),
      errors: [{ line: 3, column: 1, endLine: 3, endColumn: 10 }],
    },
    {
      name: 'no resources at all: the kind value',
      code: 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n',
      errors: [{ line: 2, column: 7, endLine: 2, endColumn: 30 }],
    },
    {
      name: 'JSON manifest, kind last',
      code: '{"apiVersion": "apiserver.config.k8s.io/v1", "resources": [{"resources": ["configmaps"], "providers": [{"identity": {}}]}], "kind": "EncryptionConfiguration"}',
      errors: [{ line: 1, column: 46, endLine: 1, endColumn: 57 }],
    },
    {
      name: 'second document',
      code:
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n---\n' +
        config(entry('[configmaps]')),
      errors: [{ line: 8, column: 1, endLine: 8, endColumn: 10 }],
    },
  ],
});

test('the message hints at a bare * and at capital letters', () => {
  const [star] = findingsOf(ID, { code: config(entry('["*"]')) });
  assert.match(star?.message ?? '', /a bare \* is refused: use \*\. or \*\.\*/);
  const [capital] = findingsOf(ID, { code: config(entry('[Secrets]')) });
  assert.match(capital?.message ?? '', /resource names are lowercase/);
  const [plain] = findingsOf(ID, { code: config(entry('[configmaps]')) });
  assert.match(plain?.message ?? '', /^No resources entry covers secrets/);
  assert.doesNotMatch(plain?.message ?? '', /\(a bare|lowercase/);
});
