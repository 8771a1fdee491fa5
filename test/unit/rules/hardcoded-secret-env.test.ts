import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSecret, objectsOf } from '../../../server/src/core/model';
import { parseFile } from '../../../server/src/core/parse';
import { expandEnvValue, rule } from '../../../server/src/core/rules/hardcoded-secret-env';
import { stringAt } from '../../../server/src/core/yaml-nodes';
import { applyEdits } from '../../helpers/apply-edits';
import { FAKE } from '../../helpers/fake-credentials';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'hardcoded-secret-env';
const MOVE = 'Move the value into a Secret';
const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

const deployment = (env: string, name = 'worker'): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - name: app
          image: worker:1
          env:
${env}`;

const one = (name: string, value: string): string =>
  deployment(`            - name: ${name}\n              value: ${value}\n`);

ruleTester(ID, {
  valid: [
    { name: 'an ordinary variable', code: one('MODE', 'fast') },
    ...[
      '"${DB_PASSWORD}"',
      '$(DB_PASSWORD)',
      '"{{ .Values.db.password }}"',
      '"<password>"',
      'changeme',
      'REPLACE_ME',
      'TODO',
      'xxx',
      '""',
      '"yourpassword"',
      'vault:secret/data/worker#password',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
    ].map((value) => ({
      name: `a placeholder or reference: ${value}`,
      code: one('DB_PASSWORD', value),
    })),
    ...[
      ['DB_PASSWORD_FILE', '/run/secrets/db-password'],
      ['SECRET_NAME', 'worker-db'],
      ['secretName', 'worker-db'],
      ['existingSecret', 'worker-db'],
      ['TOKEN_TTL_SECONDS', '"3600"'],
      ['PASSWORD_MIN_LENGTH', '"12"'],
      ['AUTH_TIMEOUT', '30s'],
      ['PASSWORD_POLICY', 'strict'],
      ['TOKEN_AUTH_ENABLED', '"true"'],
      ['AWS_ACCESS_KEY_ID', 'minio'],
      ['DB_USER', 'orders'],
      ['TOKEN_URL', 'https://auth.internal/token'],
      ['GOOGLE_APPLICATION_CREDENTIALS', '/var/secrets/google/key.json'],
      ['MYSQL_ALLOW_EMPTY_PASSWORD', '"yes"'],
      ['MYSQL_RANDOM_ROOT_PASSWORD', '"true"'],
      ['PWD', '/srv/app'],
    ].map(([name = '', value = '']) => ({
      name: `a name that refers to or configures a secret: ${name}`,
      code: one(name, value),
    })),
    {
      name: 'a Secret reference',
      code: deployment(
        '            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}\n',
      ),
    },
    { name: 'a number is not an env value the API accepts', code: one('DB_PASSWORD', '1234') },
    {
      name: 'the AWS documentation key id',
      code: one('AWS_ACCESS_KEY_ID', 'AKIA' + 'IOSFODNN7EXAMPLE'),
    },
    {
      name: 'a kind that is not a workload',
      code: `apiVersion: example.com/v1
kind: Widget
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - {name: DB_PASSWORD, value: hunter2}
`,
    },
    {
      name: 'a SOPS-encrypted value',
      code:
        one('DB_PASSWORD', 'ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]') +
        'sops:\n  mac: ENC[AES256_GCM,data:abc,type:str]\n  version: 3.8.1\n',
    },
    {
      name: 'a templated value in a quoted scalar',
      code: one('API_TOKEN', '"prefix-{{ .Values.token }}"'),
    },
  ],
  invalid: [
    {
      name: 'a literal password: a new Secret after the Deployment, comments kept',
      code: `# Orders worker
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: worker:1
          env:
            - name: MODE
              value: fast
            # the database password
            - name: DB_PASSWORD
              value: "s3cr3t-Pa55" # rotate me
            - name: DB_HOST
              value: db
---
apiVersion: v1
kind: Service
metadata:
  name: worker
`,
      errors: [
        {
          line: 17,
          column: 15,
          endLine: 18,
          endColumn: 35,
          severity: 'warning',
          fixes: {
            [MOVE]: `# Orders worker
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: worker:1
          env:
            - name: MODE
              value: fast
            # the database password
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: worker-env
                  key: DB_PASSWORD # rotate me
            - name: DB_HOST
              value: db
