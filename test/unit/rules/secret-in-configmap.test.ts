import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeGoBase64 } from '../../../server/src/core/base64';
import { isSecret, objectsOf } from '../../../server/src/core/model';
import { parseFile } from '../../../server/src/core/parse';
import { rule } from '../../../server/src/core/rules/secret-in-configmap';
import { stringAt } from '../../../server/src/core/yaml-nodes';
import { applyEdits } from '../../helpers/apply-edits';
import { FAKE, jwtSegment } from '../../helpers/fake-credentials';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'secret-in-configmap';
const MOVE = (name: string): string => `Move to Secret ${name}`;

const configMap = (data: string, extra = ''): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
${data}${extra}`;

const base64 = (text: string): string => Buffer.from(text).toString('base64');

ruleTester(ID, {
  valid: [
    {
      name: 'ordinary settings',
      code: configMap('  message: This is a test\n  db_user: postgres\n'),
    },
    { name: 'no data', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: empty\n' },
    ...[
      '"${DB_PASSWORD}"',
      '"{{ .Values.db.password }}"',
      '"<password>"',
      'changeme',
      '""',
      'xxxxx',
    ].map((value) => ({
      name: `a secret key with a placeholder: ${value}`,
      code: configMap(`  DB_PASSWORD: ${value}\n  AWS_SECRET_ACCESS_KEY: ${value}\n`),
    })),
    {
      name: 'keys that refer to or configure a secret',
      code: configMap(
        '  password_file: /etc/app/password\n  secretName: app-db\n  token_ttl_seconds: "300"\n' +
          '  auth_enabled: "true"\n  password.min.length: "12"\n  AWS_ACCESS_KEY_ID: minio\n',
      ),
    },
    {
      name: 'config files with empty or templated secrets (trivy KSV-0109 good cases)',
      code: configMap(
        '  config: REDIS_PASSWORD=\n  env: REDIS_PASSWORD=${REDIS_PASSWORD}\n' +
          '  app.properties: |\n    # db.password=hunter22\n    db.password.file=/run/secrets/db\n',
      ),
    },
    {
      name: "an Argo CD secret reference (argocd-cm's $<secret>:<key>)",
      code: configMap(
        '  dex.config: |\n    connectors:\n      - type: github\n        config:\n' +
          '          clientSecret: $dex.github.clientSecret\n',
      ),
    },
    {
      name: 'binary data that is not text',
      code: configMap(
        '  {}\n',
        `binaryData:\n  logo.png: ${base64('\u0089PNG\r\n\u001a\n\u0000\u0000')}\n`,
      ),
    },
    {
      name: 'a Secret is not a ConfigMap',
      code: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2x\n',
    },
    {
      name: 'the AWS documentation key id',
      code: configMap(`  key: ${'AKIA' + 'IOSFODNN7EXAMPLE'}\n`),
    },
  ],
  invalid: [
    {
      name: 'a secret key: the range is the key; the fix moves it to a new Secret',
      code: `# app settings
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: shop
data:
  LOG_LEVEL: info
  # the database
  db_password: abc123
  db_user: postgres
`,
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 14,
          severity: 'warning',
          fixes: {
            [MOVE('app-config-secret')]: `# app settings
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: shop
data:
  LOG_LEVEL: info
  db_user: postgres
---
apiVersion: v1
kind: Secret
metadata:
  name: app-config-secret
  namespace: shop
type: Opaque
stringData:
  db_password: abc123
`,
          },
        },
      ],
    },
    {
      name: 'a private key under an innocent key: the range is the value, carried as a literal block',
      code: configMap(
        `  a_key: and value that are ok\n  ssh_access: |\n${FAKE.pem('OPENSSH PRIVATE KEY')
          .trimEnd()
          .split('\n')
          .map((line) => `    ${line}`)
          .join('\n')}\n`,
      ),
      errors: [
        {
          line: 7,
          column: 15,
          endLine: 13,
          endColumn: 38,
          fixes: {
            [MOVE('app-config-secret')]: `${configMap('  a_key: and value that are ok\n')}---
apiVersion: v1
kind: Secret
metadata:
  name: app-config-secret
type: Opaque
stringData:
  ssh_access: |
