import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleTester, findingsOf } from '../../helpers/rule-tester';
import type { GitStatus } from '../../../server/src/core/repo';

const untracked: GitStatus = { state: 'untracked', workTree: '/repo' };
const path = '/repo/deploy/db-secret.yaml';
const secret = (body: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n${body}`;

// A value holding a whole SOPS-encrypted file, in the formats SOPS writes.
const sopsJson =
  '{\n\t"password": "ENC[AES256_GCM,data:rHLw,type:str]",\n\t"sops": {\n\t\t"mac": "ENC[AES256_GCM,data:0Kw1,type:str]"\n\t}\n}\n';
const sopsDotenv =
  'TOKEN=ENC[AES256_GCM,data:x,type:str]\nsops_mac=ENC[AES256_GCM,data:y,type:str]\n';
const sopsYaml =
  'token: ENC[AES256_GCM,data:x,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:y,type:str]\n';
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const indent = (text: string): string => text.replace(/^(?=.)/gm, '    ');

ruleTester('plaintext-in-repo', {
  valid: [
    {
      name: 'ignored by git',
      code: secret('data:\n  password: aGVsbG8=\n'),
      path,
      git: { state: 'ignored', workTree: '/repo' },
    },
    {
      name: 'outside a work tree',
      code: secret('data:\n  password: aGVsbG8=\n'),
      path,
      git: { state: 'outside' },
    },
    {
      name: 'placeholders only',
      code: secret(
        'stringData:\n  password: changeme\n  token: "{{ .Values.token }}"\n  key: ${KEY}\n  x: <your-password>\n',
      ),
      path,
      git: untracked,
    },
    {
      name: 'base64 of a placeholder',
      code: secret('data:\n  password: Y2hhbmdlbWU=\n  empty: ""\n'),
      path,
      git: untracked,
    },
    {
      name: 'SOPS-encrypted file',
      code: secret(
        'stringData:\n  password: ENC[AES256_GCM,data:abc,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:x]\n  version: 3.8.1\n',
      ),
      path,
      git: untracked,
    },
    {
      name: 'values that are SOPS-encrypted documents (Flux decrypts them inside a Secret)',
      code: secret(
        `data:\n  secrets.json: ${b64(sopsJson)}\nstringData:\n  app.env: |\n${indent(sopsDotenv)}  config.yaml: |\n${indent(sopsYaml)}`,
      ),
      path,
      git: untracked,
    },
    {
      name: 'a SealedSecret',
      code: 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec:\n  encryptedData:\n    password: AgBy8hCi\n',
      path,
      git: untracked,
    },
    {
      name: 'no path (unsaved buffer) and git scope',
      code: secret('data:\n  password: aGVsbG8=\n'),
    },
  ],
  invalid: [
    {
      name: 'untracked and not ignored',
      code: secret('data:\n  password: aGVsbG8=\n  user: YWRtaW4=\n'),
      path,
      git: untracked,
      errors: [{ line: 5, column: 1, endLine: 5, endColumn: 5 }],
    },
    {
      name: 'a value that only mentions SOPS is still readable',
      code: secret('stringData:\n  notes: "encrypt with sops; the mac is checked"\n'),
      path,
      git: untracked,
      errors: [{ line: 5, column: 1, endLine: 5, endColumn: 11 }],
    },
    {
      name: 'stringData only, kind after the values',
      code: 'stringData:\n  password: hunter2\nkind: Secret\napiVersion: v1\n',
      path,
      git: untracked,
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 11 }],
    },
    {
      name: 'JSON manifest',
      code: '{"apiVersion": "v1", "kind": "Secret", "data": {"password": "aGVsbG8="}}',
      path,
      git: untracked,
      errors: [{ line: 1, column: 40, endLine: 1, endColumn: 46 }],
    },
    {
      name: 'tracked files warn too',
      code: secret('data:\n  password: aGVsbG8=\n'),
      path,
      git: { state: 'tracked', workTree: '/repo' },
      errors: [{ line: 5, column: 1, endLine: 5, endColumn: 5 }],
    },
    {
      name: 'scope always warns outside git',
      code: secret('data:\n  password: aGVsbG8=\n'),
      settings: { plaintextInRepo: { scope: 'always' } },
      errors: [{ line: 5, column: 1, endLine: 5, endColumn: 5 }],
    },
  ],
});

test('the message counts the values and the fix appends the file to the root .gitignore', () => {
  const [finding] = findingsOf('plaintext-in-repo', {
    code: secret('data:\n  password: aGVsbG8=\n  user: YWRtaW4=\nstringData:\n  extra: hunter2\n'),
    path,
    git: untracked,
  });
  assert.ok(finding);
  assert.match(finding.message, /3 readable values/);
  assert.deepEqual(finding.fixes, [
    {
      title: 'Add this file to .gitignore',
      edits: [],
      otherFileEdits: [{ path: '/repo/.gitignore', appendLine: '/deploy/db-secret.yaml' }],
    },
  ]);
});

test('a tracked file gets no .gitignore fix: ignoring it would change nothing', () => {
  const [finding] = findingsOf('plaintext-in-repo', {
    code: secret('data:\n  password: aGVsbG8=\n'),
    path,
    git: { state: 'tracked', workTree: '/repo' },
  });
  assert.ok(finding);
  assert.deepEqual(finding.fixes ?? [], []);
  assert.match(finding.message, /tracked/);
});