---
apiVersion: v1
kind: Secret
metadata:
  name: worker-env
  namespace: shop
type: Opaque
stringData:
  DB_PASSWORD: s3cr3t-Pa55
---
apiVersion: v1
kind: Service
metadata:
  name: worker
`,
          },
        },
      ],
    },
    {
      name: 'a credential pattern under an innocent name; kind after the fields; no final newline',
      code: `metadata:
  name: api
spec:
  containers:
  - name: api
    env:
    - name: CONFIG
      value: ${FAKE.awsKeyId}
apiVersion: v1
kind: Pod`,
      errors: [
        {
          line: 7,
          column: 7,
          endLine: 8,
          endColumn: 34,
          fixes: {
            [MOVE]: `metadata:
  name: api
spec:
  containers:
  - name: api
    env:
    - name: CONFIG
      valueFrom:
        secretKeyRef:
          name: api-env
          key: CONFIG
apiVersion: v1
kind: Pod
---
apiVersion: v1
kind: Secret
metadata:
  name: api-env
type: Opaque
stringData:
  CONFIG: ${FAKE.awsKeyId}
`,
          },
        },
      ],
    },
    {
      name: 'init and ephemeral containers, flow items; an existing Secret of that name before it',
      code: `apiVersion: v1
kind: Secret
metadata:
  name: worker-env
stringData:
  API_TOKEN: ${FAKE.gitlab}
---
apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  initContainers:
  - name: init
    env:
    - {name: API_TOKEN, value: "pa$$w0rd-Zq9"}
  ephemeralContainers:
  - name: debug
    env: [{name: SIGNING_KEY, value: 'k$(odd-ref)z'}]
`,
      errors: [
        {
          line: 16,
          column: 7,
          endLine: 16,
          endColumn: 47,
          fixes: {
            // API_TOKEN is taken: the container-qualified key; `$$` is stored as the `$` it means.
            [MOVE]: `apiVersion: v1
kind: Secret
metadata:
  name: worker-env
stringData:
  API_TOKEN: ${FAKE.gitlab}
  init.API_TOKEN: "pa$w0rd-Zq9"
---
apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  initContainers:
  - name: init
    env:
    - {name: API_TOKEN, valueFrom: {secretKeyRef: {name: worker-env, key: init.API_TOKEN}}}
  ephemeralContainers:
  - name: debug
    env: [{name: SIGNING_KEY, value: 'k$(odd-ref)z'}]
