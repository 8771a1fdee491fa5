import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeAuth,
  goFieldOf,
  parseJson,
  readDockerConfig,
  registryLabel,
} from '../../server/src/core/docker-config';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const read = (json: string, format: 'dockerconfigjson' | 'dockercfg' = 'dockerconfigjson') =>
  readDockerConfig(Buffer.from(json), format);

test('parseJson accepts RFC 8259 JSON and keeps the last duplicate', () => {
  const parsed = parseJson(' {"a": [1, -2.5e3, true, null, "x\\u00e9\\n"], "b": {}, "a": 0}\n');
  assert.ok(parsed.ok);
  assert.ok(parsed.value instanceof Map);
  assert.deepEqual(
    [...parsed.value.entries()],
    [
      ['b', new Map()],
      ['a', 0],
    ],
  );
  const nested = parseJson('[1, -2.5e3, true, null, "x\\u00e9\\n"]');
  assert.deepEqual(nested, { ok: true, value: [1, -2500, true, null, 'xé\n'] });
});

test('parseJson errors give line, column and expectation, never the text', () => {
  const error = (text: string) => {
    const parsed = parseJson(text);
    return parsed.ok ? undefined : parsed.error;
  };
  assert.deepEqual(error('{"auths": }'), {
    offset: 10,
    line: 1,
    column: 11,
    found: 'character',
    expected: 'a JSON value',
  });
  assert.deepEqual(error('{\n  "a": 1\n  "b": 2\n}'), {
    offset: 13,
    line: 3,
    column: 3,
    found: 'character',
    expected: "',' or '}'",
  });
  assert.deepEqual(error('{"a": 1'), {
    offset: 7,
    line: 1,
    column: 8,
    found: 'end',
    expected: "',' or '}'",
  });
  assert.equal(error('{"a": "line\nbreak"}')?.found, 'control-character');
  assert.equal(error("{'a': 1}")?.expected, "a string key or '}'");
  assert.equal(error('{"a": 1,}')?.expected, 'a string key');
  assert.equal(error('{"a": 01}')?.expected, "',' or '}'");
  assert.equal(error('{} {}')?.expected, 'the end of the JSON value');
  assert.equal(error('\ufeff{}')?.column, 1); // Go rejects a byte order mark
  assert.equal(error('{"a": "\\x"}')?.expected, 'an escape character (" \\ / b f n r t u)');
  assert.equal(error('[1, 2')?.found, 'end');
  assert.equal(error(`${'['.repeat(2000)}${']'.repeat(2000)}`)?.found, 'too-deep');
});

test('goFieldOf matches case-insensitively, the last one winning', () => {
  const parsed = parseJson('{"auth": "a", "Auth": "b", "AUTH": "c", "other": 1}');
  assert.ok(parsed.ok && parsed.value instanceof Map);
  assert.equal(goFieldOf(parsed.value, 'auth'), 'c');
  assert.equal(goFieldOf(parsed.value, 'username'), undefined);
});

test('decodeAuth: padded StdEncoding when it ends with =, unpadded RawStdEncoding otherwise', () => {
  const ok = (field: string) => {
    const decoded = decodeAuth(field);
    return decoded.ok ? decoded.bytes.toString() : undefined;
  };
  assert.equal(ok(b64('user:pw')), 'user:pw');
  assert.equal(ok(b64('user:pw').replace(/=+$/, '')), 'user:pw');
  assert.equal(ok(`${b64('user:password')}\n`), 'user:password');
  assert.deepEqual(decodeAuth('dXNlcjpw-Q=='), {
    ok: false,
    problem: { kind: 'bad-character', index: 8, character: '-' },
  });
  assert.deepEqual(decodeAuth('dXNlc'), { ok: false, problem: { kind: 'bad-length' } });
  assert.equal(decodeAuth('dX=lcjpw').ok, false);
});

