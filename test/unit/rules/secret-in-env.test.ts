import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentRange } from '../../../server/src/core/fixes/yaml-edit';
import { containersOf, objectsOf, podSpecOf } from '../../../server/src/core/model';
import { parseFile } from '../../../server/src/core/parse';
import { rule } from '../../../server/src/core/rules/secret-in-env';
import type { Finding } from '../../../server/src/core/types';
import { applyEdits } from '../../helpers/apply-edits';
import { findingsOf, rangeOf, ruleTester } from '../../helpers/rule-tester';

const ID = 'secret-in-env';
const MOUNT = 'Mount the Secret as a volume';
const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

// ---------------------------------------------------------------------------------------
// Where it fires
// ---------------------------------------------------------------------------------------

const pod = (container: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1
${container}`;

ruleTester(ID, {
  valid: [
    {
      name: 'a plain value',
      code: pod('      env:\n        - name: MODE\n          value: fast\n'),
    },
    {
      name: 'configMapKeyRef and fieldRef',
      code: pod(
        '      env:\n' +
          '        - name: A\n          valueFrom:\n            configMapKeyRef: {name: c, key: a}\n' +
          '        - name: B\n          valueFrom:\n            fieldRef: {fieldPath: metadata.name}\n',
      ),
    },
    {
      name: 'envFrom a ConfigMap',
      code: pod('      envFrom:\n        - configMapRef:\n            name: settings\n'),
    },
    {
      name: 'a templated Secret name',
      code: pod(
        '      env:\n        - name: A\n          valueFrom:\n            secretKeyRef:\n' +
          '              name: "{{ .Values.secretName }}"\n              key: a\n' +
          '      envFrom:\n        - secretRef: {name: "${SECRET}"}\n',
      ),
    },
    {
      name: 'no Secret name',
      code: pod(
        '      env:\n        - name: A\n          valueFrom:\n            secretKeyRef: {key: a}\n',
      ),
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
            - name: A
              valueFrom:
                secretKeyRef: {name: s, key: a}
`,
    },
  ],
  invalid: [
    {
      name: 'block env entries and envFrom, the whole list item',
      code: pod(`      env:
        - name: A
          valueFrom:
            secretKeyRef:
              name: s
              key: a # trailing
        - name: B
          value: b
      envFrom:
        - prefix: S_
          secretRef: {name: s}
`),
      errors: [
        { line: 10, column: 11, endLine: 14, endColumn: 21, severity: 'info' },
        { line: 18, column: 11, endLine: 19, endColumn: 31, severity: 'info' },
      ],
    },
    {
      name: 'flow env list',
      code: pod('      env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: a}}}]\n'),
      errors: [{ line: 9, column: 13, endLine: 9, endColumn: 68 }],
    },
    {
      name: 'initContainers and ephemeralContainers of a Pod',
      code: `apiVersion: v1
kind: Pod
spec:
  initContainers:
  - name: init
    env:
    - {name: A, valueFrom: {secretKeyRef: {name: s, key: a}}}
  ephemeralContainers:
  - name: debug
    envFrom:
    - secretRef: {name: s}
`,
      errors: [
        { line: 7, column: 7, endLine: 7, endColumn: 62 },
        { line: 11, column: 7, endLine: 11, endColumn: 27 },
      ],
    },
    {
      name: 'CronJob, at spec.jobTemplate.spec.template.spec',
      code: `apiVersion: batch/v1
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: job
            env:
            - name: A
              valueFrom: {secretKeyRef: {name: s, key: a}}
`,
      errors: [{ line: 11, column: 15, endLine: 12, endColumn: 59 }],
    },
    {
      name: 'every workload kind',
      code: ['ReplicaSet', 'ReplicationController', 'Job', 'PodTemplate']
        .map((kind) => {
          const spec =
            kind === 'PodTemplate' ? 'template:\n  spec:' : 'spec:\n  template:\n    spec:';
          const indent = kind === 'PodTemplate' ? '    ' : '      ';
          return (
            `kind: ${kind}\n${spec}\n${indent}containers:\n${indent}- name: c\n` +
            `${indent}  envFrom: [{secretRef: {name: s}}]\n`
          );
        })
        .join('---\n'),
      errors: [
        { line: 7, column: 19, endLine: 7, endColumn: 41 },
        { line: 15, column: 19, endLine: 15, endColumn: 41 },
        { line: 23, column: 19, endLine: 23, endColumn: 41 },
        { line: 30, column: 17, endLine: 30, endColumn: 39 },
      ],
    },
    {
      name: "OpenShift's DeploymentConfig, at spec.template.spec",
      code: `apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: A
          valueFrom: {secretKeyRef: {name: s, key: a}}
`,
      errors: [{ line: 9, column: 11, endLine: 10, endColumn: 55 }],
    },
  ],
});

