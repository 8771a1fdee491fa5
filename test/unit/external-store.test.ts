/**
 * "Move to an external store": SecretProviderClass skeletons (one object per key, per
 * provider), the secret volume replaced by a csi volume, ExternalSecret skeletons; keys named,
 * values never; offered once; not in JSON.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { externalStoreRefactorsAt } from '../../server/src/core/actions/external-store';
import type { Refactor } from '../../server/src/core/actions/secret-conversions';
import { SecretIndex } from '../../server/src/core/secret-index';
import { applyEdits } from '../helpers/apply-edits';

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
stringData:
  username: orders-app
  password: v3ry-s3cret
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:1
          env:
            - name: DB_USER
              valueFrom:
                secretKeyRef:
                  name: db
                  key: username
          volumeMounts:
            - name: creds
              mountPath: /etc/creds
      volumes:
        - name: creds # the database credentials
          secret:
            secretName: db
            items:
              - key: password
                path: db-password
`;

function find(refactors: Refactor[], title: string): Refactor {
  const found = refactors.find((refactor) => refactor.title.includes(title));
  assert.ok(found, `${title} in ${refactors.map((r) => r.title).join(' | ')}`);
  return found;
}

function applied(text: string, refactor: Refactor): string {
  const edits = refactor.edits();
  assert.ok(edits, `${refactor.title} gives edits`);
  return applyEdits(text, edits);
}

test('on a Secret: a SecretProviderClass per provider and an ExternalSecret, keys only', () => {
  const refactors = externalStoreRefactorsAt(SECRET, 20, 20);
  assert.deepEqual(
    refactors.map((refactor) => refactor.title),
    [
      'Move to an external store: SecretProviderClass for HashiCorp Vault (Secrets Store CSI driver)',
      'Move to an external store: SecretProviderClass for Azure Key Vault (Secrets Store CSI driver)',
      'Move to an external store: SecretProviderClass for Google Secret Manager (Secrets Store CSI driver)',
      'Move to an external store: SecretProviderClass for AWS Secrets Manager (Secrets Store CSI driver)',
      'Move to an external store: ExternalSecret (External Secrets Operator)',
    ],
  );
  const vault = applied(SECRET, find(refactors, 'HashiCorp Vault'));
  assert.equal(
    vault.slice(SECRET.length),
    [
      '---',
      '# Values are not here: they live in the external store (see the TODOs).',
      'apiVersion: secrets-store.csi.x-k8s.io/v1',
      'kind: SecretProviderClass',
      'metadata:',
      '  name: db-vault',
      '  namespace: "shop"',
      'spec:',
      '  provider: vault',
      '  parameters:',
      '    vaultAddress: "https://vault.example.com:8200" # TODO: your Vault',
      '    roleName: "TODO-vault-role" # TODO: a Kubernetes auth role allowed to read the path',
      '    objects: |',
      '      - objectName: "username"',
      '        secretPath: "secret/data/db"',
      '        secretKey: "username"',
      '      - objectName: "password"',
      '        secretPath: "secret/data/db"',
      '        secretKey: "password"',
      '',
    ].join('\n'),
  );
  for (const refactor of refactors) {
    const text = applied(SECRET, refactor);
    const documents = parseAllDocuments(text);
    assert.deepEqual(
      documents.flatMap((d) => d.errors),
      [],
      refactor.title,
    );
    const generated = documents[1]?.toJS() as { spec: { parameters?: Record<string, string> } };
    // The provider's objects are YAML too: they parse, one entry per key.
    const objects = generated.spec.parameters?.objects ?? generated.spec.parameters?.secrets;
    if (objects !== undefined) assert.ok(parse(objects), refactor.title);
    assert.doesNotMatch(text.slice(SECRET.length), /orders-app|v3ry-s3cret/, 'no value copied');
    assert.doesNotMatch(refactor.message ?? '', /orders-app|v3ry-s3cret/);
    assert.match(refactor.message ?? '', /username, password/, 'the message names the keys');
    // Applied, it is not offered again.
    assert.ok(!externalStoreRefactorsAt(text, 20, 20).some((r) => r.title === refactor.title));
  }
  const external = applied(SECRET, find(refactors, 'ExternalSecret'));
  const externalSecret = parseAllDocuments(external)[1]?.toJS() as {
    spec: { target: { name: string }; data: { secretKey: string }[] };
  };
  assert.equal(externalSecret.spec.target.name, 'db');
  assert.deepEqual(
    externalSecret.spec.data.map((entry) => entry.secretKey),
    ['username', 'password'],
  );
});

test('on a secret volume: a csi volume of the SecretProviderClass, files named as before', () => {
  const at = DEPLOYMENT.indexOf('secretName');
  const azure = find(
    externalStoreRefactorsAt(DEPLOYMENT, at, at),
    'mount db through the Secrets Store CSI driver (Azure Key Vault)',
  );
  const text = applied(DEPLOYMENT, azure);
  assert.ok(
    text.includes(
      [
        '        - name: creds # the database credentials',
        '          csi:',
        '            driver: secrets-store.csi.k8s.io',
        '            readOnly: true',
        '            volumeAttributes:',
        '              secretProviderClass: db-azure',
        '---',
      ].join('\n'),
    ),
    text,
  );
  const spc = parseAllDocuments(text)[1]?.toJS() as {
    spec: { provider: string; parameters: { objects: string } };
  };
  assert.equal(spc.spec.provider, 'azure');
  assert.deepEqual(parse(spc.spec.parameters.objects), {
    array: ['objectName: db-password\nobjectType: secret\nobjectAlias: "db-password"\n'],
  });
  assert.match(azure.message ?? '', /files db-password/);
});

test('on a secretKeyRef: an ExternalSecret for that Secret, with its keys from the workspace', () => {
  const index = new SecretIndex();
  index.update('/ws/secret.yaml', SECRET);
  const at = DEPLOYMENT.indexOf('DB_USER');
  const refactors = externalStoreRefactorsAt(DEPLOYMENT, at, at, {
    secrets: index,
    path: '/ws/deploy.yaml',
  });
  const external = find(refactors, 'ExternalSecret for db');
  const text = applied(DEPLOYMENT, external);
  const generated = parseAllDocuments(text)[1]?.toJS() as {
    metadata: { namespace: string };
    spec: { data: { secretKey: string }[] };
  };
  assert.equal(generated.metadata.namespace, 'shop');
  assert.deepEqual(
    generated.spec.data.map((entry) => entry.secretKey),
    ['username', 'password'],
  );
  // Without the workspace, the key the reference names.
  const alone = find(externalStoreRefactorsAt(DEPLOYMENT, at, at), 'ExternalSecret for db');
  const only = parseAllDocuments(applied(DEPLOYMENT, alone))[1]?.toJS() as {
    spec: { data: { secretKey: string }[] };
  };
  assert.deepEqual(
    only.spec.data.map((entry) => entry.secretKey),
    ['username'],
  );
});

test('JSON manifests get none', () => {
  const json =
    '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "j"}, "stringData": {"a": "b"}}';
  assert.deepEqual(externalStoreRefactorsAt(json, 5, 5), []);
});