${FAKE.pem('OPENSSH PRIVATE KEY')
  .trimEnd()
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
`,
          },
        },
      ],
    },
    {
      name: 'a config file that sets a password (trivy KSV-0109 bad case); kind after data',
      code: `apiVersion: v1
data:
    config: REDIS_PASSWORD=abcd1234
    password: supersecret
kind: ConfigMap
metadata:
    name: test
`,
      errors: [
        {
          line: 3,
          column: 13,
          endLine: 3,
          endColumn: 36,
          fixes: {
            [MOVE('test-secret')]: `apiVersion: v1
data:
    password: supersecret
kind: ConfigMap
metadata:
    name: test
---
apiVersion: v1
kind: Secret
metadata:
    name: test-secret
type: Opaque
stringData:
    config: REDIS_PASSWORD=abcd1234
`,
          },
        },
        {
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 13,
          fixes: {
            [MOVE('test-secret')]: `apiVersion: v1
data:
    config: REDIS_PASSWORD=abcd1234
kind: ConfigMap
metadata:
    name: test
---
apiVersion: v1
kind: Secret
metadata:
    name: test-secret
type: Opaque
stringData:
    password: supersecret
`,
          },
        },
      ],
    },
    {
      name: 'binaryData holding a JWT moves to the data of the Secret, still base64',
      code: configMap('  LOG_LEVEL: info\n', `binaryData:\n  token: ${base64(FAKE.jwt)}\n`),
      errors: [
        {
          line: 8,
          column: 10,
          endLine: 8,
          endColumn: 10 + base64(FAKE.jwt).length,
          fixes: {
            [MOVE('app-config-secret')]: `${configMap('  LOG_LEVEL: info\n')}binaryData: {}
---
apiVersion: v1
kind: Secret
metadata:
  name: app-config-secret
type: Opaque
data:
  token: ${base64(FAKE.jwt)}
`,
          },
        },
      ],
    },
    {
      name: 'an existing Secret of that name in the file gets the key; flow data',
      code: `apiVersion: v1
kind: ConfigMap
metadata: {name: flow}
data: {api_key: ${FAKE.google}, mode: fast}
---
apiVersion: v1
kind: Secret
metadata:
  name: flow-secret
type: Opaque
stringData:
  other: value
`,
      errors: [
        {
          line: 4,
          column: 17,
          endLine: 4,
          endColumn: 56,
          fixes: {
            [MOVE('flow-secret')]: `apiVersion: v1
kind: ConfigMap
metadata: {name: flow}
data: {mode: fast}
---
apiVersion: v1
kind: Secret
metadata:
  name: flow-secret
type: Opaque
stringData:
  other: value
  api_key: ${FAKE.google}
`,
          },
        },
      ],
    },
    {
      name: 'the key is taken in the existing Secret: no fix',
      code: `apiVersion: v1
kind: ConfigMap
metadata: {name: flow}
data: {password: hunter2x}
---
apiVersion: v1
kind: Secret
metadata: {name: flow-secret}
data: {password: aHVudGVyMng=}
`,
      errors: [{ line: 4, column: 8, endLine: 4, endColumn: 16, fixes: {} }],
    },
    {
      name: 'a JSON manifest: flagged, no fix',
      code: `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"DATABASE_URL": "postgres://app:Zq9-wx7-Lm2@db/app"}}\n`,
      errors: [{ line: 1, column: 95, endLine: 1, endColumn: 130, fixes: {} }],
    },
  ],
});

describe(`${ID}: messages and fixes`, () => {
  test('metadata', () => {
    assert.equal(rule.id, ID);
    assert.equal(rule.severity, 'warning');
  });

  test('messages name the key and what it holds, never the value', () => {
    const code = configMap(
      `  db_password: abc123\n  hook: ${FAKE.slackWebhook}\n  settings: |\n    token = ${jwtSegment({ a: 1 })}q\n`,
    );
    const messages = findingsOf(ID, { code }).map((finding) => finding.message);
    assert.equal(messages.length, 3);
    assert.match(
      messages[0] ?? '',
      /data\.db_password of ConfigMap app-config has a literal value/,
    );
    assert.match(messages[1] ?? '', /data\.hook of ConfigMap app-config holds a Slack webhook URL/);
    assert.match(messages[2] ?? '', /data\.settings of ConfigMap app-config sets token \(line 1\)/);
    for (const message of messages) {
      assert.doesNotMatch(message, /abc123/);
      assert.ok(!message.includes(FAKE.slackWebhook.slice(30)));
    }
  });

  test('applying a fix removes the finding, re-parses and keeps the exact value', () => {
    const values = ['abc123', 'a "quoted" \\ value', 'multi\nline\n', '  leading', 'tab\there'];
    for (const value of values) {
      const code = configMap(`  db_password: ${JSON.stringify(value)}\n  other: kept\n`);
      const [finding] = findingsOf(ID, { code });
      const fix = finding?.fixes?.[0];
      assert.ok(fix, `a fix for ${JSON.stringify(value)}`);
      const fixed = applyEdits(code, fix.edits);
      assert.deepEqual(findingsOf(ID, { code: fixed }), []);
      const documents = parseFile(fixed);
      assert.ok(documents.every((document) => document.ok));
      const objects = documents.flatMap(objectsOf);
      const secret = objects.find(isSecret);
      assert.equal(stringAt(secret?.root, 'stringData', 'db_password'), value);
      assert.equal(stringAt(objects[0]?.root, 'data', 'other'), 'kept');
    }
  });

  test('a binaryData value keeps its bytes', () => {
    const bytes = Buffer.concat([
      Buffer.from('private_key = '),
      Buffer.from(FAKE.pem('PRIVATE KEY')),
    ]);
    const code = configMap('  a: b\n', `binaryData:\n  key.conf: ${bytes.toString('base64')}\n`);
    const fix = findingsOf(ID, { code })[0]?.fixes?.[0];
    assert.ok(fix);
    const secret = parseFile(applyEdits(code, fix.edits)).flatMap(objectsOf).find(isSecret);
    const stored = decodeGoBase64(stringAt(secret?.root, 'data', 'key.conf') ?? '');
    assert.ok(stored.ok && stored.bytes.equals(bytes));
  });
});
