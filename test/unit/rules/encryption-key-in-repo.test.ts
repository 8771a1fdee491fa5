import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GitStatus } from '../../../server/src/core/repo';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'encryption-key-in-repo';
const untracked: GitStatus = { state: 'untracked', workTree: '/repo' };
const path = '/repo/control-plane/encryption.yaml';
const KEY = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpbXF1eX2A=';
const OTHER = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

const config = (providers: string): string =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n${providers}`;
const aescbc = (secret: string): string =>
  `      - aescbc:\n          keys:\n            - name: key1\n              secret: ${secret}\n`;

ruleTester(ID, {
  valid: [
    {
      name: 'ignored by git',
      code: config(aescbc(KEY)),
      path,
      git: { state: 'ignored', workTree: '/repo' },
    },
    { name: 'outside a work tree', code: config(aescbc(KEY)), path, git: { state: 'outside' } },
    { name: 'no path (unsaved buffer)', code: config(aescbc(KEY)) },
    {
      name: 'placeholders and templates only',
      code: config(
        aescbc('<BASE 64 ENCODED SECRET>') +
          '      - secretbox:\n          keys:\n            - name: k\n              secret: "{{ .Values.key }}"\n' +
          '      - aesgcm:\n          keys:\n            - name: k\n              secret: ${ENCRYPTION_KEY}\n',
      ),
      path,
      git: untracked,
    },
    {
      name: 'kms only: the key stays in the KMS',
      code: config(
        '      - kms:\n          apiVersion: v2\n          name: vault\n          endpoint: unix:///var/run/kms.sock\n',
      ),
      path,
      git: untracked,
    },
    {
      name: 'SOPS-encrypted file',
      code:
        config(aescbc('ENC[AES256_GCM,data:abc,type:str]')) +
        'sops:\n  mac: ENC[AES256_GCM,data:x]\n  version: 3.8.1\n',
      path,
      git: untracked,
    },
  ],
  invalid: [
    {
      name: 'untracked and not ignored: the first raw key',
      code: config(aescbc(KEY) + '      - identity: {}\n'),
      path,
      git: untracked,
      errors: [
        {
          line: 9,
          column: 15,
          endLine: 9,
          endColumn: 21,
          severity: 'warning',
          fixes: { 'Add this file to .gitignore': config(aescbc(KEY) + '      - identity: {}\n') },
        },
      ],
    },
    {
      name: 'tracked files warn too, without the .gitignore fix',
      code: config(aescbc(KEY)),
      path,
      git: { state: 'tracked', workTree: '/repo' },
      errors: [{ line: 9, column: 15, endLine: 9, endColumn: 21, fixes: {} }],
    },
    {
      name: 'scope always warns outside git',
      code: config(aescbc(KEY)),
      settings: { plaintextInRepo: { scope: 'always' } },
      errors: [{ line: 9, column: 15, endLine: 9, endColumn: 21 }],
    },
    {
      name: 'a key that is not even valid still counts, JSON manifest, kind last',
      code: '{"apiVersion": "apiserver.config.k8s.io/v1", "resources": [{"resources": ["configmaps"], "providers": [{"secretbox": {"keys": [{"name": "k", "secret": "not base64"}]}}]}], "kind": "EncryptionConfiguration"}',
      path,
      git: untracked,
      errors: [{ line: 1, column: 142, endLine: 1, endColumn: 150 }],
    },
  ],
});

test('one finding counts every raw key; the fix appends the file to the root .gitignore', () => {
  const code = config(
    aescbc(KEY) +
      `      - secretbox:\n          keys:\n            - name: a\n              secret: ${OTHER}\n            - name: b\n              secret: <NEW KEY>\n`,
  );
  const findings = findingsOf(ID, { code, path, git: untracked });
  assert.equal(findings.length, 1);
  const [finding] = findings;
  assert.ok(finding);
  assert.match(
    finding.message,
    /^EncryptionConfiguration holds 2 raw encryption keys and this file is not ignored by git/,
  );
  for (const secret of [KEY, OTHER, 'ABCDEF', '0123']) assert.ok(!finding.message.includes(secret));
  assert.deepEqual(finding.fixes, [
    {
      title: 'Add this file to .gitignore',
      edits: [],
      otherFileEdits: [{ path: '/repo/.gitignore', appendLine: '/control-plane/encryption.yaml' }],
    },
  ]);
});

test('a tracked file is told to leave the index and rotate the keys', () => {
  const [finding] = findingsOf(ID, {
    code: config(aescbc(KEY)),
    path,
    git: { state: 'tracked', workTree: '/repo' },
  });
  assert.match(finding?.message ?? '', /1 raw encryption key and this file is tracked by git/);
});
