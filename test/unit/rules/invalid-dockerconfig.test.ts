import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, ruleTester } from '../../helpers/rule-tester';
import type { ExpectedFinding, InvalidCase } from '../../helpers/rule-tester';
import type { Severity } from '../../../server/src/core/types';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

// Generated stand-ins, never real credentials.
const USER = 'robot$ci-puller';
const PASSWORD = 'Zq7-vN2p!kW9xT4m';
const AUTH = b64(`${USER}:${PASSWORD}`);

/** The 1-based range of `needle`'s first occurrence in `code` (end column exclusive). */
function rangeOfText(code: string, needle: string, severity?: Severity): ExpectedFinding {
  const start = code.indexOf(needle);
  assert.ok(start >= 0, `fixture: ${needle.slice(0, 20)}… is in the code`);
  const position = (offset: number): { line: number; column: number } => {
    const before = code.slice(0, offset);
    return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
  };
  const from = position(start);
  const to = position(start + needle.length);
  return {
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
    ...(severity ? { severity } : {}),
  };
}

/** An image pull Secret whose config is base64 in `data`. */
function pullSecret(config: string, type = 'kubernetes.io/dockerconfigjson'): string {
  const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: registry-pull\ntype: ${type}\ndata:\n  ${key}: ${b64(config)}\n`;
}

/** An invalid case with `count` findings on the value, with these severities. */
function configCase(
  name: string,
  config: string,
  severities: Severity[],
  type?: string,
): InvalidCase {
  const code = pullSecret(config, type);
  return {
    name,
    code,
    errors: severities.map((severity) => rangeOfText(code, b64(config), severity)),
  };
}

const auths = (entries: Record<string, unknown>): string => JSON.stringify({ auths: entries });

ruleTester('invalid-dockerconfig', {
  valid: [
    { name: 'auth', code: pullSecret(auths({ 'registry.example.com': { auth: AUTH } })) },
    {
      name: 'username and password, auth agreeing with them, email',
      code: pullSecret(
        auths({
          'ghcr.io': { username: USER, password: PASSWORD },
          'registry.example.com': {
            auth: AUTH,
            username: USER,
            password: PASSWORD,
            email: 'ci@example.com',
          },
        }),
      ),
    },
    {
      name: 'unpadded auth: the kubelet reads it with RawStdEncoding (since 1.17)',
      code: pullSecret(auths({ 'r.example.com': { auth: b64('ab:c').replace(/=+$/, '') } })),
    },
    {
      name: 'Go matches field names case-insensitively',
      code: pullSecret(JSON.stringify({ Auths: { 'r.example.com': { Auth: AUTH } } })),
    },
    {
      name: 'an empty auth falls back to username/password',
      code: pullSecret(
        auths({ 'r.example.com': { auth: '', username: USER, password: PASSWORD } }),
      ),
    },
    { name: 'no registries at all', code: pullSecret('{"auths": {}}') },
    {
      name: 'legacy .dockercfg',
      code: pullSecret(
        JSON.stringify({ 'https://index.docker.io/v1/': { auth: AUTH, email: 'x@example.com' } }),
        'kubernetes.io/dockercfg',
      ),
    },
    {
      name: 'stringData, JSON in a block scalar',
      code: `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: |\n    {\n      "auths": {\n        "registry.example.com": {"auth": "${AUTH}"}\n      }\n    }\n`,
    },
    {
      name: 'stringData wins over data',
      code: `${pullSecret('not json')}stringData:\n  .dockerconfigjson: '${auths({ 'r.io': { auth: AUTH } })}'\n`,
    },
    {
      name: 'templates and placeholders',
      code: 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: "{{ .Values.imagePullSecret | b64enc }}"\n---\napiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: <your-docker-config>\n---\napiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockercfg\nstringData:\n  .dockercfg: ""\n',
    },
    {
      name: 'the kubelet ignores these keys outside their type',
      code: `apiVersion: v1\nkind: Secret\ntype: Opaque\ndata:\n  .dockerconfigjson: ${b64('not json')}\n`,
    },
    {
      name: 'a key under the other type is type-required-keys business',
      code: pullSecret('not json', 'kubernetes.io/dockercfg').replace(
        '.dockercfg',
        '.dockerconfigjson',
      ),
    },
    {
      name: 'bad base64 is invalid-base64 business',
      code: 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: "{not base64}"\n',
    },
  ],
  invalid: [
    configCase('not JSON', '{"auths": {"r.example.com": {"auth": "x"}', ['error']),
    configCase('a JSON array', '[]', ['error']),
    configCase('no auths, a credential store', '{"credsStore": "desktop"}', ['error']),
    configCase(
      'legacy layout under .dockerconfigjson',
      JSON.stringify({ 'r.example.com': { auth: AUTH } }),
      ['error'],
    ),
    configCase('auths is not an object', '{"auths": "r.example.com"}', ['error']),
    configCase(
      'auth with characters outside base64',
      auths({ 'r.example.com': { auth: 'cm9ib3Q6c2VjcmV0-_' } }),
      ['error'],
    ),
    configCase('auth of an impossible length', auths({ 'r.example.com': { auth: 'cm9ib' } }), [
      'error',
    ]),
    configCase('auth without a colon', auths({ 'r.example.com': { auth: b64(USER + PASSWORD) } }), [
      'error',
    ]),
    configCase(
      'auth with a trailing newline: warning',
      auths({ 'r.example.com': { auth: b64(`${USER}:${PASSWORD}\n`) } }),
      ['warning'],
    ),
    configCase(
      'auth disagreeing with username/password: warning',
      auths({ 'r.example.com': { auth: AUTH, username: 'someone-else', password: PASSWORD } }),
      ['warning'],
    ),
    configCase('an entry that is not an object', auths({ 'r.example.com': AUTH }), ['error']),
    configCase(
      'a field that is not a string',
      auths({ 'r.example.com': { username: USER, password: 1234 } }),
      ['error'],
    ),
    configCase(
      'an entry without credentials and a credential helper: warning',
      JSON.stringify({ auths: { 'r.example.com': {} }, credsStore: 'osxkeychain' }),
      ['warning'],
    ),
    configCase(
      'several registries, several problems, in source order',
      auths({
        'a.example.com': { auth: 'not base64!' },
        'b.example.com': { auth: AUTH },
        'c.example.com': { auth: b64('nocolon') },
      }),
      ['error', 'error'],
    ),
    configCase(
      '.dockercfg that is not JSON',
      '{"r.example.com": ',
      ['error'],
      'kubernetes.io/dockercfg',
    ),
    configCase(
      '.dockercfg with the .dockerconfigjson layout',
      auths({ 'r.example.com': { auth: AUTH } }),
      ['error'],
      'kubernetes.io/dockercfg',
    ),
    configCase(
      '.dockercfg auth without a colon',
      JSON.stringify({ 'r.example.com': { auth: b64('nocolon') } }),
      ['error'],
      'kubernetes.io/dockercfg',
    ),
    (() => {
      const code = `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: |\n    {\n      "auths": {\n        "r.example.com": {"auth": "${AUTH}"},\n      }\n    }\n`;
      return {
        name: 'stringData block scalar with a trailing comma',
        code,
        errors: [rangeOfText(code, code.slice(code.indexOf('|')))],
      };
    })(),
    (() => {
      const code = `{"data": {".dockerconfigjson": "${b64('{}')}"}, "type": "kubernetes.io/dockerconfigjson", "kind": "Secret", "apiVersion": "v1"}`;
      return {
        name: 'JSON manifest, kind last',
        code,
        errors: [rangeOfText(code, `"${b64('{}')}"`)],
      };
    })(),
    (() => {
      const good = pullSecret(auths({ 'r.example.com': { auth: AUTH } }));
      const bad = pullSecret('{');
      const code = `${good}---\n${bad}`;
      return {
        name: 'the second document of a multi-document file',
        code,
        errors: [rangeOfText(code, b64('{'))],
      };
    })(),
  ],
});

const messagesOf = (code: string): string[] =>
  findingsOf('invalid-dockerconfig', { code }).map((finding) => finding.message);

test('messages name the registry and the problem', () => {
  assert.deepEqual(messagesOf(pullSecret('{"auths": {"r.example.com": {"auth": "x"}')), [
    ".dockerconfigjson is not valid JSON (it ends early at line 1, column 42, expected ',' or '}'): the API server rejects it",
  ]);
  assert.deepEqual(messagesOf(pullSecret('{\n  "auths": {}\n  "x": 1\n}')), [
    ".dockerconfigjson is not valid JSON (unexpected character at line 3, column 3, expected ',' or '}'): the API server rejects it",
  ]);
  assert.deepEqual(messagesOf(pullSecret(auths({ 'r.example.com': { auth: b64('nocolon') } }))), [
    `registry "r.example.com" in .dockerconfigjson: "auth" does not decode to user:password (there is no ':'): every image pull of a Pod that uses this Secret fails`,
  ]);
  assert.deepEqual(messagesOf(pullSecret(auths({ 'r.example.com': { auth: 'cm9i-' } }))), [
    `registry "r.example.com" in .dockerconfigjson: "auth" is not base64 (character 5 is not in the base64 alphabet): every image pull of a Pod that uses this Secret fails`,
  ]);
  assert.match(
    messagesOf(pullSecret('{"credsStore": "desktop"}'))[0] ?? '',
    /no "auths" object.*credential helper/,
  );
  assert.match(
    messagesOf(pullSecret(JSON.stringify({ 'r.example.com': { auth: AUTH } })))[0] ?? '',
    /legacy \.dockercfg layout/,
  );
  assert.match(
    messagesOf(
      pullSecret(auths({ 'r.example.com': { auth: AUTH, username: 'x', password: 'y' } })),
    )[0] ?? '',
    /the "username" and "password" fields disagree with "auth"; the kubelet uses "auth"/,
  );
  assert.match(
    messagesOf(pullSecret(auths({ 'https://robot:pw@r.example.com/v2/': { auth: 'x' } })))[0] ?? '',
    /^registry "https:\/\/r\.example\.com\/v2\/"/,
  );
});

test('messages never contain user names, passwords or the encoded config', () => {
  const configs = [
    auths({ 'r.example.com': { auth: b64(USER + PASSWORD) } }),
    auths({ 'r.example.com': { auth: `${AUTH.slice(0, 8)}-${AUTH.slice(8)}` } }),
    auths({ 'r.example.com': { auth: b64(`${USER}:${PASSWORD}\n`) } }),
    auths({ 'r.example.com': { auth: AUTH, username: `${USER}2`, password: `${PASSWORD}2` } }),
    auths({ [`https://${USER}:${PASSWORD}@r.example.com`]: { auth: 'x' } }),
    `{"auths": {"r.example.com": {"username": "${USER}", "password": "${PASSWORD}"`,
    `{"auths": {"r.example.com": {"username": "${USER}", "password": ${PASSWORD}}}}`,
  ];
  let checked = 0;
  for (const config of configs) {
    for (const message of messagesOf(pullSecret(config))) {
      checked++;
      for (const secret of [USER, PASSWORD, AUTH, b64(config).slice(0, 24), 'robot', 'Zq7']) {
        assert.ok(!message.includes(secret), message);
      }
    }
  }
  assert.ok(checked >= configs.length);
});