test('readDockerConfig lists registries with their effective credentials', () => {
  const reading = read(
    JSON.stringify({
      auths: {
        'registry.example.com': { auth: b64('robot:s3cret') },
        'ghcr.io': { username: 'octo', password: 'ghp_token', email: 'o@example.com' },
      },
    }),
  );
  assert.deepEqual(reading.problems, []);
  assert.deepEqual(reading.registries, [
    {
      registry: 'registry.example.com',
      username: 'robot',
      password: 's3cret',
      email: undefined,
      source: 'auth',
    },
    {
      registry: 'ghcr.io',
      username: 'octo',
      password: 'ghp_token',
      email: 'o@example.com',
      source: 'fields',
    },
  ]);
  const legacy = read(JSON.stringify({ 'quay.io': { auth: b64('a:b') } }), 'dockercfg');
  assert.deepEqual(legacy.problems, []);
  assert.equal(legacy.registries[0]?.username, 'a');
});

test('readDockerConfig problems', () => {
  const kinds = (json: string, format?: 'dockerconfigjson' | 'dockercfg') =>
    read(json, format).problems.map((problem) => problem.kind);
  assert.deepEqual(kinds('{"auths": '), ['not-json']);
  assert.deepEqual(kinds('[]'), ['not-an-object']);
  assert.deepEqual(kinds('{"credsStore": "desktop"}'), ['missing-auths']);
  assert.deepEqual(read('{"r.io": {"auth": "YTpi"}}').problems, [
    { kind: 'missing-auths', legacyLayout: true, credentialHelper: false },
  ]);
  assert.deepEqual(kinds('{"auths": []}'), ['auths-not-an-object']);
  assert.deepEqual(kinds('{"auths": {"r.io": {"auth": "YTpi"}}}', 'dockercfg'), [
    'json-layout-in-dockercfg',
  ]);
  assert.deepEqual(kinds('{"auths": {"r.io": "YTpi"}}'), ['entry-not-an-object']);
  assert.deepEqual(kinds('{"auths": {"r.io": {"password": 5}}}'), ['field-not-a-string']);
  assert.deepEqual(kinds(`{"auths": {"r.io": {"auth": "${b64('nocolon')}"}}}`), [
    'auth-without-colon',
  ]);
  assert.deepEqual(kinds(`{"auths": {"r.io": {"auth": "${b64('a:b\n')}"}}}`), [
    'auth-trailing-newline',
  ]);
  assert.deepEqual(
    read(`{"auths": {"r.io": {"auth": "${b64('a:b')}", "username": "a", "password": "c"}}}`)
      .problems,
    [{ kind: 'auth-disagrees', registry: 'r.io', fields: ['password'] }],
  );
  assert.deepEqual(read('{"auths": {"r.io": {}}, "credHelpers": {"r.io": "ecr"}}').problems, [
    { kind: 'no-credentials', registry: 'r.io', credentialHelper: true },
  ]);
  // Silent: Go's case-insensitive field names, an empty auth beside username/password, null.
  assert.deepEqual(kinds(`{"Auths": {"r.io": {"Auth": "${b64('a:b')}"}}}`), []);
  assert.deepEqual(
    kinds('{"auths": {"r.io": {"auth": "", "username": "a", "password": "b"}}}'),
    [],
  );
  assert.deepEqual(kinds('{"auths": {}}'), []);
});

test('registryLabel quotes, strips user info and shortens', () => {
  assert.equal(registryLabel('registry.example.com'), '"registry.example.com"');
  assert.equal(
    registryLabel('https://robot:pw@registry.example.com/v1/'),
    '"https://registry.example.com/v1/"',
  );
  assert.equal(registryLabel('robot:pw@registry.example.com'), '"registry.example.com"');
  assert.equal(registryLabel('a\nb'), '"a\\nb"');
  assert.equal(JSON.parse(registryLabel('x'.repeat(300))).length, 100);
});