describe(`${ID}: rule data and messages`, () => {
  test('id, severity and a one-line summary', () => {
    assert.equal(rule.id, ID);
    assert.equal(rule.severity, 'info');
    assert.ok(rule.summary.length > 0 && !rule.summary.includes('\n'));
  });

  test('the message names the variable and Secret but never a value', () => {
    const code = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: s}
  stringData: {password: hunter2-very-secret}
- apiVersion: v1
  kind: Pod
  spec:
    containers:
    - name: app
      env:
      - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: s, key: password}}}
`;
    const [finding] = findingsOf(ID, { code });
    assert.ok(finding);
    assert.match(finding.message, /DB_PASSWORD/);
    assert.match(finding.message, /"s"/);
    assert.doesNotMatch(finding.message, /hunter2/);
  });
});

// ---------------------------------------------------------------------------------------
// The fixes: exact text, plus invariants checked for every case
// ---------------------------------------------------------------------------------------

/** Each container's text, by document, object, list and index. */
function containerTexts(text: string): Map<string, { start: number; end: number; text: string }> {
  const containers = new Map<string, { start: number; end: number; text: string }>();
  for (const document of parseFile(text)) {
    objectsOf(document).forEach((object, objectIndex) => {
      const podSpec = podSpecOf(object);
      if (!podSpec) return;
      const counters = new Map<string, number>();
      for (const container of containersOf(podSpec)) {
        const index = counters.get(container.list) ?? 0;
        counters.set(container.list, index + 1);
        const [start, end] = contentRange(document.text, container.node);
        containers.set(`${document.index}/${objectIndex}/${container.list}/${index}`, {
          start: start + document.offset,
          end: end + document.offset,
          text: document.text.slice(start, end),
        });
      }
    });
  }
  return containers;
}

function findingTexts(text: string, findings: readonly Finding[]): string[] {
  return findings.map((finding) => text.slice(finding.start, finding.end)).sort();
}

interface FixCase {
  code: string;
  /** Index of the finding among the rule's findings in the file. */
  finding?: number;
  title: string;
  /** Every fix title the finding offers. */
  offered: readonly string[];
  output: string;
}

/**
 * Applies one fix and checks: the exact output; every document re-parses without errors; the
 * other containers' text is byte-identical; re-analysed, only that finding is gone.
 */
function checkFix(fixCase: FixCase): string {
  const before = findingsOf(ID, { code: fixCase.code });
  const target = before[fixCase.finding ?? 0];
  assert.ok(target, 'no such finding');
  assert.deepEqual(
    (target.fixes ?? []).map((fix) => fix.title),
    fixCase.offered,
  );
  const fix = target.fixes?.find((candidate) => candidate.title === fixCase.title);
  assert.ok(fix, `fix not offered: ${fixCase.title}`);
  const output = applyEdits(fixCase.code, fix.edits);
  assert.equal(output, fixCase.output);

  for (const document of parseFile(output)) {
    assert.deepEqual(
      document.document.errors.map((error) => error.message),
      [],
      'the result must parse',
    );
  }

  const beforeContainers = containerTexts(fixCase.code);
  const afterContainers = containerTexts(output);
  assert.deepEqual([...afterContainers.keys()], [...beforeContainers.keys()]);
  let edited = 0;
  for (const [key, container] of beforeContainers) {
    if (container.start <= target.start && target.end <= container.end) {
      edited++;
      continue;
    }
    assert.equal(afterContainers.get(key)?.text, container.text, `container ${key} changed`);
  }
  assert.equal(edited, 1, 'the finding lies in one container');

  const after = findingsOf(ID, { code: output });
  assert.deepEqual(
    findingTexts(output, after),
    findingTexts(
      fixCase.code,
      before.filter((finding) => finding !== target),
    ),
  );
  return output;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2 # scaled by the HPA
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: web:1.0
          env:
            - name: LOG_LEVEL
              value: info
            # the database password
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: password
            - name: DB_USER # who we are
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: username
          # plain HTTP
          ports:
            - containerPort: 8080
        - name: sidecar
          image: proxy:2
          env:
            - name: TOKEN
              valueFrom:
                secretKeyRef:
                  name: proxy-token
                  key: token
`;

