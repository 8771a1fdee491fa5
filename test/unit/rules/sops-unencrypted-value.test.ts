import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';
import { REPO_ROOT } from '../../helpers/paths';

/** A value as sops writes it (from flux's testdata/sops/algorithms/age.yaml). */
const ENC =
  'ENC[AES256_GCM,data:mHeXsmQ=,iv:vUMpILz3xchORqkzDFvgwENY7EqIHHGJdEF6C8xqbFE=,tag:IroV7hykADvD0IUaq6kikA==,type:str]';
const MAC =
  'ENC[AES256_GCM,data:vmrF+VgW3o8z4h/DOStCUNudz68yHEC8Mws+LPoKpM3Xc7GM0Z1CfX0TKwdLLjMuvyWa2Nx2NIxm0+MCbmR8+y2izn0hHPSWhNVCWSK+iW48M05vXhDCV0xNkqM7g0kLhQ3PiSrB69loQj8C590HIfEViEtyDCFUeynDgcC289Q=,iv:u5lhmtXMxyt+3Pw09wWvgBhmKLoOSpKNWUpu/LuCr3Y=,tag:Dg0HFdLgQltzPgnEmltAzQ==,type:str]';

/** The `sops:` metadata block; `rules` are extra lines such as `  encrypted_regex: ...\n`. */
const sops = (rules = ''): string =>
  `sops:\n  kms: []\n  age:\n    - recipient: age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29\n      enc: |\n        -----BEGIN AGE ENCRYPTED FILE-----\n        YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBZeHVSdjJoY3ZSQjJzbk1q\n        -----END AGE ENCRYPTED FILE-----\n  lastmodified: "2024-11-12T13:33:42Z"\n  mac: ${MAC}\n${rules}  version: 3.9.0\n`;

/** A Secret named db whose lines 5.. are `body`, followed by the metadata. */
const secret = (body: string, rules = ''): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n${body}${sops(rules)}`;

const FLUX_RULES = '  encrypted_regex: ^(data|stringData)$\n';

ruleTester('sops-unencrypted-value', {
  valid: [
    {
      name: 'every value encrypted (Flux layout)',
      code: secret(`stringData:\n  key: ${ENC}\n`, FLUX_RULES),
    },
    {
      name: 'default suffix: a key ending with _unencrypted stays plain',
      code: secret(`data:\n  password: ${ENC}\n  username_unencrypted: YWRtaW4=\n`),
    },
    {
      name: 'an explicit unencrypted_suffix',
      code: secret(
        `stringData:\n  password: ${ENC}\n  host-plain: db.local\n`,
        '  unencrypted_suffix: -plain\n',
      ),
    },
    {
      name: 'encrypted_suffix: keys without it are not encrypted',
      code: secret(
        `stringData:\n  host: db.local\n  password_secret: ${ENC}\n`,
        '  encrypted_suffix: _secret\n',
      ),
    },
    {
      name: 'unencrypted_regex',
      code: secret(
        `stringData:\n  public.crt: not secret\n  tls.key: ${ENC}\n`,
        '  unencrypted_regex: ^public\n',
      ),
    },
    {
      name: 'encrypted_regex that does not select stringData',
      code: secret(`stringData:\n  host: db.local\n`, '  encrypted_regex: ^password$\n'),
    },
    {
      name: 'empty strings and nulls are left as they are by sops',
      code: secret(`stringData:\n  empty: ""\n  none:\n  password: ${ENC}\n`),
    },
    {
      name: 'unencrypted_comment_regex: a marked key stays plain',
      code: secret(
        `stringData:\n  # sops:plain\n  host: db.local\n  password: ${ENC}\n`,
        '  unencrypted_comment_regex: sops:plain\n',
      ),
    },
    {
      name: 'encrypted_comment_regex: only marked keys are encrypted',
      code: secret(
        `stringData:\n  host: db.local\n  password: ${ENC} # sops:enc\n`,
        '  encrypted_comment_regex: sops:enc\n',
      ),
    },
    {
      name: 'a Go-only regex is not guessed at',
      code: secret(`stringData:\n  host: db.local\n`, '  encrypted_regex: \\Astring\n'),
    },
    {
      name: 'no mac: not a SOPS-encrypted file',
      code: 'apiVersion: v1\nkind: Secret\nstringData:\n  password: hunter2\nsops:\n  version: 3.9.0\n',
    },
    {
      name: 'not a SOPS file at all',
      code: 'apiVersion: v1\nkind: Secret\nstringData:\n  password: hunter2\n',
    },
    {
      name: 'a ConfigMap in a SOPS file is not a Secret',
      code: `apiVersion: v1\nkind: ConfigMap\ndata:\n  host: db.local\n${sops()}`,
    },
    {
      name: 'a JSON file encrypted with the default rules',
      code: `{"apiVersion": "v1", "kind": "Secret", "data": {"password": "${ENC}"}, "sops": {"mac": "${MAC}", "version": "3.9.0"}}`,
    },
    {
      name: 'a document without its own metadata is skipped',
      code: `${secret(`stringData:\n  key: ${ENC}\n`)}---\napiVersion: v1\nkind: Secret\nstringData:\n  other: plain\n`,
    },
  ],
  invalid: [
    {
      name: 'a value edited after encryption (Flux layout)',
      code: secret('stringData:\n  key: hunter2\n', FLUX_RULES),
      errors: [{ line: 6, column: 8, endLine: 6, endColumn: 15, severity: 'error' }],
    },
    {
      name: 'default rules: a data value pasted in plain',
      code: secret(`data:\n  username: YWRtaW4=\n  password: ${ENC}\n`),
      errors: [{ line: 6, column: 13, endLine: 6, endColumn: 21 }],
    },
    {
      name: 'placeholders and numbers are flagged too: sops would have encrypted them',
      code: secret(`stringData:\n  token: changeme\n  port: 5432\n  password: ${ENC}\n`),
      errors: [
        { line: 6, column: 10, endLine: 6, endColumn: 18 },
        { line: 7, column: 9, endLine: 7, endColumn: 13 },
      ],
    },
    {
      name: 'a suffix on another key does not exempt this one',
      code: secret(`stringData:\n  username_unencrypted: admin\n  password: hunter2\n`),
      errors: [{ line: 7, column: 13, endLine: 7, endColumn: 20 }],
    },
    {
      name: 'encrypted_suffix selects the key',
      code: secret(
        `stringData:\n  host: db.local\n  password_secret: hunter2\n`,
        '  encrypted_suffix: _secret\n',
      ),
      errors: [{ line: 7, column: 20, endLine: 7, endColumn: 27 }],
    },
    {
      name: 'encrypted_comment_regex selects the marked key',
      code: secret(
        `stringData:\n  host: db.local\n  # sops:enc\n  password: hunter2\n`,
        '  encrypted_comment_regex: sops:enc\n',
      ),
      errors: [{ line: 8, column: 13, endLine: 8, endColumn: 20 }],
    },
    {
      name: 'a quoted value, kind after data',
      code: `data:\n  password: "aHVudGVyMg=="\napiVersion: v1\nkind: Secret\n${sops(FLUX_RULES)}`,
      errors: [{ line: 2, column: 13, endLine: 2, endColumn: 27 }],
    },
    {
      name: 'a JSON manifest with kind last',
      code: `{\n  "data": {"password": "aHVudGVyMg=="},\n  "sops": {"mac": "${MAC}", "encrypted_regex": "^(data|stringData)$"},\n  "apiVersion": "v1",\n  "kind": "Secret"\n}\n`,
      errors: [{ line: 2, column: 24, endLine: 2, endColumn: 38 }],
    },
    {
      name: 'the second document of a multi-document file',
      code: `${secret(`stringData:\n  key: ${ENC}\n`, FLUX_RULES)}---\n${secret('stringData:\n  key: hunter2\n', FLUX_RULES)}`,
      errors: [{ line: 25, column: 8, endLine: 25, endColumn: 15 }],
    },
    {
      name: 'a Secret inside a List (path items.data.<key>)',
      code: `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    data:\n      password: aHVudGVyMg==\n${sops(FLUX_RULES)}`,
      errors: [{ line: 7, column: 17, endLine: 7, endColumn: 29 }],
    },
  ],
});