`,
          },
        },
        // $(odd-ref) may be another variable's value at run time: flagged, not moved.
        { line: 19, column: 11, endLine: 19, endColumn: 53, fixes: {} },
      ],
    },
    {
      name: 'an existing Secret after the workload with data only: stringData is added',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  namespace: jobs
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: main
              env:
                - name: SMTP_PASSWORD
                  value: "Wx7-ahj2Pq"
---
apiVersion: v1
kind: Secret
metadata:
  name: report-env
  namespace: jobs
data:
  OTHER: b3RoZXI=
`,
      errors: [
        {
          line: 14,
          column: 19,
          endLine: 15,
          endColumn: 38,
          fixes: {
            [MOVE]: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  namespace: jobs
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: main
              env:
                - name: SMTP_PASSWORD
                  valueFrom:
                    secretKeyRef:
                      name: report-env
                      key: SMTP_PASSWORD
---
apiVersion: v1
kind: Secret
metadata:
  name: report-env
  namespace: jobs
data:
  OTHER: b3RoZXI=
stringData:
  SMTP_PASSWORD: Wx7-ahj2Pq
`,
          },
        },
      ],
    },
    {
      name: 'a Secret of that name in another namespace is not reused',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: prod
spec:
  containers:
  - name: api
    env:
    - name: API_KEY
      value: Zk3-pq8-Lm2
---
apiVersion: v1
kind: Secret
metadata:
  name: api-env
  namespace: staging
stringData: {}
`,
      errors: [
        {
          line: 10,
          column: 7,
          endLine: 11,
          endColumn: 25,
          fixes: {
            [MOVE]: `apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: prod
spec:
  containers:
  - name: api
    env:
    - name: API_KEY
      valueFrom:
        secretKeyRef:
          name: api-env
          key: API_KEY
---
apiVersion: v1
kind: Secret
metadata:
  name: api-env
  namespace: prod
type: Opaque
stringData:
  API_KEY: Zk3-pq8-Lm2
---
apiVersion: v1
kind: Secret
metadata:
  name: api-env
  namespace: staging
stringData: {}
`,
          },
        },
      ],
    },
    {
      name: 'a Secret of that name without a namespace may be the same one: no fix',
      code: `${one('DB_PASSWORD', 'hunter2-x').replace('  name: worker\n', '  name: worker\n  namespace: shop\n')}---
apiVersion: v1
kind: Secret
metadata:
  name: worker-env
stringData: {}
`,
      errors: [{ line: 13, column: 15, endLine: 14, endColumn: 31, fixes: {} }],
    },
    {
      name: 'a multi-line private key is carried as a literal block; 4-space indentation',
      code: `apiVersion: v1
kind: Pod
metadata:
    name: tls
spec:
    containers:
        -   name: proxy
            env:
                -   name: TLS_KEY
                    value: |
${FAKE.pem('EC PRIVATE KEY')
  .split('\n')
  .map((line) => (line === '' ? '' : `                        ${line}`))
  .join('\n')}`,
      errors: [
        {
          line: 9,
          column: 21,
          endLine: 16,
          endColumn: 53,
          fixes: {
            [MOVE]: `apiVersion: v1
kind: Pod
metadata:
    name: tls
spec:
    containers:
        -   name: proxy
            env:
                -   name: TLS_KEY
                    valueFrom:
                        secretKeyRef:
                            name: tls-env
                            key: TLS_KEY
---
apiVersion: v1
kind: Secret
metadata:
    name: tls-env
type: Opaque
stringData:
    TLS_KEY: |
${FAKE.pem('EC PRIVATE KEY')
  .split('\n')
  .map((line) => (line === '' ? '' : `        ${line}`))
  .join('\n')}`,
          },
        },
      ],
    },
    {
      name: 'a JSON manifest: no fix, a JSON file cannot hold a second document',
      code: `{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "p"},
  "spec": {"containers": [{"name": "c", "env": [{"name": "DB_PASSWORD", "value": "hunter2-x"}]}]}
}
`,
      errors: [{ line: 5, column: 49, endLine: 5, endColumn: 94, fixes: {} }],
    },
    {
      name: 'a JSON List: the Secret becomes another item',
      code: `{
  "kind": "List",
  "apiVersion": "v1",
  "items": [
    {
      "apiVersion": "v1",
      "kind": "Pod",
      "metadata": {"name": "p"},
      "spec": {"containers": [{"name": "c", "env": [{"name": "CONFIG", "value": "${FAKE.github('p')}"}]}]}
    }
  ]
}
`,
      errors: [
        {
          line: 9,
          column: 53,
          endLine: 9,
          endColumn: 124,
          fixes: {
            [MOVE]: `{
  "kind": "List",
  "apiVersion": "v1",
  "items": [
    {
      "apiVersion": "v1",
      "kind": "Pod",
      "metadata": {"name": "p"},
      "spec": {"containers": [{"name": "c", "env": [{"name": "CONFIG", "valueFrom": {"secretKeyRef": {"name": "p-env", "key": "CONFIG"}}}]}]}
    },
    {
      "apiVersion": "v1",
      "kind": "Secret",
      "metadata": {
        "name": "p-env"
      },
      "type": "Opaque",
      "stringData": {
        "CONFIG": "${FAKE.github('p')}"
      }
    }
  ]
}
`,
          },
        },
      ],
    },
    {
      name: 'CRLF line endings are kept',
      code: crlf(one('DB_PASSWORD', 'hunter2-x')),
      errors: [
        {
          line: 12,
          column: 15,
          endLine: 13,
          endColumn: 31,
          fixes: {
            [MOVE]: crlf(
              deployment(
                '            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n' +
                  '                  name: worker-env\n                  key: DB_PASSWORD\n',
              ) +
                '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: worker-env\ntype: Opaque\n' +
                'stringData:\n  DB_PASSWORD: hunter2-x\n',
            ),
          },
        },
      ],
    },
    {
      name: 'no fix: both value and valueFrom; a templated workload name',
      code:
        deployment(
          '            - name: DB_PASSWORD\n              value: hunter2-x\n' +
            '              valueFrom: {secretKeyRef: {name: db, key: pw}}\n',
        ) +
        '---\n' +
        one('DB_PASSWORD', 'hunter2-x').replace('name: worker', 'name: "{{ .Release.Name }}"'),
      errors: [
        { line: 12, column: 15, endLine: 14, endColumn: 61, fixes: {} },
        { line: 27, column: 15, endLine: 28, endColumn: 31, fixes: {} },
      ],
    },
  ],
});