const deploymentMounted = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2 # scaled by the HPA
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: web:1.0
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_USER # who we are
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: username
          # plain HTTP
          ports:
            - containerPort: 8080
          volumeMounts:
            - name: db-credentials
              mountPath: /etc/secrets/db-credentials
              readOnly: true
        - name: sidecar
          image: proxy:2
          env:
            - name: TOKEN
              valueFrom:
                secretKeyRef:
                  name: proxy-token
                  key: token
      volumes:
        - name: db-credentials
          secret:
            secretName: db-credentials
`;

const deploymentFileVariant = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2 # scaled by the HPA
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: web:1.0
          env:
            - name: LOG_LEVEL
              value: info
            # the database password
            - name: DB_PASSWORD_FILE
              value: /etc/secrets/db-credentials/password
            - name: DB_USER # who we are
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: username
          # plain HTTP
          ports:
            - containerPort: 8080
          volumeMounts:
            - name: db-credentials
              mountPath: /etc/secrets/db-credentials
              readOnly: true
        - name: sidecar
          image: proxy:2
          env:
            - name: TOKEN
              valueFrom:
                secretKeyRef:
                  name: proxy-token
                  key: token
      volumes:
        - name: db-credentials
          secret:
            secretName: db-credentials
`;

const BOTH = (variable: string): string[] => [MOUNT, `${MOUNT} and set ${variable}_FILE`];

describe(`${ID}: Mount the Secret as a volume`, () => {
  test('Deployment without volumes: adds the volume and mount, drops the entry and its comment', () => {
    checkFix({
      code: deployment,
      title: MOUNT,
      offered: BOTH('DB_PASSWORD'),
      output: deploymentMounted,
    });
  });

  test('Deployment, the _FILE variant keeps the comment and sets the path', () => {
    checkFix({
      code: deployment,
      title: `${MOUNT} and set DB_PASSWORD_FILE`,
      offered: BOTH('DB_PASSWORD'),
      output: deploymentFileVariant,
    });
  });

  test('a second variable from the same Secret reuses the volume and the mount', () => {
    const once = checkFix({
      code: deployment,
      title: MOUNT,
      offered: BOTH('DB_PASSWORD'),
      output: deploymentMounted,
    });
    checkFix({
      code: once,
      title: MOUNT,
      offered: BOTH('DB_USER'),
      output: deploymentMounted.replace(
        `            - name: DB_USER # who we are
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: username
`,
        '',
      ),
    });
    checkFix({
      code: once,
      title: `${MOUNT} and set DB_USER_FILE`,
      offered: BOTH('DB_USER'),
      output: deploymentMounted.replace(
        `            - name: DB_USER # who we are
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: username
`,
        `            - name: DB_USER_FILE # who we are
              value: /etc/secrets/db-credentials/username
`,
      ),
    });
  });

  test('CRLF line endings are kept', () => {
    checkFix({
      code: crlf(deployment),
      title: MOUNT,
      offered: BOTH('DB_PASSWORD'),
      output: crlf(deploymentMounted),
    });
    checkFix({
      code: crlf(deployment),
      title: `${MOUNT} and set DB_PASSWORD_FILE`,
      offered: BOTH('DB_PASSWORD'),
      output: crlf(deploymentFileVariant),
    });
  });

  test('the last container of the pod spec: the sidecar', () => {
    checkFix({
      code: deployment,
      finding: 2,
      title: MOUNT,
      offered: BOTH('TOKEN'),
      output: deployment.replace(
        `          env:
            - name: TOKEN
              valueFrom:
                secretKeyRef:
                  name: proxy-token
                  key: token
`,
        `          volumeMounts:
            - name: proxy-token
              mountPath: /etc/secrets/proxy-token
              readOnly: true
      volumes:
        - name: proxy-token
          secret:
            secretName: proxy-token
`,
      ),
    });
  });

  const cronJob = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: backup:1
            env:
            - name: S3_SECRET
              valueFrom:
                secretKeyRef: {name: s3, key: secret-key, optional: true}
            volumeMounts:
            - name: scratch
              mountPath: /scratch
          volumes:
          - name: scratch
            emptyDir: {}
`;

  test('CronJob with volumes and mounts already: appends, carries optional, drops env:', () => {
    checkFix({
      code: cronJob,
      title: MOUNT,
      offered: BOTH('S3_SECRET'),
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: backup:1
            volumeMounts:
            - name: scratch
              mountPath: /scratch
            - name: s3
              mountPath: /etc/secrets/s3
              readOnly: true
          volumes:
          - name: scratch
            emptyDir: {}
          - name: s3
            secret:
              secretName: s3
              optional: true
`,
    });
  });

  test('CronJob, the _FILE variant', () => {
    checkFix({
      code: cronJob,
      title: `${MOUNT} and set S3_SECRET_FILE`,
      offered: BOTH('S3_SECRET'),
      output: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: backup:1
            env:
            - name: S3_SECRET_FILE
              value: /etc/secrets/s3/secret-key
            volumeMounts:
            - name: scratch
              mountPath: /scratch
            - name: s3
              mountPath: /etc/secrets/s3
              readOnly: true
          volumes:
          - name: scratch
            emptyDir: {}
          - name: s3
            secret:
              secretName: s3
              optional: true
`,
    });
  });

  test('bare Pod, envFrom: reuses the Secret volume of another container; no _FILE variant', () => {
    checkFix({
      code: `apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  containers:
  - name: worker
    image: worker:3
    envFrom:
    - configMapRef:
        name: settings
    - secretRef:
        name: worker-env
  - name: shell
    image: busybox
    volumeMounts:
    - name: creds
      mountPath: /creds
  volumes:
  - name: creds
    secret:
      secretName: worker-env
`,
      title: MOUNT,
      offered: [MOUNT],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  containers:
  - name: worker
    image: worker:3
    envFrom:
    - configMapRef:
        name: settings
    volumeMounts:
    - name: creds
      mountPath: /etc/secrets/worker-env
      readOnly: true
  - name: shell
    image: busybox
    volumeMounts:
    - name: creds
      mountPath: /creds
  volumes:
  - name: creds
    secret:
      secretName: worker-env
`,
    });
  });

  const statefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  template:
    spec:
      initContainers:
        - name: init
          image: init:1
          env:
            - name: ROOT_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-root
                  key: password
      containers:
        - name: db
          image: postgres:16
          env:
            - name: POSTGRES_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-root
                  key: password
