import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encryptionConfigOf } from '../../../server/src/core/encryption-config';
import { objectsOf } from '../../../server/src/core/model';
import { parseFile } from '../../../server/src/core/parse';
import { applyEdits } from '../../helpers/apply-edits';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'encryption-identity-first';
const MOVE = 'Move identity last';
const KEY = 'c2VjcmV0IGlzIHNlY3VyZQ==';
const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

const config = (resources: string): string =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n${resources}`;

/** The KICS case: identity first, a real provider after it. */
const kicsCase = config(
  '  - resources:\n      - secrets\n    providers:\n      - identity: {}\n      - aesgcm:\n          keys:\n            - name: key1\n              secret: c2VjcmV0IGlzIHNlY3VyZQ==\n',
);

const json = `{
  "kind": "EncryptionConfiguration",
  "apiVersion": "apiserver.config.k8s.io/v1",
  "resources": [
    {
      "resources": ["secrets"],
      "providers": [
        {"identity": {}},
        {"kms": {"apiVersion": "v2", "name": "k", "endpoint": "unix:///k.sock"}}
      ]
    }
  ]
}
`;

const commented = config(
  '  - resources: [secrets, configmaps]\n' +
    '    providers:\n' +
    '      # plain text first, for the migration\n' +
    '      - identity: {} # no encryption\n' +
    '      - aescbc:\n' +
    '          keys:\n' +
    '            - name: key1\n' +
    `              secret: ${KEY}\n` +
    '            # - name: old\n' +
    '\n' +
    '      - kms:\n' +
    '          apiVersion: v2\n' +
    '          name: vault\n' +
    '          endpoint: unix:///var/run/kms.sock\n' +
    '  # the rest\n',
);

ruleTester(ID, {
  valid: [
    {
      name: 'identity last',
      code: config(
        `  - resources: [secrets]\n    providers:\n      - aesgcm:\n          keys:\n            - {name: k, secret: ${KEY}}\n      - identity: {}\n`,
      ),
    },
    {
      name: 'identity first for configmaps only',
      code: config(
        `  - resources: [configmaps]\n    providers:\n      - identity: {}\n  - resources: [secrets]\n    providers:\n      - secretbox:\n          keys:\n            - {name: k, secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=}\n`,
      ),
    },
    {
      name: 'the first entry covering secrets wins: a later *.* with identity first is for other resources',
      code: config(
        '  - resources: [secrets]\n    providers:\n      - kms: {apiVersion: v2, name: k, endpoint: "unix:///k.sock"}\n  - resources: ["*.*"]\n    providers:\n      - identity: {}\n',
      ),
    },
    {
      name: 'a group wildcard of another group',
      code: config('  - resources: ["*.apps"]\n    providers:\n      - identity: {}\n'),
    },
    {
      name: 'a null identity is no provider at all',
      code: config(
        '  - resources: [secrets]\n    providers:\n      - identity:\n      - kms: {apiVersion: v2, name: k, endpoint: "unix:///k.sock"}\n',
      ),
    },
    {
      name: 'apiserver.config.k8s.io/v1beta1 does not register EncryptionConfiguration',
      code: 'apiVersion: apiserver.config.k8s.io/v1beta1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - identity: {}\n',
    },
  ],
  invalid: [
    {
      name: 'KICS passes an EncryptionConfiguration whose first provider is identity',
      code: kicsCase,
      errors: [
        {
          line: 7,
          column: 9,
          endLine: 7,
          endColumn: 21,
          severity: 'error',
          fixes: {
            [MOVE]: config(
              '  - resources:\n      - secrets\n    providers:\n      - aesgcm:\n          keys:\n            - name: key1\n              secret: c2VjcmV0IGlzIHNlY3VyZQ==\n      - identity: {}\n',
            ),
          },
        },
      ],
    },
    {
      name: 'the identity item moves with its comments, the gap and the trailing comments stay',
      code: commented,
      errors: [
        {
          line: 7,
          column: 9,
          endLine: 7,
          endColumn: 21,
          fixes: {
            [MOVE]: config(
              '  - resources: [secrets, configmaps]\n' +
                '    providers:\n' +
                '      - aescbc:\n' +
                '          keys:\n' +
                '            - name: key1\n' +
                `              secret: ${KEY}\n` +
                '            # - name: old\n' +
                '\n' +
                '      - kms:\n' +
                '          apiVersion: v2\n' +
                '          name: vault\n' +
                '          endpoint: unix:///var/run/kms.sock\n' +
                '      # plain text first, for the migration\n' +
                '      - identity: {} # no encryption\n' +
                '  # the rest\n',
            ),
          },
        },
      ],
    },
    {
      name: 'identity alone: nothing to move behind',
      code: config('  - resources: ["*."]\n    providers:\n      - identity: {}\n'),
      errors: [{ line: 6, column: 9, endLine: 6, endColumn: 21, fixes: {} }],
    },
    {
      name: 'two identity providers first: moving one would not help',
      code: config(
        `  - resources: ["*.*"]\n    providers:\n      - identity: {}\n      - identity: {}\n      - aesgcm: {keys: [{name: k, secret: ${KEY}}]}\n`,
      ),
      errors: [{ line: 6, column: 9, endLine: 6, endColumn: 21, fixes: {} }],
    },
    {
      name: 'the first covering entry applies: *. before *.*',
      code: config(
        `  - resources: ["*."]\n    providers:\n      - identity: {}\n      - aesgcm: {keys: [{name: k, secret: ${KEY}}]}\n  - resources: ["*.*"]\n    providers:\n      - aesgcm: {keys: [{name: k, secret: ${KEY}}]}\n`,
      ),
      errors: [
        {
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 21,
          fixes: {
            [MOVE]: config(
              `  - resources: ["*."]\n    providers:\n      - aesgcm: {keys: [{name: k, secret: ${KEY}}]}\n      - identity: {}\n  - resources: ["*.*"]\n    providers:\n      - aesgcm: {keys: [{name: k, secret: ${KEY}}]}\n`,
            ),
          },
        },
      ],
    },
    {
      name: 'secrets. is the core-group secrets too',
      code: config(
        `  - resources: [secrets.]\n    providers: [{identity: {}}, {aesgcm: {keys: [{name: k, secret: ${KEY}}]}}]\n`,
      ),
      errors: [
        {
          line: 5,
          column: 17,
          endLine: 5,
          endColumn: 31,
          fixes: {
            [MOVE]: config(
              `  - resources: [secrets.]\n    providers: [{aesgcm: {keys: [{name: k, secret: ${KEY}}]}}, {identity: {}}]\n`,
            ),
          },
        },
      ],
    },
    {
      name: 'JSON manifest, kind first: the list stays one item a line',
      code: json,
      errors: [
        {
          line: 8,
          column: 9,
          endLine: 8,
          endColumn: 25,
          fixes: {
            [MOVE]: json.replace(
              '        {"identity": {}},\n        {"kms": {"apiVersion": "v2", "name": "k", "endpoint": "unix:///k.sock"}}\n',
              '        {"kms": {"apiVersion": "v2", "name": "k", "endpoint": "unix:///k.sock"}},\n        {"identity": {}}\n',
            ),
          },
        },
      ],
    },
    {
      name: 'legacy v1 EncryptionConfig, CRLF, no final newline, kind after the resources',
      code: crlf(
        `resources:\n- resources:\n  - secrets\n  providers:\n  - identity: {}\n  - aesgcm:\n      keys:\n      - name: k\n        secret: ${KEY}\nkind: EncryptionConfig\napiVersion: v1`,
      ),
      errors: [
        {
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 17,
          fixes: {
            [MOVE]: crlf(
              `resources:\n- resources:\n  - secrets\n  providers:\n  - aesgcm:\n      keys:\n      - name: k\n        secret: ${KEY}\n  - identity: {}\nkind: EncryptionConfig\napiVersion: v1`,
            ),
          },
        },
      ],
    },
    {
      name: 'last document of a file, providers last in the file without a final newline',
      code:
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n' +
        config(
          '- resources: [secrets]\n  providers:\n  - identity: {}\n  - kms:\n      apiVersion: v2\n      name: b\n      endpoint: unix:///x',
        ),
      errors: [
        {
          line: 11,
          column: 5,
          endLine: 11,
          endColumn: 17,
          fixes: {
            [MOVE]:
              'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n' +
              config(
                '- resources: [secrets]\n  providers:\n  - kms:\n      apiVersion: v2\n      name: b\n      endpoint: unix:///x\n  - identity: {}',
              ),
          },
        },
      ],
    },
  ],
});

/** The key strings of every provider, in source order. */
function keysOf(text: string): string[] {
  return parseFile(text)
    .flatMap(objectsOf)
    .flatMap((object) => encryptionConfigOf(object).entries)
    .flatMap((entry) => entry.providers)
    .flatMap((provider) => provider.keys)
    .map((key) => String(key.secret?.value?.toJSON()));
}

test('the fix re-parses, removes the finding and keeps every provider and key', () => {
  for (const code of [kicsCase, commented, json, crlf(kicsCase)]) {
    const [finding] = findingsOf(ID, { code });
    const fix = finding?.fixes?.find((candidate) => candidate.title === MOVE);
    assert.ok(fix, 'the fix is offered');
    const fixed = applyEdits(code, fix.edits);
    assert.ok(
      parseFile(fixed).every((document) => document.ok),
      'the result parses',
    );
    assert.deepEqual(findingsOf(ID, { code: fixed }), []);
    assert.deepEqual(keysOf(fixed).sort(), keysOf(code).sort());
    const providers = (text: string): number =>
      parseFile(text)
        .flatMap(objectsOf)
        .flatMap((object) => encryptionConfigOf(object).entries)
        .flatMap((entry) => entry.providers).length;
    assert.equal(providers(fixed), providers(code));
  }
});

test('the message counts the providers after identity and never holds a key', () => {
  const [finding] = findingsOf(ID, { code: commented });
  assert.ok(finding);
  assert.match(finding.message, /the 2 providers after it are only used to read/);
  assert.ok(!finding.message.includes(KEY));
  assert.ok(!finding.message.includes('secret is secure'));
});
