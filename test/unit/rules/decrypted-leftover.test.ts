import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GitStatus } from '../../../server/src/core/repo';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const untracked: GitStatus = { state: 'untracked', workTree: '/repo' };
const tracked: GitStatus = { state: 'tracked', workTree: '/repo' };

/** A Secret with one real value (line 2 holds `kind`). */
const SECRET =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: s3cr3t-Pa55\n';
const TWO_SECRETS = `${SECRET}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ndata:\n  token: dG9rZW4tdmFsdWU=\n  user: YWRtaW4=\n`;

const only =
  (...names: string[]) =>
  (name: string) =>
    names.includes(name);

ruleTester('decrypted-leftover', {
  valid: [
    {
      name: 'an ordinary file name',
      code: SECRET,
      path: '/repo/deploy/secret.yaml',
      git: untracked,
    },
    {
      name: 'a working copy that git ignores',
      code: SECRET,
      path: '/repo/deploy/.decrypted~secret.yaml',
      git: { state: 'ignored', workTree: '/repo' },
    },
    {
      name: 'a working copy outside a work tree',
      code: SECRET,
      path: '/tmp/.decrypted~secret.yaml',
      git: { state: 'outside' },
    },
    {
      name: 'git status unknown, even with scope "always"',
      code: SECRET,
      path: '/repo/secret.dec.yaml',
      settings: { plaintextInRepo: { scope: 'always' } },
    },
    {
      name: 'placeholders only',
      code: 'apiVersion: v1\nkind: Secret\nstringData:\n  password: changeme\n  token: "{{ .Values.token }}"\n',
      path: '/repo/secret.dec.yaml',
      git: untracked,
    },
    {
      name: 'no Secret in it',
      code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  password: s3cr3t\n',
      path: '/repo/values.dec.yaml',
      git: untracked,
    },
    {
      name: 'still SOPS-encrypted',
      code: `${SECRET}sops:\n  mac: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n  version: 3.9.0\n`,
      path: '/repo/secret.dec.yaml',
      git: untracked,
    },
    {
      name: '*.tmp.yaml with no file of the same base name beside it',
      code: SECRET,
      path: '/repo/secret.tmp.yaml',
      git: untracked,
      siblingExists: only('other.yaml'),
    },
    {
      name: '*.tmp.yaml when the adapter cannot tell about siblings',
      code: SECRET,
      path: '/repo/secret.tmp.yaml',
      git: untracked,
    },
    {
      name: 'a name that only contains "dec"',
      code: SECRET,
      path: '/repo/decoder.yaml',
      git: untracked,
    },
    { name: 'an unsaved buffer', code: SECRET, git: untracked },
  ],
  invalid: [
    {
      name: "the VS Code SOPS extension's working copy, untracked",
      code: SECRET,
      path: '/repo/deploy/.decrypted~secret.yaml',
      git: untracked,
      errors: [
        {
          line: 2,
          column: 7,
          endLine: 2,
          endColumn: 13,
          severity: 'warning',
          fixes: { 'Add this file to .gitignore': SECRET },
        },
      ],
    },
    {
      name: '*.dec.yml, tracked: no .gitignore fix',
      code: SECRET,
      path: '/repo/secret.dec.yml',
      git: tracked,
      errors: [{ line: 2, column: 7, endLine: 2, endColumn: 13, fixes: {} }],
    },
    {
      name: "helm-secrets' *.yaml.dec",
      code: SECRET,
      path: '/repo/helm_vars/secrets.yaml.dec',
      git: untracked,
      errors: [{ line: 2, column: 7, endLine: 2, endColumn: 13 }],
    },
    {
      name: '*.tmp.yaml beside a file of the same base name',
      code: SECRET,
      path: '/repo/secret.tmp.yaml',
      git: untracked,
      siblingExists: only('secret.yaml'),
      errors: [{ line: 2, column: 7, endLine: 2, endColumn: 13 }],
    },
    {
      name: 'one finding per Secret with real values, in a multi-document file',
      code: TWO_SECRETS,
      path: '/repo/.decrypted~secrets.yaml',
      git: untracked,
      errors: [
        { line: 2, column: 7, endLine: 2, endColumn: 13 },
        { line: 9, column: 7, endLine: 9, endColumn: 13 },
      ],
    },
    {
      name: 'a JSON manifest, kind after data',
      code: '{"data": {"token": "dG9rZW4tdmFsdWU="}, "apiVersion": "v1", "kind": "Secret"}',
      path: '/repo/secret.dec.json',
      git: untracked,
      errors: [{ line: 1, column: 69, endLine: 1, endColumn: 77 }],
    },
  ],
});

test('the fix appends this file, root-anchored, to the work tree .gitignore', () => {
  const [finding] = findingsOf('decrypted-leftover', {
    code: SECRET,
    path: '/repo/deploy/.decrypted~secret.yaml',
    git: untracked,
  });
  assert.deepEqual(finding?.fixes, [
    {
      title: 'Add this file to .gitignore',
      edits: [],
      otherFileEdits: [{ path: '/repo/.gitignore', appendLine: '/deploy/.decrypted~secret.yaml' }],
    },
  ]);
});

test('messages say what the name means and count values, never show them', () => {
  const messages = findingsOf('decrypted-leftover', {
    code: TWO_SECRETS,
    path: '/repo/.decrypted~secrets.yaml',
    git: untracked,
  }).map((finding) => finding.message);
  assert.deepEqual(messages, [
    "This file is named like a decrypted working copy (.decrypted~<name>, the VS Code SOPS extension's working copy) and Secret db in it holds 1 readable value; the file is not ignored by git: delete it or keep it out of the repository",
    "This file is named like a decrypted working copy (.decrypted~<name>, the VS Code SOPS extension's working copy) and Secret api in it holds 2 readable values; the file is not ignored by git: delete it or keep it out of the repository",
  ]);
  for (const message of messages) {
    assert.ok(!/s3cr3t|dG9rZW4|token-value|YWRtaW4|admin/.test(message), message);
  }
  const [temporary] = findingsOf('decrypted-leftover', {
    code: SECRET,
    path: '/repo/secret.tmp.yaml',
    git: untracked,
    siblingExists: only('secret.yml'),
  });
  assert.match(temporary?.message ?? '', /\(\*\.tmp\.yaml beside secret\.yml\)/);
});

test('a sibling appearing later is seen: the analysis cache records the answers', () => {
  const options = { code: SECRET, path: '/repo/cache.tmp.yaml', git: untracked };
  assert.equal(findingsOf('decrypted-leftover', { ...options, siblingExists: only() }).length, 0);
  assert.equal(
    findingsOf('decrypted-leftover', { ...options, siblingExists: only('cache.yaml') }).length,
    1,
  );
  assert.equal(findingsOf('decrypted-leftover', { ...options, siblingExists: only() }).length, 0);
});