test('the message names the key and the rule in force, never the value', () => {
  const [finding] = findingsOf('sops-unencrypted-value', {
    code: secret('stringData:\n  key: hunter2\n', FLUX_RULES),
  });
  assert.equal(
    finding?.message,
    'stringData.key is not encrypted, but the rules of this SOPS-encrypted file (encrypted_regex "^(data|stringData)$") say it should be: the value is readable and sops --decrypt fails on it; encrypt the file again',
  );
  const [byDefault] = findingsOf('sops-unencrypted-value', {
    code: secret(`data:\n  username: YWRtaW4=\n  password: ${ENC}\n`),
  });
  assert.match(byDefault?.message ?? '', /\(default unencrypted_suffix "_unencrypted"\)/);
  for (const message of [finding?.message, byDefault?.message]) {
    assert.ok(!/hunter2|YWRtaW4|admin/.test(message ?? ''), message);
  }
});

/** Real SOPS files from the shared corpus (read in place when it is there). */
const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpus');
const CORPUS_FILES = [
  'flux-kustomize-controller/internal/controller/testdata/sops/algorithms/age.yaml',
  'flux-kustomize-controller/internal/controller/testdata/sops/algorithms/pgp.yaml',
  'flux-kustomize-controller/internal/controller/testdata/sops/global/secret.yaml',
  'flux-kustomize-controller/internal/controller/testdata/sops/inside/secret.yaml',
  'flux-kustomize-controller/internal/controller/testdata/sops/patches/merge1.yaml',
  'flux-kustomize-controller/internal/controller/testdata/sops/patches/merge2.yaml',
  'sops/example.yaml',
  'sops/example.json',
];

test('real SOPS-encrypted files stay silent; editing one value makes them fire', (t) => {
  if (!existsSync(CORPUS)) {
    t.skip('the shared corpus is not beside the project');
    return;
  }
  for (const file of CORPUS_FILES) {
    const path = join(CORPUS, file);
    if (!existsSync(path)) continue;
    const code = readFileSync(path, 'utf8');
    assert.deepEqual(findingsOf('sops-unencrypted-value', { code }), [], file);
    // inside/secret.yaml holds a SOPS file as a base64 value: it is not SOPS-encrypted itself.
    if (!code.includes('kind: Secret') || !/^sops:/m.test(code)) continue;
    // Decrypt one value by hand, as someone editing without sops would.
    const edited = code.replace(/^(\s+\w+: )ENC\[[^\]]*\]/m, '$1plain-text');
    assert.equal(findingsOf('sops-unencrypted-value', { code: edited }).length, 1, file);
  }
});
