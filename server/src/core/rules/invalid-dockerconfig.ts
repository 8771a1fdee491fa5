import { describeBase64ProblemByPosition } from '../base64';
import { readDockerConfig, registryLabel } from '../docker-config';
import type {
  AuthBase64Problem,
  DockerConfigFormat,
  DockerConfigProblem,
  JsonSyntaxError,
} from '../docker-config';
import { isSecret, secretValuesOf } from '../model';
import type { SecretValue } from '../model';
import { isPlaceholder } from '../placeholders';
import { resolveSecretValue } from '../secret-values';
import type { Severity } from '../types';
import { stringAt } from '../yaml-nodes';
import type { Rule } from './types';

/** The key each image pull Secret type keeps its config under. */
const KEY_BY_TYPE: Readonly<Record<string, { key: string; format: DockerConfigFormat }>> = {
  'kubernetes.io/dockerconfigjson': { key: '.dockerconfigjson', format: 'dockerconfigjson' },
  'kubernetes.io/dockercfg': { key: '.dockercfg', format: 'dockercfg' },
};

/** Every image pull of a Pod that lists this Secret fails: the kubelet's keyring errors out. */
const PULLS_FAIL = 'every image pull of a Pod that uses this Secret fails';

/**
 * Reads `.dockerconfigjson` / `.dockercfg` as the API server (JSON object required) and the
 * kubelet (`pkg/credentialprovider`, see docker-config.ts) do. Only the typed Secrets are
 * checked: the kubelet ignores these keys in any other Secret. Empty, templated and
 * placeholder values are stand-ins and are skipped. Messages name registries (host names),
 * never a user name or password.
 */
export const rule: Rule = {
  id: 'invalid-dockerconfig',
  severity: 'error',
  summary:
    'An image pull Secret whose .dockerconfigjson / .dockercfg is not JSON, lacks auths, or has an auth that is not base64 of user:password.',
  check({ document, objects, report }) {
    for (const secret of objects.filter(isSecret)) {
      const expected = KEY_BY_TYPE[stringAt(secret.root, 'type') ?? ''];
      if (!expected) continue;
      // The entry Kubernetes keeps: the last one, stringData over data.
      let entry: SecretValue | undefined;
      for (const candidate of secretValuesOf(secret)) {
        if (candidate.key === expected.key) entry = candidate;
      }
      if (!entry) continue;
      const resolved = resolveSecretValue(entry, document.text);
      if (resolved.state !== 'bytes' || resolved.bytes.length === 0) continue;
      if (isPlaceholder(resolved.bytes.toString('utf8'))) continue;
      const [start, end] = resolved.scalar.range ?? [0, 0];
      const reading = readDockerConfig(resolved.bytes, expected.format);
      for (const problem of reading.problems) {
        const { message, severity } = describe(problem, expected.key);
        report({ start, end, message, ...(severity ? { severity } : {}) });
      }
    }
  },
};

function describe(
  problem: DockerConfigProblem,
  key: string,
): { message: string; severity?: Severity } {
  switch (problem.kind) {
    case 'not-json':
      return {
        message: `${key} is not valid JSON (${describeSyntaxError(problem.error)}): the API server rejects it`,
      };
    case 'not-an-object':
      return problem.found === 'null'
        ? { message: `${key} is JSON null: it holds no registry credentials` }
        : {
            message: `${key} is a JSON ${problem.found}, not an object: the API server rejects it`,
          };
    case 'missing-auths': {
      const why = problem.legacyLayout
        ? `; its registries are at the top level, the legacy .dockercfg layout: wrap them in {"auths": {...}} or use type kubernetes.io/dockercfg`
        : problem.credentialHelper
          ? '; it names a credential helper (credsStore/credHelpers), which the kubelet cannot use'
          : '';
      return {
        message: `${key} has no "auths" object, so the kubelet finds no registry credentials${why}`,
      };
    }
    case 'auths-not-an-object':
      return problem.found === 'null'
        ? { message: `"auths" in ${key} is null: it holds no registry credentials` }
        : { message: `"auths" in ${key} is a JSON ${problem.found}, not an object: ${PULLS_FAIL}` };
    case 'json-layout-in-dockercfg':
      return {
        message: `${key} holds an "auths" object, the .dockerconfigjson layout: the kubelet reads "auths" as a registry name; use type kubernetes.io/dockerconfigjson with key .dockerconfigjson, or put the registries at the top level`,
      };
    case 'entry-not-an-object':
      return {
        message: `registry ${registryLabel(problem.registry)} in ${key}: its entry is a JSON ${problem.found}, not an object: ${PULLS_FAIL}`,
      };
    case 'field-not-a-string':
      return {
        message: `registry ${registryLabel(problem.registry)} in ${key}: "${problem.field}" is a JSON ${problem.found}, not a string: ${PULLS_FAIL}`,
      };
    case 'auth-not-base64':
      return {
        message: `registry ${registryLabel(problem.registry)} in ${key}: "auth" is not base64 (${describeAuthProblem(problem.problem)}): ${PULLS_FAIL}`,
      };
    case 'auth-without-colon':
      return {
        message: `registry ${registryLabel(problem.registry)} in ${key}: "auth" does not decode to user:password (there is no ':'): ${PULLS_FAIL}`,
      };
    case 'auth-trailing-newline':
      return {
        message: `registry ${registryLabel(problem.registry)} in ${key}: "auth" decodes with a trailing line break, so the password ends with one (echo without -n?): the registry will refuse it`,
        severity: 'warning',
      };
    case 'auth-disagrees': {
      const fields = problem.fields.map((field) => `"${field}"`).join(' and ');
      const verb = problem.fields.length === 1 ? 'field disagrees' : 'fields disagree';
      return {
        message: `registry ${registryLabel(problem.registry)} in ${key}: the ${fields} ${verb} with "auth"; the kubelet uses "auth" and ignores the ${problem.fields.length === 1 ? 'field' : 'fields'}`,
        severity: 'warning',
      };
    }
    case 'no-credentials':
      return {
        message: `registry ${registryLabel(problem.registry)} in ${key} has no credentials (no auth, username or password), so pulls from it are anonymous${
          problem.credentialHelper
            ? ': they live in the credential helper named by credsStore/credHelpers, which the kubelet cannot use'
            : ''
        }`,
        severity: 'warning',
      };
  }
}

/** A JSON syntax error by position and expectation; never the text around it. */
function describeSyntaxError(error: JsonSyntaxError): string {
  const where = `line ${error.line}, column ${error.column}`;
  switch (error.found) {
    case 'end':
      return `it ends early at ${where}, expected ${error.expected}`;
    case 'control-character':
      return `a line break or control character inside a string at ${where}`;
    case 'too-deep':
      return `nested too deeply at ${where}`;
    case 'character':
      return `unexpected character at ${where}, expected ${error.expected}`;
  }
}

/** Why an `auth` is not base64, by position only: its characters are credentials. */
function describeAuthProblem(problem: AuthBase64Problem): string {
  return problem.kind === 'bad-length'
    ? 'its length is not a valid base64 length'
    : describeBase64ProblemByPosition(problem);
}