`;

  test('initContainers: only the init container gets the mount', () => {
    const once = checkFix({
      code: statefulSet,
      finding: 0,
      title: MOUNT,
      offered: BOTH('ROOT_PASSWORD'),
      output: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  template:
    spec:
      initContainers:
        - name: init
          image: init:1
          volumeMounts:
            - name: db-root
              mountPath: /etc/secrets/db-root
              readOnly: true
      containers:
        - name: db
          image: postgres:16
          env:
            - name: POSTGRES_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-root
                  key: password
      volumes:
        - name: db-root
          secret:
            secretName: db-root
`,
    });
    // The other container then reuses the volume and gets its own mount.
    checkFix({
      code: once,
      title: `${MOUNT} and set POSTGRES_PASSWORD_FILE`,
      offered: BOTH('POSTGRES_PASSWORD'),
      output: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  template:
    spec:
      initContainers:
        - name: init
          image: init:1
          volumeMounts:
            - name: db-root
              mountPath: /etc/secrets/db-root
              readOnly: true
      containers:
        - name: db
          image: postgres:16
          env:
            - name: POSTGRES_PASSWORD_FILE
              value: /etc/secrets/db-root/password
          volumeMounts:
            - name: db-root
              mountPath: /etc/secrets/db-root
              readOnly: true
      volumes:
        - name: db-root
          secret:
            secretName: db-root
`,
    });
  });

  const daemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    spec:
      containers:
      - name: agent
        env: [{name: API_KEY, valueFrom: {secretKeyRef: {name: agent-key, key: api-key}}}, {name: MODE, value: fast}]
`;

  test('flow-style env in a block container', () => {
    checkFix({
      code: daemonSet,
      title: MOUNT,
      offered: BOTH('API_KEY'),
      output: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    spec:
      containers:
      - name: agent
        env: [{name: MODE, value: fast}]
        volumeMounts:
        - name: agent-key
          mountPath: /etc/secrets/agent-key
          readOnly: true
      volumes:
      - name: agent-key
        secret:
          secretName: agent-key
`,
    });
    checkFix({
      code: daemonSet,
      title: `${MOUNT} and set API_KEY_FILE`,
      offered: BOTH('API_KEY'),
      output: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    spec:
      containers:
      - name: agent
        env: [{name: API_KEY_FILE, value: /etc/secrets/agent-key/api-key}, {name: MODE, value: fast}]
        volumeMounts:
        - name: agent-key
          mountPath: /etc/secrets/agent-key
          readOnly: true
      volumes:
      - name: agent-key
        secret:
          secretName: agent-key
`,
    });
  });

  test('a flow container: env: [...] as in the issue, the other container untouched', () => {
    checkFix({
      code: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: x, env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}]}
  - {name: b, image: y, env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}]}
`,
      title: MOUNT,
      offered: BOTH('A'),
      output: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: x, volumeMounts: [{name: s, mountPath: /etc/secrets/s, readOnly: true}]}
  - {name: b, image: y, env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}]}
  volumes:
  - name: s
    secret:
      secretName: s
`,
    });
  });

  const json = `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {"name": "api"},
  "spec": {
    "template": {
      "spec": {
        "containers": [
          {
            "name": "api",
            "image": "api:1",
            "env": [
              {"name": "JWT_KEY", "valueFrom": {"secretKeyRef": {"name": "jwt", "key": "private.pem"}}}
            ]
          },
          {
            "name": "metrics",
            "image": "metrics:1"
          }
        ]
      }
    }
  }
}
`;

  test('a JSON manifest gets JSON, in its own indentation', () => {
    checkFix({
      code: json,
      title: MOUNT,
      offered: BOTH('JWT_KEY'),
      output: `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {"name": "api"},
  "spec": {
    "template": {
      "spec": {
        "containers": [
          {
            "name": "api",
            "image": "api:1",
            "volumeMounts": [
              {
                "name": "jwt",
                "mountPath": "/etc/secrets/jwt",
                "readOnly": true
              }
            ]
          },
          {
            "name": "metrics",
            "image": "metrics:1"
          }
        ],
        "volumes": [
          {
            "name": "jwt",
            "secret": {
              "secretName": "jwt"
            }
          }
        ]
      }
    }
  }
}
`,
    });
    checkFix({
      code: json,
      title: `${MOUNT} and set JWT_KEY_FILE`,
      offered: BOTH('JWT_KEY'),
      output: `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {"name": "api"},
  "spec": {
    "template": {
      "spec": {
        "containers": [
          {
            "name": "api",
            "image": "api:1",
            "env": [
              {"name": "JWT_KEY_FILE", "value": "/etc/secrets/jwt/private.pem"}
            ],
            "volumeMounts": [
              {
                "name": "jwt",
                "mountPath": "/etc/secrets/jwt",
                "readOnly": true
              }
            ]
          },
          {
            "name": "metrics",
            "image": "metrics:1"
          }
        ],
        "volumes": [
          {
            "name": "jwt",
            "secret": {
              "secretName": "jwt"
            }
          }
        ]
      }
    }
  }
}
`,
    });
  });

  test('a later document of a multi-document file', () => {
    const first = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n---\n';
    const second = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      env:
        - name: TOKEN
          valueFrom:
            secretKeyRef: {name: api, key: token}
`;
    checkFix({
      code: first + second,
      title: MOUNT,
      offered: BOTH('TOKEN'),
      output:
        first +
        `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      volumeMounts:
        - name: api
          mountPath: /etc/secrets/api
          readOnly: true
  volumes:
    - name: api
      secret:
        secretName: api
`,
    });
  });

  const projected = (items: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      env:
        - name: B
          valueFrom:
            secretKeyRef:
              name: creds
              key: b
      volumeMounts:
        - name: creds-volume
          mountPath: /run/creds
  volumes:
    - name: creds-volume
      secret:
        secretName: creds
        items:
${items}`;

  test('a reused volume with items gets the missing key; its mount is reused', () => {
    checkFix({
      code: projected('          - key: a\n            path: a.txt\n'),
      title: `${MOUNT} and set B_FILE`,
      offered: BOTH('B'),
      output: `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      env:
        - name: B_FILE
          value: /run/creds/b
      volumeMounts:
        - name: creds-volume
          mountPath: /run/creds
  volumes:
    - name: creds-volume
      secret:
        secretName: creds
        items:
          - key: a
            path: a.txt
          - key: b
            path: b
`,
    });
  });

  test('a reused volume that already projects the key: the file is at its path', () => {
    checkFix({
      code: projected('          - key: b\n            path: config/b.txt\n'),
      title: `${MOUNT} and set B_FILE`,
      offered: BOTH('B'),
      output: `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      env:
        - name: B_FILE
          value: /run/creds/config/b.txt
      volumeMounts:
        - name: creds-volume
          mountPath: /run/creds
  volumes:
    - name: creds-volume
      secret:
        secretName: creds
        items:
          - key: b
            path: config/b.txt
`,
    });
  });

  test('optional differs from the existing volume: a new volume, unique name and mount path', () => {
    checkFix({
      code: `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      env:
        - name: TOKEN
          valueFrom:
            secretKeyRef:
              name: api
              key: token
              optional: true
      volumeMounts:
        - name: api
          mountPath: /etc/secrets/api
  volumes:
    - name: api
      secret:
        secretName: api
`,
      title: MOUNT,
      offered: BOTH('TOKEN'),
      output: `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      volumeMounts:
        - name: api
          mountPath: /etc/secrets/api
        - name: api-2
          mountPath: /etc/secrets/api-2
          readOnly: true
  volumes:
    - name: api
      secret:
        secretName: api
    - name: api-2
      secret:
        secretName: api
        optional: true
`,
    });
  });

  test('a flow env list with one entry: the env key goes with it', () => {
    checkFix({
      code: pod('      env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}] # from s\n'),
      title: MOUNT,
      offered: BOTH('A'),
      output: pod(`      volumeMounts:
        - name: s
          mountPath: /etc/secrets/s
          readOnly: true
  volumes:
    - name: s
      secret:
        secretName: s
`),
    });
  });

  test('a Secret name that is no DNS label gives a valid volume name', () => {
    checkFix({
      code: pod('      envFrom:\n        - secretRef:\n            name: My.Secret_v2\n'),
      title: MOUNT,
      offered: [MOUNT],
      output: pod(`      volumeMounts:
        - name: my-secret-v2
          mountPath: /etc/secrets/My.Secret_v2
          readOnly: true
  volumes:
    - name: my-secret-v2
      secret:
        secretName: My.Secret_v2
`),
    });
  });
});

