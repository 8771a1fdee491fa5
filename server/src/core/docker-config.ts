/**
 * Registry credentials as Kubernetes reads an image pull Secret.
 *
 * - The API server (`ValidateSecret`) only JSON-decodes `.dockerconfigjson` / `.dockercfg`
 *   into a `map[string]interface{}`: invalid JSON, or JSON that is not an object, is rejected.
 * - The kubelet (`pkg/credentialprovider`) decodes `.dockerconfigjson` into
 *   `{"auths": {registry: entry}}` and the legacy `.dockercfg` into `{registry: entry}` with
 *   Go's `encoding/json` (field names match case-insensitively, the last duplicate wins). An
 *   entry's `auth`, when not empty, replaces `username`/`password`: it is base64 (padded
 *   `StdEncoding` when it ends with `=`, unpadded `RawStdEncoding` otherwise) of
 *   `user:password`. Any decoding error fails the whole keyring, so every image pull of a Pod
 *   that uses the Secret fails.
 *
 * Shared by the `invalid-dockerconfig` rule and the hovers (which list registries and users,
 * passwords masked). Nothing here puts a credential into a problem description.
 */
import { decodeGoBase64 } from './base64';
import type { Base64Problem } from './base64';

// --- JSON with positions ---------------------------------------------------------------------

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** Members in the order of their last occurrence (a repeated key moves to its last place). */
export type JsonObject = Map<string, JsonValue>;

/** Where and why JSON text stops being JSON; never quotes the text. */
export interface JsonSyntaxError {
  /** 0-based offset into the text, in UTF-16 code units. */
  offset: number;
  /** 1-based line and column of `offset`. */
  line: number;
  column: number;
  /** `character`: an unexpected character; `end`: the text ended early. */
  found: 'character' | 'end' | 'control-character' | 'too-deep';
  /** What would have been valid there, e.g. `',' or '}'`. */
  expected: string;
}

export type JsonParse = { ok: true; value: JsonValue } | { ok: false; error: JsonSyntaxError };

/** Deeper nesting is reported rather than risking the stack (Go allows 10000; no config nests). */
const MAX_DEPTH = 1000;

class JsonFailure extends Error {
  constructor(
    readonly offset: number,
    readonly found: JsonSyntaxError['found'],
    readonly expected: string,
  ) {
    super('invalid JSON');
  }
}

/** Parses RFC 8259 JSON, as strictly as Go's `encoding/json` (no BOM, no comments). */
export function parseJson(text: string): JsonParse {
  let position = 0;

  const fail = (expected: string): never => {
    if (position >= text.length) throw new JsonFailure(position, 'end', expected);
    throw new JsonFailure(position, 'character', expected);
  };
  const skipWhitespace = (): void => {
    while (position < text.length) {
      const c = text.charCodeAt(position);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      position++;
    }
  };
  const expect = (character: string, expected: string): void => {
    if (text[position] !== character) fail(expected);
    position++;
  };

  const parseString = (): string => {
    expect('"', 'a string');
    let result = '';
    for (;;) {
      if (position >= text.length) fail("'\"' to end the string");
      const c = text.charCodeAt(position);
      if (c === 0x22) {
        position++;
        return result;
      }
      if (c < 0x20) throw new JsonFailure(position, 'control-character', 'an escape such as \\n');
      if (c !== 0x5c) {
        result += text[position];
        position++;
        continue;
      }
      position++;
      const escape = text[position];
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (escape !== undefined && escape in simple) {
        result += simple[escape];
        position++;
      } else if (escape === 'u') {
        const hex = text.slice(position + 1, position + 5);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
          position++;
          while (position < text.length && /[0-9A-Fa-f]/.test(text[position] ?? '')) position++;
          fail('four hexadecimal digits after \\u');
        }
        result += String.fromCharCode(parseInt(hex, 16));
        position += 5;
      } else {
        fail('an escape character (" \\ / b f n r t u)');
      }
    }
  };

  const parseNumber = (): number => {
    const start = position;
    if (text[position] === '-') position++;
    const digits = (): void => {
      if (!/[0-9]/.test(text[position] ?? '')) fail('a digit');
      while (/[0-9]/.test(text[position] ?? '')) position++;
    };
    if (text[position] === '0') position++;
    else digits();
    if (text[position] === '.') {
      position++;
      digits();
    }
    if (text[position] === 'e' || text[position] === 'E') {
      position++;
      if (text[position] === '+' || text[position] === '-') position++;
      digits();
    }
    return Number(text.slice(start, position));
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) throw new JsonFailure(position, 'too-deep', 'less nesting');
    skipWhitespace();
    const c = text[position];
    if (c === '{') {
      position++;
      const object: JsonObject = new Map();
      skipWhitespace();
      if (text[position] === '}') {
        position++;
        return object;
      }
      for (;;) {
        skipWhitespace();
        if (text[position] !== '"')
          fail(object.size === 0 ? "a string key or '}'" : 'a string key');
        const key = parseString();
        skipWhitespace();
        expect(':', "':' after the key");
        const value = parseValue(depth + 1);
        object.delete(key); // the last duplicate wins, and takes the last place
        object.set(key, value);
        skipWhitespace();
        if (text[position] === ',') {
          position++;
          continue;
        }
        expect('}', "',' or '}'");
        return object;
      }
    }
    if (c === '[') {
      position++;
      const array: JsonValue[] = [];
      skipWhitespace();
      if (text[position] === ']') {
        position++;
        return array;
      }
      for (;;) {
        array.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[position] === ',') {
          position++;
          continue;
        }
        expect(']', "',' or ']'");
        return array;
      }
    }
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, position)) {
        position += word.length;
        return value;
      }
    }
    return fail('a JSON value');
  };

  try {
    const value = parseValue(0);
    skipWhitespace();
    if (position < text.length) fail('the end of the JSON value');
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof JsonFailure)) throw error;
    const before = text.slice(0, error.offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return {
      ok: false,
      error: {
        offset: error.offset,
        line: before.split('\n').length,
        column: error.offset - lineStart + 1,
        found: error.found,
        expected: error.expected,
      },
    };
  }
}

