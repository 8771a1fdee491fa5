/**
 * Credential formats and secret-name heuristics. Every token below is fake and built by
 * concatenation at run time, so that this file does not trip secret scanners itself.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeCredential,
  detectCredential,
  findCredentials,
  findSecretSetting,
  isLiteralSecretValue,
  looksPasswordName,
  looksSecretName,
  nameWords,
} from '../../server/src/core/credentials';
import type { CredentialKind } from '../../server/src/core/credentials';
import { isPlaceholder } from '../../server/src/core/placeholders';
import {
  COMMON_PASSWORDS,
  DEFAULT_PASSWORDS,
  isWeakPassword,
} from '../../server/src/core/weak-passwords';
import { FAKE, fakeChars, jwtSegment as b64url } from '../helpers/fake-credentials';

const kindsIn = (text: string): CredentialKind[] => findCredentials(text).map((m) => m.kind);

describe('credential formats', () => {
  test('the fakes have the documented lengths', () => {
    assert.equal(FAKE.awsKeyId.length, 20);
    assert.equal(FAKE.github('p').length, 40);
    assert.equal(FAKE.githubFineGrained.length, 93);
    assert.equal(FAKE.gitlab.length, 26);
    assert.equal(FAKE.google.length, 39);
  });

  const positives: [string, string, CredentialKind][] = [
    ['RSA private key', FAKE.pem('RSA PRIVATE KEY'), 'pem-private-key'],
    ['EC private key', FAKE.pem('EC PRIVATE KEY'), 'pem-private-key'],
    ['OpenSSH private key', FAKE.pem('OPENSSH PRIVATE KEY'), 'pem-private-key'],
    ['PKCS#8 private key', FAKE.pem('PRIVATE KEY'), 'pem-private-key'],
    ['encrypted PKCS#8 key', FAKE.pem('ENCRYPTED PRIVATE KEY'), 'pem-private-key'],
    ['PGP private key block', FAKE.pem('PGP PRIVATE KEY BLOCK'), 'pem-private-key'],
    ['AWS access key id', FAKE.awsKeyId, 'aws-access-key-id'],
    ['AWS temporary key id', FAKE.awsSessionKeyId, 'aws-access-key-id'],
    ['GitHub ghp_', FAKE.github('p'), 'github-token'],
    ['GitHub gho_', FAKE.github('o'), 'github-token'],
    ['GitHub ghu_', FAKE.github('u'), 'github-token'],
    ['GitHub ghs_', FAKE.github('s'), 'github-token'],
    ['GitHub ghr_', FAKE.github('r'), 'github-token'],
    ['GitHub fine-grained token', FAKE.githubFineGrained, 'github-token'],
    ['GitLab token', FAKE.gitlab, 'gitlab-token'],
    ['Slack bot token', FAKE.slackBot, 'slack-token'],
    ['Slack webhook', FAKE.slackWebhook, 'slack-webhook'],
    ['Stripe live key', FAKE.stripe, 'stripe-key'],
    ['Stripe restricted key', FAKE.stripeRestricted, 'stripe-key'],
    ['Google API key', FAKE.google, 'google-api-key'],
    ['JWT', FAKE.jwt, 'jwt'],
    ['URL with a password', FAKE.url, 'url-password'],
    ['mysql URL, empty user', 'mysql://:' + 'k9Qz' + 'W2pL@db/app', 'url-password'],
  ];
  for (const [name, text, kind] of positives) {
    test(`finds ${name}`, () => {
      const match = detectCredential(text);
      assert.equal(match?.kind, kind);
      // Also inside surrounding text, with the exact span.
      const embedded = `config: ${text} # end`;
      const found = findCredentials(embedded).find((m) => m.kind === kind);
      assert.ok(found);
      const span = embedded.slice(found.start, found.end);
      // A URL's match ends at its host; every other match is the whole credential.
      if (kind === 'url-password') assert.ok(text.startsWith(span) && span.includes('@'));
      else assert.equal(span, text.replace(/\n$/, ''));
    });
  }

  test('an OpenSSH key body with long runs of A is still key material', () => {
    const key =
      '-----BEGIN OPENSSH PRIVATE KEY-----\n' +
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n' +
      '-----END OPENSSH PRIVATE KEY-----';
    assert.equal(detectCredential(key)?.kind, 'pem-private-key');
  });

  test('a PEM key inside a JSON string (a service account file)', () => {
    const json = JSON.stringify({ type: 'service_account', private_key: FAKE.pem('PRIVATE KEY') });
    assert.equal(detectCredential(json)?.kind, 'pem-private-key');
  });

  const negatives: [string, string][] = [
    [
      'a PEM header with a placeholder body',
      '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
    ],
    [
      'a PEM header with x',
      '-----BEGIN RSA PRIVATE KEY-----\n' + 'x'.repeat(64) + '\n-----END RSA PRIVATE KEY-----',
    ],
    [
      'a PEM header with a short body',
      '-----BEGIN PRIVATE KEY-----\nxxxxxxxx\n-----END OPENSSH PRIVATE KEY-----',
    ],
    ['a public key', FAKE.pem('PUBLIC KEY')],
    ['a certificate', FAKE.pem('CERTIFICATE')],
    ['the AWS documentation key id', 'AKIA' + 'IOSFODNN7' + 'EXAMPLE'],
    ['an AWS-like id inside a longer word', 'X' + FAKE.awsKeyId],
    ['an AWS-like id followed by more', FAKE.awsKeyId + 'Q'],
    ['an AWS-like id that is too short', FAKE.awsKeyId.slice(0, 19)],
    ['a lower-case AWS-like id', FAKE.awsKeyId.toLowerCase()],
    ['a GitHub token one short', FAKE.github('p').slice(0, 39)],
    ['a GitHub token one long', FAKE.github('p') + 'a'],
    ['a GitHub placeholder', 'gh' + 'p_' + 'x'.repeat(36)],
    ['an unknown gh prefix', 'gh' + 'z_' + fakeChars(36, 5)],
    ['a GitLab token too short', FAKE.gitlab.slice(0, 25)],
    ['a Slack placeholder', 'xo' + 'xb-your-bot-token-here'],
    [
      'a Slack documentation webhook',
      'https://hooks.slack.com/services/T00000000/B00000000/' + 'X'.repeat(24),
    ],
    ['a Stripe test key', 'sk' + '_test_' + fakeChars(24, 14)],
    ['a Google key too short', FAKE.google.slice(0, 38)],
    [
      'a JWT-like string whose header has no alg',
      b64url({ typ: 'JWT' }) + '.' + b64url({ sub: '1' }) + '.' + fakeChars(20),
    ],
    [
      'a JWT-like string that does not decode',
      'eyJ' + fakeChars(20) + '.eyJ' + fakeChars(20) + '.' + fakeChars(20),
    ],
    ['two JWT segments', b64url({ alg: 'HS256' }) + '.' + b64url({ sub: '1' })],
    ['a URL without a password', 'https://user@example.net/x'],
    ['a URL with an empty password', 'redis://user:@cache:6379'],
    ['a URL with ${VAR}', 'postgres://app:${DB_PASSWORD}@db/app'],
    ['a URL with $(VAR)', 'postgres://app:$(DB_PASSWORD)@db/app'],
    ['a URL with $VAR', 'postgres://app:$DB_PASSWORD@db/app'],
    ['a URL with a template', 'postgres://app:{{.Values.pw}}@db/app'],
    ['a URL with a percent-encoded template', 'postgres://app:%24%7BPW%7D@db/app'],
    ['a URL with changeme', 'postgres://app:changeme@db/app'],
    ['a URL with password', 'postgres://app:password@db/app'],
    ['a URL with yourpassword', 'postgres://app:yourpassword@db/app'],
    ['a URL with %s', 'amqp://guest:%s@rabbit/'],
    ['a URL with stars', 'postgres://app:*****@db/app'],
    ['a URL on example.com', 'https://user:Tr0ub4dor3@example.com/'],
    ['a plain URL', 'https://registry.example.org:5000/v2/'],
    ['an ordinary sentence', 'The quick brown fox jumps over the lazy dog.'],
  ];
  for (const [name, text] of negatives) {
    test(`ignores ${name}`, () => {
      assert.deepEqual(kindsIn(text), []);
      assert.equal(detectCredential(text), undefined);
    });
  }

  test('the most specific kind wins: a GitLab token in a clone URL', () => {
    const url = 'https://oauth2:' + FAKE.gitlab + '@gitlab.com/group/app.git';
    assert.deepEqual(kindsIn(url).sort(), ['gitlab-token', 'url-password']);
    assert.equal(detectCredential(url)?.kind, 'gitlab-token');
  });

  test('every match is reported, in order', () => {
    const text = `a=${FAKE.google}\nb=${FAKE.awsKeyId}\n`;
    assert.deepEqual(kindsIn(text), ['google-api-key', 'aws-access-key-id']);
  });

  test('descriptions name the kind and never a value', () => {
    assert.equal(describeCredential('aws-access-key-id'), 'an AWS access key id');
    assert.equal(describeCredential('pem-private-key'), 'a PEM private key');
    assert.equal(describeCredential('url-password'), 'a URL with a password');
  });
});

describe('looksSecretName', () => {
  const secret = [
    'PASSWORD',
    'password',
    'DB_PASSWORD',
    'db-password',
    'dbPassword',
    'db.password',
    'spring.datasource.password',
    'PGPASSWORD',
    'MYSQL_ROOT_PASSWORD',
    'PASSWORD2',
    'PASSWD',
    'MYSQL_PWD',
    'db_pwd',
    'PASSPHRASE',
    'SECRET',
    'CLIENT_SECRET',
    'clientSecret',
    'JWT_SECRET',
    'APP_SECRETS',
    'SECRET_KEY',
    'SECRET_KEY_BASE',
    'GITHUB_TOKEN',
    'accessToken',
    'auth_token',
    'API_KEY',
    'APIKEY',
    'apiKey',
    'ApiKey',
    'x-api-key',
    'PRIVATE_KEY',
    'privateKey',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ACCESS_KEY',
    'MINIO_ACCESS_KEY',
    'CREDENTIAL',
    'CREDENTIALS',
    'ENCRYPTION_KEY',
    'SIGNING_KEY',
    'AZURE_STORAGE_ACCOUNT_KEY',
    'REDIS_AUTH',
    'BASIC_AUTH',
    'DB_PASS',
    'SMTP_PASS',
  ];
  for (const name of secret) {
    test(`${name} looks secret`, () => assert.equal(looksSecretName(name), true));
  }
  const notSecret = [
    'DB_PASSWORD_FILE',
    'PASSWORD_PATH',
    'SECRETS_DIR',
    'SECRET_NAME',
    'DB_SECRET_NAME',
    'secretName',
    'existingSecret',
    'existingSecretPasswordKey',
    'secretRef',
    'secretKeyRef',
    'TOKEN_REF',
    'TOKEN_TTL',
    'TOKEN_TTL_SECONDS',
    'PASSWORD_MIN_LENGTH',
    'passwordMinLength',
    'TOKEN_TIMEOUT',
    'PASSWORD_POLICY',
    'AUTH_ENABLED',
    'TOKEN_AUTH_ENABLED',
    'TOKEN_URL',
    'OAUTH_TOKEN_ENDPOINT',
    'AWS_ACCESS_KEY_ID',
    'KMS_KEY_ID',
    'SECRET_ARN',
    'DB_USER',
    'DB_USERNAME',
    'PASSWORD_AUTHENTICATION',
    'POSTGRES_HOST_AUTH_METHOD',
    'TOKEN_AUDIENCE',
    'SECRET_MOUNT_PATH',
    'SECRET_VOLUME',
    'ALLOW_EMPTY_PASSWORD',
    'MYSQL_ALLOW_EMPTY_PASSWORD',
    'MYSQL_RANDOM_ROOT_PASSWORD',
    'PUBLIC_KEY',
    'NEXT_PUBLIC_API_KEY',
    'PWD',
    'OLDPWD',
    'SECRETARY',
    'TOKENIZER',
    'BYPASS',
    'PASSPORT',
    'COMPASS',
    'KEY',
    'CACHE_KEY',
    'SORT_KEY',
    'AUTH_METHOD',
    'AUTH_URL',
    'AUTH_PROVIDER',
    'AUTHOR',
    'LOG_LEVEL',
    '',
  ];
  for (const name of notSecret) {
    test(`${JSON.stringify(name)} does not look secret`, () =>
      assert.equal(looksSecretName(name), false));
  }

  test('words split at separators and camelCase humps', () => {
    assert.deepEqual(nameWords('APIKey'), ['api', 'key']);
    assert.deepEqual(nameWords('db2Password'), ['db2', 'password']);
    assert.deepEqual(nameWords('spring.datasource-PASSWORD_file'), [
      'spring',
      'datasource',
      'password',
      'file',
    ]);
  });
});

describe('looksPasswordName', () => {
  for (const name of [
    'password',
    'passwd',
    'pass',
    'pwd',
    'passphrase',
    'secret',
    'db-password',
    'POSTGRES_PASSWORD',
    'adminPassword',
    'rootpassword',
    'client-secret',
    'password.txt',
    'mysql-root-password',
    'node.session.auth.password',
  ]) {
    test(`${name} holds a password`, () => assert.equal(looksPasswordName(name), true));
  }
  for (const name of [
    'token',
    'api-key',
    'apiKey',
    'username',
    'user',
    'password-file',
    'passwordFile',
    'tls.key',
    'secret-name',
    'existingSecret',
    'ssh-privatekey',
    '.dockerconfigjson',
  ]) {
    test(`${name} does not hold a password`, () => assert.equal(looksPasswordName(name), false));
  }
});

describe('isLiteralSecretValue', () => {
  for (const value of ['hunter2', 'S3cure!Value', '0', '123456', 'changed']) {
    test(`${value} is literal`, () => assert.equal(isLiteralSecretValue(value), true));
  }
  for (const value of [
    '',
    '   ',
    '${DB_PASSWORD}',
    '$(DB_PASSWORD)',
    '{{ .Values.password }}',
    '<password>',
    'changeme',
    'CHANGE_ME',
    'REPLACE_ME',
    'TODO',
    'xxx',
    'true',
    'yes',
    'No',
    'false',
    'disabled',
    'vault:secret/data/app#password',
    'ref+vault://secret/app#/password',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
    'projects/acme/secrets/db-password/versions/latest',
    '$DB_PASSWORD',
    '$dex.github.clientSecret',
    '/run/secrets/db-password',
    'ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]',
    'yourpassword',
    'YourStrong!Passw0rd',
  ]) {
    test(`${JSON.stringify(value)} is not a literal secret`, () =>
      assert.equal(isLiteralSecretValue(value), false));
  }
});

describe('findSecretSetting', () => {
  test('an env-file line', () => {
    assert.deepEqual(findSecretSetting('REDIS_PASSWORD=abcd1234'), {
      name: 'REDIS_PASSWORD',
      line: 1,
    });
  });
  test('a properties file', () => {
    assert.deepEqual(
      findSecretSetting(
        'spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.password=hunter22\n',
      ),
      { name: 'spring.datasource.password', line: 2 },
    );
  });
  test('YAML and JSON', () => {
    assert.deepEqual(findSecretSetting('db:\n  host: db\n  password: s3cret-Value\n'), {
      name: 'password',
      line: 3,
    });
    assert.deepEqual(findSecretSetting('{\n  "user": "app",\n  "password": "s3cret-Value",\n}'), {
      name: 'password',
      line: 3,
    });
  });
  test('an exported shell variable and an INI line', () => {
    assert.equal(findSecretSetting('export API_TOKEN="abc123def"')?.name, 'API_TOKEN');
    assert.equal(findSecretSetting('[auth]\nadmin_password = Sup3rS3cret')?.line, 2);
  });
  for (const text of [
    'REDIS_PASSWORD=',
    'REDIS_PASSWORD=${REDIS_PASSWORD}',
    'export DB_PASSWORD=$(cat /run/secrets/db)',
    '# password=hunter22',
    ';admin_password = hunter22',
    '// "password": "hunter22"',
    'password_file = /etc/app/password',
    'auth_enabled = true',
    'password: |',
    'password:',
    'password: ""',
    'password: ~',
    'token_url: https://auth.internal/token',
    'url: https://user@host/x',
    'message: This is a test',
  ]) {
    test(`no setting in ${JSON.stringify(text)}`, () =>
      assert.equal(findSecretSetting(text), undefined));
  }
});

describe('weak passwords', () => {
  test('the list is a few hundred lower-case entries without white space', () => {
    const all = [...DEFAULT_PASSWORDS, ...COMMON_PASSWORDS];
    assert.ok(all.length >= 400, `${all.length} entries`);
    assert.equal(new Set(all).size, all.length, 'no duplicates');
    for (const entry of all) {
      assert.match(entry, /^\S+$/);
      assert.equal(entry, entry.toLowerCase());
    }
  });

  test('it holds the documented defaults', () => {
    for (const value of [
      'admin',
      'password',
      'changeit',
      'changeme',
      'root',
      'toor',
      'postgres',
      'mysql',
      'letmein',
      '123456',
      'secret',
      'guest',
      'default',
    ]) {
      assert.equal(isWeakPassword(value), true, value);
    }
  });

  test('no entry is a placeholder the plaintext rules skip, but changeme and changeit', () => {
    const markers = [...DEFAULT_PASSWORDS, ...COMMON_PASSWORDS].filter(isPlaceholder);
    assert.deepEqual(markers.sort(), ['changeit', 'changeme']);
  });

  test('case and one trailing line break are ignored', () => {
    assert.equal(isWeakPassword('PassWord'), true);
    assert.equal(isWeakPassword('letmein\n'), true);
    assert.equal(isWeakPassword('letmein\r\n'), true);
    assert.equal(isWeakPassword('letmein\n\n'), false);
    assert.equal(isWeakPassword(' letmein'), false);
  });

  test('strong values and markers are not weak', () => {
    for (const value of [
      '',
      'correct horse battery staple',
      'REPLACE_ME',
      'TODO',
      'xxx',
      '<password>',
    ]) {
      assert.equal(isWeakPassword(value), false, value);
    }
  });
});
