/**
 * What a value or a name is, credential-wise: known token formats found inside a text, and the
 * heuristics that say whether a key or variable name stands for a secret. Shared by the rules
 * (`hardcoded-secret-env`, `secret-in-configmap`, `weak-credential`) and the hovers.
 *
 * Both halves lean towards silence. The most reported false positives of kube-linter, checkov
 * and detect-secrets are names that only refer to or configure a secret (`DB_PASSWORD_FILE`,
 * `secretName`, `TOKEN_TTL_SECONDS`) and documentation stand-ins (`AKIAIOSFODNN7EXAMPLE`,
 * `ghp_xxxx…`, `postgres://user:password@…`): none of them is reported.
 */
import { isPlaceholder, isTemplated } from './placeholders';

// ---------------------------------------------------------------------------------------
// Credential formats
// ---------------------------------------------------------------------------------------

/** The credential formats that are recognised inside a text. */
export type CredentialKind =
  | 'pem-private-key'
  | 'aws-access-key-id'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'stripe-key'
  | 'google-api-key'
  | 'jwt'
  | 'url-password';

/** A credential found in a text; offsets are UTF-16 indices into that text. */
export interface CredentialMatch {
  kind: CredentialKind;
  /** `[start, end)` of the credential (for a URL: the whole URL up to its host). */
  start: number;
  end: number;
}

const DESCRIPTIONS: Readonly<Record<CredentialKind, string>> = {
  'pem-private-key': 'a PEM private key',
  'aws-access-key-id': 'an AWS access key id',
  'github-token': 'a GitHub token',
  'gitlab-token': 'a GitLab personal access token',
  'slack-token': 'a Slack token',
  'slack-webhook': 'a Slack webhook URL',
  'stripe-key': 'a Stripe live API key',
  'google-api-key': 'a Google API key',
  jwt: 'a JSON Web Token',
  'url-password': 'a URL with a password',
};

/** What a message says for a kind: "an AWS access key id" (never the match itself). */
export function describeCredential(kind: CredentialKind): string {
  return DESCRIPTIONS[kind];
}

interface Detector {
  kind: CredentialKind;
  /** Global regular expression; the whole match is the credential. */
  pattern: RegExp;
  /** Further checks on the match (a JWT's header must decode, a URL's password be real). */
  accept?: (match: RegExpExecArray) => boolean;
  /** Whether runs of one character mark a stand-in (not for key material: `AAAAAAAAAAAB`). */
  standIns?: false;
}