/** `object`, `array`, `string`, `number`, `boolean` or `null`: a JSON value's kind. */
export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** The kind of a parsed JSON value. */
export function jsonKindOf(value: JsonValue): JsonKind {
  if (value === null) return 'null';
  if (value instanceof Map) return 'object';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean';
}

/**
 * A struct field as Go's `encoding/json` fills it: every member whose name equals `name`
 * case-insensitively assigns it, so the last one wins. Undefined when none is present.
 */
export function goFieldOf(object: JsonObject, name: string): JsonValue | undefined {
  let found: JsonValue | undefined;
  const folded = name.toLowerCase();
  for (const [key, value] of object) if (key.toLowerCase() === folded) found = value;
  return found;
}

// --- Docker config ---------------------------------------------------------------------------

/** `.dockerconfigjson` (`{"auths": {...}}`) or the legacy `.dockercfg` (`{registry: entry}`). */
export type DockerConfigFormat = 'dockerconfigjson' | 'dockercfg';

/** One registry's credentials as the kubelet would use them. */
export interface RegistryCredentials {
  /** The registry key as written (a host name or a URL). */
  registry: string;
  /** From `auth` when it is set and valid, else from the `username`/`password` fields. */
  username: string | undefined;
  password: string | undefined;
  email: string | undefined;
  source: 'auth' | 'fields' | 'none';
}

/** Why an `auth` field is not base64: a Go decoder problem, or a length no decoder accepts. */
export type AuthBase64Problem = Base64Problem | { kind: 'bad-length' };

export type DockerConfigProblem =
  /** The API server rejects the Secret. */
  | { kind: 'not-json'; error: JsonSyntaxError }
  /** Not an object: the API server rejects it (null is accepted, and holds nothing). */
  | { kind: 'not-an-object'; found: JsonKind }
  /** `.dockerconfigjson` without `auths`: the kubelet finds no credentials. */
  | { kind: 'missing-auths'; legacyLayout: boolean; credentialHelper: boolean }
  | { kind: 'auths-not-an-object'; found: JsonKind }
  /** `.dockercfg` holding `{"auths": ...}`: the newer layout under the legacy key. */
  | { kind: 'json-layout-in-dockercfg' }
  | { kind: 'entry-not-an-object'; registry: string; found: JsonKind }
  | { kind: 'field-not-a-string'; registry: string; field: string; found: JsonKind }
  | { kind: 'auth-not-base64'; registry: string; problem: AuthBase64Problem }
  | { kind: 'auth-without-colon'; registry: string }
  /** The decoded `auth` ends with a line feed: the password does (`echo` without `-n`). */
  | { kind: 'auth-trailing-newline'; registry: string }
  /** `auth` decodes fine but names another user or password than the separate fields. */
  | { kind: 'auth-disagrees'; registry: string; fields: ('username' | 'password')[] }
  /** An entry without `auth`, `username` or `password`: pulls from it are anonymous. */
  | { kind: 'no-credentials'; registry: string; credentialHelper: boolean };

export interface DockerConfigReading {
  format: DockerConfigFormat;
  /** In source order; empty when the config could not be read. */
  registries: RegistryCredentials[];
  problems: DockerConfigProblem[];
  /** The config names `credsStore` or `credHelpers`: credentials kept outside the file. */
  credentialHelper: boolean;
}

