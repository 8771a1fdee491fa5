/**
 * Hovers on what Secret values hold: certificates (subject, issuer, SANs, validity, days
 * left), private keys (type and size, never the key), JWTs (header, claims, expiry), Docker
 * configs (registries and users, passwords masked, never the JSON), and Secret references
 * (where the Secret is defined, the key's value), each as the reveal mode allows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoverAt } from '../../server/src/core/hover';
import { SecretIndex } from '../../server/src/core/secret-index';
import { describeStoredValue } from '../../server/src/core/value-description';
import { generateKey, keyPem, selfSigned } from '../helpers/x509';

const NOW = new Date('2030-06-01T00:00:00Z');
const DAY = 86_400_000;
const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');

function secretWith(entries: Record<string, string>): string {
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: s',
    'data:',
    ...Object.entries(entries).map(([key, value]) => `  ${key}: ${b64(value)}`),
    '',
  ].join('\n');
}

function hover(text: string, needle: string, reveal: 'hover' | 'never' = 'hover'): string {
  const result = hoverAt(text, text.indexOf(needle) + 1, reveal, { now: NOW });
  assert.ok(result, `a hover at ${needle}`);
  return result.markdown;
}

test('a certificate: subject, issuer, SANs, validity and days left, key; never its PEM', () => {
  const certificate = selfSigned('shop.example.com', {
    notBefore: new Date(NOW.getTime() - 10 * DAY),
    notAfter: new Date(NOW.getTime() + 45 * DAY + 3600_000),
  });
  const text = secretWith({ 'tls.crt': certificate.pem });
  const markdown = hover(text, 'tls.crt');
  assert.match(
    markdown,
    /^\*\*data\.tls\.crt\*\*: decoded, PEM certificate, \d+ bytes\n\nCertificate:\n/,
  );
  assert.match(markdown, /- Subject: `O=secret-guard tests, CN=shop\.example\.com`/);
  assert.match(markdown, /- Issuer: `O=secret-guard tests, CN=shop\.example\.com` \(self-signed\)/);
  assert.match(markdown, /- SANs: `DNS:shop\.example\.com`/);
  assert.match(markdown, /- Valid: 2030-05-22 00:00 UTC to 2030-07-16 01:00 UTC/);
  assert.match(markdown, /- Status: 45 days left/);
  assert.match(markdown, /- Key: ECDSA P-256/);
  assert.ok(!markdown.includes('BEGIN CERTIFICATE'), 'the PEM itself is not repeated');
  assert.equal(hover(text, 'tls.crt', 'never'), markdown.slice(0, markdown.indexOf('\n\n')));
});

test('an expired certificate says so; a chain counts its certificates', () => {
  const old = selfSigned('old.example.com', {
    notBefore: new Date(NOW.getTime() - 400 * DAY),
    notAfter: new Date(NOW.getTime() - 3 * DAY),
  });
  const other = selfSigned('ca.example.com', { notAfter: new Date(NOW.getTime() + 900 * DAY) });
  const markdown = hover(secretWith({ 'ca.crt': old.pem + other.pem }), 'ca.crt');
  assert.match(markdown, /decoded, PEM certificate chain \(2 certificates\)/);
  assert.match(markdown, /Certificate 1:[\s\S]*- Status: \*\*expired 3 days ago\*\*/);
  assert.match(
    markdown,
    /Certificate 2:[\s\S]*- Subject: `O=secret-guard tests, CN=ca\.example\.com`/,
  );
});

test('a private key is named by type and size, never shown', () => {
  const rsa = keyPem(generateKey('rsa'), 'pkcs1');
  const markdown = hover(secretWith({ 'tls.key': rsa }), 'tls.key');
  assert.match(
    markdown,
    /decoded, PEM private key, \d+ bytes\n\nPrivate key: RSA 2048-bit \(PKCS1\); not shown$/,
  );
  assert.ok(!markdown.includes('MII'), 'no key material');
  const ec = describeStoredValue(Buffer.from(keyPem(generateKey('ec'))), {
    key: 'k',
    reveal: 'hover',
    now: NOW,
  });
  assert.equal(ec.body, 'Private key: ECDSA P-256 (PKCS8); not shown');
});