describe(`${ID}: when no fix is offered`, () => {
  const ephemeral = (volumes: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: app:1
  ephemeralContainers:
    - name: debugger
      image: busybox
      env:
        - name: TOKEN
          valueFrom:
            secretKeyRef:
              name: api
              key: token
${volumes}`;

  test('an ephemeral container cannot add a volume to its running pod', () => {
    const [finding] = findingsOf(ID, { code: ephemeral('') });
    assert.ok(finding);
    assert.deepEqual(finding.fixes ?? [], []);
  });

  test('an ephemeral container mounts an existing volume (volumeMounts are allowed)', () => {
    const volumes = '  volumes:\n    - name: api-volume\n      secret:\n        secretName: api\n';
    checkFix({
      code: ephemeral(volumes),
      title: MOUNT,
      offered: BOTH('TOKEN'),
      output: `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: app:1
  ephemeralContainers:
    - name: debugger
      image: busybox
      volumeMounts:
        - name: api-volume
          mountPath: /etc/secrets/api
          readOnly: true
${volumes}`,
    });
  });

  test('the variable is used as $(NAME): removing it would change the command', () => {
    const code = pod(`      args: ["--password=$(DB_PASSWORD)"]
      env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: db, key: password}
`);
    const [finding] = findingsOf(ID, { code });
    assert.ok(finding);
    assert.deepEqual(finding.fixes ?? [], []);
    // $$(NAME) is an escaped literal, not a reference.
    const escaped = code.replace('$(DB_PASSWORD)', () => '$$(DB_PASSWORD)');
    assert.equal(findingsOf(ID, { code: escaped })[0]?.fixes?.length, 2);
  });

  test('envFrom with $(NAME) references that no explicit env entry sets', () => {
    const code = pod(`      command: [sh, -c, "echo $(USER)"]
      envFrom:
        - secretRef: {name: s}
`);
    assert.deepEqual(findingsOf(ID, { code })[0]?.fixes ?? [], []);
  });

  test('<NAME>_FILE already set: only the plain fix', () => {
    const code = pod(`      env:
        - name: KEY_FILE
          value: /somewhere
        - name: KEY
          valueFrom:
            secretKeyRef: {name: s, key: k}
`);
    const [finding] = findingsOf(ID, { code });
    assert.deepEqual(
      finding?.fixes?.map((fix) => fix.title),
      [MOUNT],
    );
  });

  test('volumes that is not a list is not guessed at', () => {
    const code = pod(`      env:
        - name: KEY
          valueFrom:
            secretKeyRef: {name: s, key: k}
  volumes: {}
`);
    const [finding] = findingsOf(ID, { code });
    assert.ok(finding);
    assert.deepEqual(rangeOf(code, finding), { line: 10, column: 11, endLine: 12, endColumn: 44 });
    assert.deepEqual(finding.fixes ?? [], []);
  });
});