/** Reads a `.dockerconfigjson` or `.dockercfg` value (its bytes) as the kubelet does. */
export function readDockerConfig(
  bytes: Uint8Array,
  format: DockerConfigFormat,
): DockerConfigReading {
  const reading: DockerConfigReading = {
    format,
    registries: [],
    problems: [],
    credentialHelper: false,
  };
  // Keep a byte order mark: Go's decoder rejects it, and so must we.
  const parsed = parseJson(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
  if (!parsed.ok) {
    reading.problems.push({ kind: 'not-json', error: parsed.error });
    return reading;
  }
  const root = parsed.value;
  if (!(root instanceof Map)) {
    reading.problems.push({ kind: 'not-an-object', found: jsonKindOf(root) });
    return reading;
  }
  reading.credentialHelper =
    goFieldOf(root, 'credsStore') !== undefined || goFieldOf(root, 'credHelpers') !== undefined;

  let registries: JsonObject;
  if (format === 'dockerconfigjson') {
    const auths = goFieldOf(root, 'auths');
    if (auths === undefined) {
      reading.problems.push({
        kind: 'missing-auths',
        legacyLayout: [...root.values()].some(looksLikeEntry),
        credentialHelper: reading.credentialHelper,
      });
      return reading;
    }
    if (!(auths instanceof Map)) {
      reading.problems.push({ kind: 'auths-not-an-object', found: jsonKindOf(auths) });
      return reading;
    }
    registries = auths;
  } else {
    registries = new Map(root);
    const auths = root.get('auths');
    if (auths instanceof Map && !looksLikeEntry(auths)) {
      reading.problems.push({ kind: 'json-layout-in-dockercfg' });
      registries.delete('auths');
    }
  }

  for (const [registry, entry] of registries) {
    const credentials = readEntry(registry, entry, reading);
    if (credentials) reading.registries.push(credentials);
  }
  return reading;
}

/** An object with an `auth`, `username` or `password` member: a registry entry. */
function looksLikeEntry(value: JsonValue): boolean {
  return (
    value instanceof Map &&
    ['auth', 'username', 'password'].some((field) => goFieldOf(value, field) !== undefined)
  );
}

const ENTRY_FIELDS = ['username', 'password', 'email', 'auth'] as const;

function readEntry(
  registry: string,
  entry: JsonValue,
  reading: DockerConfigReading,
): RegistryCredentials | undefined {
  const problems = reading.problems;
  // Go decodes null into an empty entry.
  const object: JsonObject = entry === null ? new Map() : (entry as JsonObject);
  if (entry !== null && !(entry instanceof Map)) {
    problems.push({ kind: 'entry-not-an-object', registry, found: jsonKindOf(entry) });
    return undefined;
  }
  const fields: Partial<Record<(typeof ENTRY_FIELDS)[number], string>> = {};
  let typeError = false;
  for (const field of ENTRY_FIELDS) {
    const value = goFieldOf(object, field);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      problems.push({ kind: 'field-not-a-string', registry, field, found: jsonKindOf(value) });
      typeError = true;
      continue;
    }
    fields[field] = value;
  }
  if (typeError) return undefined;
  const credentials: RegistryCredentials = {
    registry,
    username: fields.username || undefined,
    password: fields.password || undefined,
    email: fields.email || undefined,
    source: fields.username || fields.password ? 'fields' : 'none',
  };
  const auth = fields.auth;
  if (auth) {
    const decoded = decodeAuth(auth);
    if (!decoded.ok) {
      problems.push({ kind: 'auth-not-base64', registry, problem: decoded.problem });
      return credentials;
    }
    const text = decoded.bytes.toString('utf8');
    const colon = text.indexOf(':');
    if (colon === -1) {
      problems.push({ kind: 'auth-without-colon', registry });
      return credentials;
    }
    const username = text.slice(0, colon);
    const password = text.slice(colon + 1);
    if (text.endsWith('\n')) problems.push({ kind: 'auth-trailing-newline', registry });
    const disagreeing: ('username' | 'password')[] = [];
    if (fields.username && fields.username !== username) disagreeing.push('username');
    if (fields.password && fields.password !== password) disagreeing.push('password');
    if (disagreeing.length > 0) {
      problems.push({ kind: 'auth-disagrees', registry, fields: disagreeing });
    }
    return { ...credentials, username, password, source: 'auth' };
  }
  if (credentials.source === 'none') {
    problems.push({
      kind: 'no-credentials',
      registry,
      credentialHelper: reading.credentialHelper,
    });
  }
  return credentials;
}

/**
 * Decodes an `auth` field as the kubelet does (`decodeDockerConfigFieldAuth`): padded
 * `StdEncoding` when the trimmed value ends with `=`, unpadded `RawStdEncoding` otherwise.
 */
export function decodeAuth(
  field: string,
): { ok: true; bytes: Buffer } | { ok: false; problem: AuthBase64Problem } {
  if (field.trim().endsWith('=')) return decodeGoBase64(field);
  const remainder = field.replace(/[\r\n]/g, '').length % 4;
  // Unpadded: completing the padding lets the padded decoder judge every character. No
  // padding completes a group of one character; Go reports a bad character first, if any.
  const decoded = decodeGoBase64(field + '='.repeat(remainder <= 1 ? 0 : 4 - remainder));
  if (remainder === 1 && (decoded.ok || decoded.problem.kind === 'missing-padding')) {
    return { ok: false, problem: { kind: 'bad-length' } };
  }
  return decoded;
}

/**
 * A registry name fit for a message: quoted, control characters escaped, user info of a URL
 * (`https://user:pass@host`) removed, and at most 100 characters.
 */
export function registryLabel(registry: string): string {
  const withoutUserInfo = registry.replace(/^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?)[^/@]*@/, '$1');
  const short = withoutUserInfo.length > 100 ? `${withoutUserInfo.slice(0, 99)}…` : withoutUserInfo;
  return JSON.stringify(short);
}