// Tokens are bounded by characters that cannot belong to them, so that a longer random string
// that happens to contain `AKIA…` is not reported.
const DETECTORS: readonly Detector[] = [
  {
    kind: 'pem-private-key',
    // RSA, EC, DSA, OPENSSH, ENCRYPTED (PKCS#8), PGP (`... PRIVATE KEY BLOCK`) or plain PKCS#8.
    pattern:
      /-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP|SSH2) )?PRIVATE KEY(?: BLOCK)?-----([\s\S]*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    accept: (match) => hasKeyMaterial(match[1] ?? ''),
    standIns: false,
  },
  {
    kind: 'aws-access-key-id',
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  },
  {
    kind: 'github-token',
    // Classic tokens (`ghp_` personal, `gho_` OAuth, `ghu_` user-to-server, `ghs_`
    // server-to-server, `ghr_` refresh) and fine-grained personal access tokens.
    pattern:
      /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'gitlab-token',
    pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'slack-token',
    // Bot, app, user, refresh and legacy tokens all start with a numeric workspace/app id.
    pattern: /(?<![A-Za-z0-9_-])xox[baprs]-[0-9]+-[A-Za-z0-9-]{8,}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'slack-webhook',
    pattern:
      /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{16,}/g,
  },
  {
    kind: 'stripe-key',
    pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{20,}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'google-api-key',
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'jwt',
    pattern:
      /(?<![A-Za-z0-9_.-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}(?![A-Za-z0-9_.-])/g,
    accept: (match) => isJwt(match[0]),
  },
  {
    kind: 'url-password',
    // scheme://user:password@host; the user may be empty, the password may not.
    pattern:
      /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/([^\s:@/?#"'<>`]{0,256}):([^\s/?#"'<>`]{0,256})@([^\s/?#:@"'<>`]+)/g,
    accept: (match) => isRealUrlPassword(match[2] ?? '', match[3] ?? ''),
  },
];

/**
 * Every credential found in `text`, in order of position. Matches that are documentation
 * stand-ins (`EXAMPLE`, runs of `x` or `0`, `your…`) are left out.
 */
export function findCredentials(text: string): CredentialMatch[] {
  const found: CredentialMatch[] = [];
  for (const detector of DETECTORS) {
    detector.pattern.lastIndex = 0;
    for (const match of text.matchAll(detector.pattern)) {
      const start = match.index;
      if (detector.standIns !== false && isStandIn(match[0])) continue;
      if (detector.accept && !detector.accept(match)) continue;
      found.push({ kind: detector.kind, start, end: start + match[0].length });
    }
  }
  return found.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * The most specific credential in `text`, or undefined. When several are present the kind
 * listed first wins (a PEM key over a token over a URL with a password), so that a GitLab token
 * inside a clone URL is called a GitLab token.
 */
export function detectCredential(text: string): CredentialMatch | undefined {
  // A quick filter keeps the common case (no credential-looking text at all) cheap.
  if (!QUICK_FILTER.test(text) && !hasUrlWithAt(text)) return undefined;
  const found = findCredentials(text);
  const rank = (kind: CredentialKind): number => DETECTORS.findIndex((d) => d.kind === kind);
  return found.sort((a, b) => rank(a.kind) - rank(b.kind) || a.start - b.start)[0];
}

const QUICK_FILTER =
  /PRIVATE KEY|AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[baprs]-|hooks\.slack|_live_|AIza|eyJ/;

/**
 * `://` followed by an `@` before the next white space (what `/:\/\/[^\s]*@/` says), in one
 * pass: the regular expression rescans to the next space from every `://`, quadratic in a
 * long run of them.
 */
function hasUrlWithAt(text: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf('://', from);
    if (at === -1) return false;
    let i = at + 3;
    for (; i < text.length && !/\s/.test(text[i] ?? ' '); i++) {
      if (text.charCodeAt(i) === 0x40 /* @ */) return true;
    }
    from = i;
  }
}

/** Placeholders written in the shape of a token: `AKIAIOSFODNN7EXAMPLE`, `ghp_xxxx…`. */
function isStandIn(token: string): boolean {
  return /example|x{5,}|0{8,}|(.)\1{9,}|your[-_]?/i.test(token);
}

/** A PEM body with real key material: at least 32 base64 characters besides its headers. */
function hasKeyMaterial(body: string): boolean {
  const material = body
    .replace(/\\[nr]/g, '\n') // a key inside a JSON string (service account files)
    .split(/\r?\n/)
    .filter((line) => !/^\s*[A-Za-z-]+:\s/.test(line)) // Proc-Type:, DEK-Info:, Comment:
    .join('')
    .replace(/\s+/g, '');
  if (isPlaceholder(material) || isTemplated(material)) return false;
  if (/x{5,}|\.\.\.|example/i.test(material)) return false;
  return (material.match(/[A-Za-z0-9+/=]/g)?.length ?? 0) >= 32;
}

/** Three base64url segments whose header and payload decode to JSON objects, the header with `alg`. */
function isJwt(token: string): boolean {
  const [header, payload] = token.split('.');
  const decodedHeader = decodeJsonSegment(header ?? '');
  if (!decodedHeader || typeof decodedHeader.alg !== 'string') return false;
  return decodeJsonSegment(payload ?? '') !== undefined;
}

function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Words that documentation writes where a URL's password goes. */
const PLACEHOLDER_PASSWORDS = new Set(['password', 'passwd', 'pass', 'pwd', 'pw', 'secret']);

function isRealUrlPassword(rawPassword: string, host: string): boolean {
  if (rawPassword === '') return false; // `user:@host`: no password
  let password = rawPassword;
  try {
    password = decodeURIComponent(rawPassword);
  } catch {
    // Not percent-encoded: take it as written.
  }
  if (isPlaceholder(password) || isTemplated(password) || isTemplated(rawPassword)) return false;
  if (PLACEHOLDER_PASSWORDS.has(password.toLowerCase()) || /^your/i.test(password)) return false;
  // `$VAR`, `%s`, `%(password)s`: filled in later by a shell, printf or Python.
  if (/^\$[A-Za-z_{(]|^%(?:\([^)]*\))?s$/.test(password)) return false;
  return !/(?:^|\.)example(?:\.(?:com|org|net))?$/i.test(host);
}

// ---------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------

/**
 * The words of a key or variable name, lower-cased: split at `_`, `-`, `.`, `/`, spaces and
 * camelCase humps (`APIKey` is `api key`, `db2Password` is `db2 password`).
 */
export function nameWords(name: string): string[] {
  return (
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      // `APIKey` -> `API Key`; lookarounds, as `([A-Z]+)([A-Z][a-z])` backtracks quadratically
      // over a long run of capitals.
      .replace(/(?<=[A-Z])(?=[A-Z][a-z])/g, ' ')
      .split(/[^A-Za-z0-9]+/)
      .filter((word) => word !== '')
      .map((word) => word.toLowerCase())
  );
}

/** A word with trailing digits removed (`password2` counts as `password`). */
function stem(word: string): string {
  // A loop, not `/[0-9]+$/`: that retries from every digit of a long run that does not end
  // the word (quadratic).
  let end = word.length;
  while (end > 0 && isDigit(word.charCodeAt(end - 1))) end--;
  return end === 0 ? word : word.slice(0, end);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Words that name a secret, alone or as the end of a run-together word (`pgpassword`). */
const SECRET_ROOTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
  'accesskey',
  'secretkey',
  'authkey',
];

/** Pairs of words that name a secret together (`API_KEY`, `privateKey`, `STORAGE_KEY`). */
const SECRET_PAIRS: ReadonlySet<string> = new Set([
  'api key',
  'private key',
  'access key',
  'client key',
  'encryption key',
  'signing key',
  'master key',
  'account key',
  'storage key',
  'app key',
  'auth key',
  'session key',
  'license key',
  'shared key',
]);

/** Short words that name a secret only as the last word (`DB_PASS`, `REDIS_AUTH`). */
const SECRET_LAST_WORDS: ReadonlySet<string> = new Set(['pass', 'auth', 'creds']);

/**
 * Last words of names that refer to a secret or configure one rather than hold it:
 * `DB_PASSWORD_FILE`, `secretName`, `TOKEN_TTL_SECONDS`, `PASSWORD_MIN_LENGTH`,
 * `AWS_ACCESS_KEY_ID` (an id: its value is caught by the AWS key id pattern when it is one),
 * `TOKEN_URL` (a URL with credentials in it is the URL pattern's job), `DB_USER`.
 */
const REFERRING_LAST_WORDS: ReadonlySet<string> = new Set([
  // where the secret is
  'file',
  'files',
  'path',
  'paths',
  'dir',
  'dirs',
  'directory',
  'folder',
  'location',
  'mount',
  'mountpath',
  'volume',
  'name',
  'names',
  'ref',
  'refs',
  'reference',
  'id',
  'ids',
  'arn',
  'url',
  'urls',
  'uri',
  'endpoint',
  'host',
  'hostname',
  'port',
  'region',
  'namespace',
  'provider',
  'store',
  'backend',
  'source',
  'engine',
  'manager',
  'class',
  'env',
  'cookie',
  'param',
  'parameter',
  'field',
  'header',
  'selector',
  'label',
  'annotation',
  // how long it lives and how it is checked
  'ttl',
  'seconds',
  'secs',
  'sec',
  'ms',
  'millis',
  'milliseconds',
  'minutes',
  'mins',
  'hours',
  'days',
  'timeout',
  'interval',
  'lifetime',
  'duration',
  'expiry',
  'expires',
  'expiration',
  'age',
  'length',
  'len',
  'size',
  'bytes',
  'count',
  'min',
  'max',
  'minimum',
  'maximum',
  'policy',
  'strength',
  'complexity',
  'charset',
  'chars',
  'hint',
  'enabled',
  'enable',
  'disabled',
  'disable',
  'required',
  'authentication',
  // what kind it is
  'type',
  'kind',
  'mode',
  'method',
  'algorithm',
  'alg',
  'algo',
  'format',
  'prefix',
  'suffix',
  'version',
  'template',
  'generator',
  'regex',
  'pattern',
  'scope',
  'scopes',
  'issuer',
  'audience',
  'realm',
  // who uses it
  'user',
  'users',
  'username',
  'usr',
]);

/** Words that make a name a switch or a pointer, wherever they stand. */
const REFERRING_WORDS: ReadonlySet<string> = new Set([
  'existing', // Helm charts: existingSecret
  'allow', // ALLOW_EMPTY_PASSWORD
  'require',
  'enable',
  'disable',
  'skip',
  'use',
  'generate',
  'random', // MYSQL_RANDOM_ROOT_PASSWORD
  'empty',
  'is',
  'has',
  'no',
  'ignore',
  'public', // PUBLIC_KEY, NEXT_PUBLIC_*: meant to be seen
  'publishable',
]);

/** Whole names that are well known and not secrets: the shell's working directory. */
const KNOWN_NOT_SECRET: ReadonlySet<string> = new Set(['pwd', 'oldpwd']);

function mentionsSecret(words: readonly string[]): boolean {
  const stems = words.map(stem);
  const last = stems[stems.length - 1];
  if (last !== undefined && SECRET_LAST_WORDS.has(last)) return true;
  for (let i = 0; i < stems.length; i++) {
    const word = stems[i] ?? '';
    if (SECRET_ROOTS.some((root) => word.endsWith(root) || word.endsWith(`${root}s`))) return true;
    if (word === 'pwd') return true;
    if (i + 1 < stems.length && SECRET_PAIRS.has(`${word} ${stems[i + 1] ?? ''}`)) return true;
  }
  return false;
}

function refersToSecret(words: readonly string[]): boolean {
  const last = words[words.length - 1];
  if (last !== undefined && REFERRING_LAST_WORDS.has(stem(last))) return true;
  return words.some((word) => REFERRING_WORDS.has(word));
}

/**
 * True when a key or variable name says that its value is a secret: it contains PASSWORD,
 * PASSWD, PASSPHRASE, SECRET, TOKEN, CREDENTIAL(S), APIKEY or PWD as a word (or at the end of a
 * run-together word: `PGPASSWORD`), a pair such as API_KEY, PRIVATE_KEY, ACCESS_KEY or
 * CLIENT_KEY, or ends with PASS, AUTH or CREDS; case-insensitive, with word boundaries at `_`,
 * `-`, `.` and camelCase. Names that only refer to or configure a secret are not secrets: those
 * ending in FILE, PATH, DIR, NAME, REF, ID, URL, TTL, SECONDS, TIMEOUT, LENGTH, POLICY, ENABLED,
 * USER, … and switches or pointers such as `existingSecret`, `ALLOW_EMPTY_PASSWORD`,
 * `PUBLIC_KEY`.
 */
export function looksSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || KNOWN_NOT_SECRET.has(words.join(''))) return false;
  return mentionsSecret(words) && !refersToSecret(words);
}

/** Words under which a value is a password a person chose (as opposed to an issued token). */
const PASSWORD_ROOTS = ['password', 'passwd', 'passphrase', 'passcode', 'secret'];
const PASSWORD_WORDS: ReadonlySet<string> = new Set(['pass', 'pwd', 'pw', 'pin']);

/**
 * True for a key that holds a password: `password`, `passwd`, `pass`, `pwd`, `passphrase`,
 * `secret`, or a name ending in one of them (`db-password`, `POSTGRES_PASSWORD`,
 * `adminPassword`, `client-secret`, `password.txt`), with the same exclusions as
 * {@link looksSecretName}. Tokens and API keys are issued by a system, not chosen by a
 * person, and are not password keys.
 */
export function looksPasswordName(name: string): boolean {
  // A key named like a file holds the file's content: `password.txt` is a password.
  const words = nameWords(name.replace(/\.(?:txt|pass|pw)$/i, ''));
  if (words.length === 0 || refersToSecret(words)) return false;
  return words
    .map(stem)
    .some(
      (word) =>
        PASSWORD_WORDS.has(word) ||
        PASSWORD_ROOTS.some((root) => word.endsWith(root) || word.endsWith(`${root}s`)),
    );
}

// ---------------------------------------------------------------------------------------
// Values under a secret-looking name
// ---------------------------------------------------------------------------------------

/**
 * Values that name where a secret lives instead of holding it: a vault or cloud secret
 * manager reference, an Argo CD `$secret:key` reference, an absolute file path.
 */
const REFERENCE_VALUE: readonly RegExp[] = [
  /^vault:/i, // Bank-Vaults webhook: vault:secret/data/app#password
  /^ref\+[a-z0-9]+:\/\//i, // helmfile/vals: ref+vault://..., ref+awssecrets://...
  /^arn:aws[a-z-]*:(?:secretsmanager|ssm|kms):/i,
  /^projects\/[^/\s]+\/secrets\/[^/\s]+/, // Google Secret Manager resource names
  /^(?:gcp|aws|azure)?sm:\/\//i,
  /^(?:akv|azurekeyvault|keyvault|op|doppler|infisical|bw):\/\//i,
  /^\$[A-Za-z_][A-Za-z0-9_.:-]*$/, // $VAR, $dex.github.clientSecret (Argo CD)
  /^\/(?:[A-Za-z0-9._@-]+\/)*[A-Za-z0-9._@-]+$/, // /run/secrets/db-password
  /^ENC\[[A-Z0-9_]+,data:/, // SOPS-encrypted
];

const SWITCH_VALUE = /^(?:true|false|yes|no|on|off|y|n|enabled?|disabled?|required|optional)$/i;

/**
 * True when a value under a secret-looking name is a real secret: not empty, not a template
 * or placeholder (see placeholders.ts), not a switch (`true`, `yes`, `disabled`: the name
 * configures the secret, e.g. `MYSQL_ALLOW_EMPTY_PASSWORD: "yes"`), and not a reference to
 * where the secret lives (`vault:…`, `arn:aws:secretsmanager:…`, `$VAR`, an absolute path).
 */
export function isLiteralSecretValue(value: string): boolean {
  const trimmed = value.trim();
  if (isPlaceholder(trimmed) || isTemplated(trimmed)) return false;
  if (SWITCH_VALUE.test(trimmed)) return false;
  // `yourpassword`, `YourStrong!Passw0rd`: documentation telling the reader to put theirs.
  if (/^your/i.test(trimmed)) return false;
  return !REFERENCE_VALUE.some((pattern) => pattern.test(trimmed));
}

// ---------------------------------------------------------------------------------------
// Settings inside a configuration file
// ---------------------------------------------------------------------------------------

/** A `name = value` or `name: value` line of a configuration file that sets a secret. */
export interface SecretSetting {
  name: string;
  /** 1-based line within the text. */
  line: number;
}

// `export NAME=value`, `name = value`, `name: value`, `"name": "value",` (JSON). A colon
// must be followed by white space, so that `https://host` is not read as a setting. Only the
// name is matched here: the value is the rest of the line, trimmed in code (a lazy value
// between `\s*` groups backtracks cubically over a long run of spaces: seconds for 2,000).
const SETTING_LINE = /^\s*(?:export\s+)?(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1\s*(?:=|:(?=\s))/;

/**
 * The first line of a configuration text (`.env`, properties, INI, YAML, JSON) that sets a
 * secret-looking name ({@link looksSecretName}) to a literal value ({@link isLiteralSecretValue}).
 * Comment lines (`#`, `;`, `//`) are skipped, and so are values that a shell or a template
 * fills in (anything with a `$`), nested structures and quoted empties.
 */
export function findSecretSetting(text: string): SecretSetting | undefined {
  const lines = text.split('\n');
  // A large configuration (a dashboard's JSON) repeats a few names thousands of times.
  const secretNames = new Map<string, boolean>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*(?:#|;|\/\/)/.test(line)) continue;
    const match = SETTING_LINE.exec(line);
    if (!match) continue;
    const name = match[2] ?? '';
    let secretName = secretNames.get(name);
    if (secretName === undefined) secretNames.set(name, (secretName = looksSecretName(name)));
    if (!secretName) continue;
    let value = settingValue(line.slice(match[0].length));
    if (value === undefined) continue;
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    if (value === '' || value === '~' || /^[{[|>]/.test(value) || value.includes('$')) continue;
    if (isLiteralSecretValue(value)) return { name, line: i + 1 };
  }
  return undefined;
}

/**
 * The value of a setting from what follows its `=` or `:`: trimmed, without one trailing
 * comma (JSON) and without a trailing ` # comment` or ` ; comment`; undefined when a line
 * break other than the final CR sits inside it. Written as loops: the regular expressions
 * that say the same backtrack quadratically or worse over long runs of spaces.
 */
function settingValue(rest: string): string | undefined {
  let value = rest.trim();
  if (value.endsWith(',')) value = value.slice(0, -1).trimEnd();
  if (/[\r\u2028\u2029]/.test(value)) return undefined;
  for (let i = 1; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code !== 0x23 /* # */ && code !== 0x3b) /* ; */ || !/\s/.test(value[i - 1] ?? ''))
      continue;
    let start = i - 1;
    while (start > 0 && /\s/.test(value[start - 1] ?? '')) start--;
    return value.slice(0, start);
  }
  return value;
}