describe(`${ID}: messages and fixes`, () => {
  test('metadata', () => {
    assert.equal(rule.id, ID);
    assert.equal(rule.severity, 'warning');
  });

  test('messages name the variable and container, never the value', () => {
    const secretValue = 'hunter2-x';
    const [byName] = findingsOf(ID, { code: one('DB_PASSWORD', secretValue) });
    assert.ok(byName);
    assert.match(byName.message, /DB_PASSWORD/);
    assert.match(byName.message, /container "app"/);
    assert.doesNotMatch(byName.message, /hunter2/);
    const [byPattern] = findingsOf(ID, { code: one('CONFIG', FAKE.stripe) });
    assert.ok(byPattern);
    assert.match(byPattern.message, /a Stripe live API key/);
    assert.ok(!byPattern.message.includes(FAKE.stripe));
    assert.ok(!byPattern.message.includes(FAKE.stripe.slice(8)));
  });

  test('applying the fix removes the finding, re-parses and stores the exact value', () => {
    const values = [
      'hunter2-x',
      'a "quoted" \\ value',
      'pa$$$$w0rd-Zq',
      'trailing space ',
      'multi\nline\n',
    ];
    for (const value of values) {
      const code = one('DB_PASSWORD', JSON.stringify(value));
      const [finding] = findingsOf(ID, { code });
      const fix = finding?.fixes?.find((candidate) => candidate.title === MOVE);
      assert.ok(fix, `a fix for ${JSON.stringify(value)}`);
      const fixed = applyEdits(code, fix.edits);
      assert.deepEqual(findingsOf(ID, { code: fixed }), [], 'the finding is gone');
      const documents = parseFile(fixed);
      assert.ok(
        documents.every((document) => document.ok),
        're-parses',
      );
      const secret = documents.flatMap(objectsOf).find(isSecret);
      assert.ok(secret);
      // What the container saw ($$ is an escaped $) is what the Secret now holds.
      assert.equal(
        stringAt(secret.root, 'stringData', 'DB_PASSWORD'),
        expandEnvValue(value).expanded,
      );
    }
  });

  test('a fix that extends a Secret in another document follows edits to that document', () => {
    // The workload's analysis is cached by its own text; its fix edits the Secret's document.
    const workload = one('DB_PASSWORD', 'hunter2-x');
    const secretDocument = (comment: string): string =>
      `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: worker-env\n${comment}` +
      'stringData:\n  OTHER: kept\n';
    const configMap = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
    const versions = [
      workload + secretDocument(''),
      workload + secretDocument('# moves stringData down a line\n'),
      workload + configMap + secretDocument('# moves stringData down a line\n'),
      workload + secretDocument(''),
    ];
    for (const code of versions) {
      const fix = findingsOf(ID, { code })[0]?.fixes?.[0];
      assert.ok(fix);
      const fixed = applyEdits(code, fix.edits);
      assert.ok(fixed.endsWith('stringData:\n  OTHER: kept\n  DB_PASSWORD: hunter2-x\n'), fixed);
      assert.deepEqual(findingsOf(ID, { code: fixed }), []);
    }
  });

  test('Kubernetes env expansion: $$ is $, $(X) is a reference, other $ stay', () => {
    assert.deepEqual(expandEnvValue('a$$b'), { expanded: 'a$b', refersToVariables: false });
    assert.deepEqual(expandEnvValue('$$(X)'), { expanded: '$(X)', refersToVariables: false });
    assert.deepEqual(expandEnvValue('a$(X)b'), { expanded: 'a$(X)b', refersToVariables: true });
    assert.deepEqual(expandEnvValue('a$(b'), { expanded: 'a$(b', refersToVariables: false });
    assert.deepEqual(expandEnvValue('$x$'), { expanded: '$x$', refersToVariables: false });
  });
});