test('a JWT: header, claims, expiry', () => {
  const segment = (value: object): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor((NOW.getTime() + 2 * DAY) / 1000);
  const token = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment({ sub: 'ci-bot', exp })}.c2lnbmF0dXJl`;
  const markdown = hover(secretWith({ token }), 'token');
  assert.match(
    markdown,
    /^\*\*data\.token\*\*: decoded, JWT, \d+ bytes\n\n- Expires: 2030-06-03 00:00 UTC \(2 days left\)/,
  );
  assert.match(markdown, /Header:\n\n```json\n\{\n {2}"alg": "HS256",\n {2}"typ": "JWT"\n\}\n```/);
  assert.match(markdown, /Claims:\n\n```json\n\{\n {2}"sub": "ci-bot",/);
  assert.equal(
    hover(secretWith({ token }), 'token', 'never'),
    markdown.slice(0, markdown.indexOf('\n\n')),
  );
});

test('a Docker config: registries and users, passwords masked, never the JSON', () => {
  const config = JSON.stringify({
    auths: {
      'registry.example.com': { auth: b64('deploy:pa55-w0rd-x') },
      'ghcr.io': { username: 'octo', password: 'ghp-secret-y' },
    },
  });
  const text = secretWith({ '.dockerconfigjson': config });
  const markdown = hover(text, '.dockerconfigjson');
  assert.equal(
    markdown,
    `**data..dockerconfigjson**: decoded, Docker config (2 registries), ${config.length} bytes\n\n` +
      '- "registry.example.com": user `deploy`, password ••••••••\n' +
      '- "ghcr.io": user `octo`, password ••••••••',
  );
  assert.doesNotMatch(markdown, /pa55|ghp-secret|auth/);
});

test('secretKeyRef: where the Secret is defined and the key decoded; a name lists the keys', () => {
  const secretText = secretWith({ password: 's3cr3t-v4lue', user: 'app' });
  const index = new SecretIndex();
  index.update('/ws/secrets.yaml', secretText);
  const pod = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    'spec:',
    '  containers:',
    '    - name: c',
    '      env:',
    '        - name: DB_PASSWORD',
    '          valueFrom:',
    '            secretKeyRef:',
    '              name: s',
    '              key: password',
    '        - name: MISSING',
    '          valueFrom:',
    '            secretKeyRef:',
    '              name: nowhere',
    '              key: x',
    '',
  ].join('\n');
  const context = {
    secrets: index,
    path: '/ws/pod.yaml',
    readText: (path: string) => (path === '/ws/secrets.yaml' ? secretText : undefined),
    now: NOW,
  };
  const onKey = hoverAt(pod, pod.indexOf('key: password') + 6, 'hover', context);
  assert.equal(
    onKey?.markdown,
    '**key `password` of Secret `s`**\n\nDefined in `secrets.yaml`, line 6 (data): text, 12 bytes\n\n```text\ns3cr3t-v4lue\n```',
  );
  assert.equal(pod.slice(onKey.start, onKey.end), 'password');
  const masked = hoverAt(pod, pod.indexOf('key: password') + 6, 'never', context);
  assert.equal(
    masked?.markdown,
    '**key `password` of Secret `s`**\n\nDefined in `secrets.yaml`, line 6 (data): text, 12 bytes',
  );
  const onName = hoverAt(pod, pod.indexOf('name: s\n') + 6, 'hover', context);
  assert.equal(
    onName?.markdown,
    '**Secret `s`**\n\nDefined in `secrets.yaml`, line 4; keys: `password`, `user`',
  );
  const nowhere = hoverAt(pod, pod.indexOf('nowhere') + 1, 'hover', context);
  assert.match(nowhere?.markdown ?? '', /not defined in this workspace/);
});
