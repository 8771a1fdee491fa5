/**
 * Values that stand for a secret rather than being one: templates, variables and markers.
 * The plaintext rules stay silent on them, and templated values are never checked as base64.
 */

/**
 * `open` with a `close` somewhere after it. The first `open` decides, so this is one linear
 * scan, where a lazy regular expression (`/\{\{.*?\}\}/s`) retries from every `{{` of a
 * long run of them: quadratic, minutes for a 1 MB value.
 */
function enclosed(text: string, open: string, close: string): boolean {
  const at = text.indexOf(open);
  return at !== -1 && text.indexOf(close, at + open.length) !== -1;
}

const TEMPLATE_PATTERNS: readonly { test(text: string): boolean }[] = [
  { test: (text) => enclosed(text, '{{', '}}') }, // Helm / Go templates
  { test: (text) => enclosed(text, '${', '}') }, // ${VAR}: envsubst, Terraform, kustomize
  /\$\([A-Za-z_][A-Za-z0-9_]*\)/, // $(VAR): Kubernetes dependent env vars
  { test: (text) => enclosed(text, '{%', '%}') }, // Jinja / Ansible
];

const MARKER_PATTERN =
  /^(?:change[-_ ]?me|change[-_ ]?it|replace[-_ ]?me|replace[-_ ]?this|to[-_ ]?do|tbd|fixme|placeholder|redacted|secret[-_]?here|your[-_ ].*|insert[-_ ].*|set[-_ ]?me|none|null|nil|dummy|example|xx+|\*+|\.\.\.+|-+)$/i;

/** A marker followed by more words: `change-me-placeholder`, `REPLACE_WITH_BASE64_CERT`. */
const MARKER_PREFIX =
  /^(?:change|replace|insert|put|enter|add)[-_ ]?(?:me|with|this|it|here|your)(?:[-_ .:].*)?$/is;

/** Prose that says where a value goes: `**access token goes here**`, `token-here`. */
const WHERE_IT_GOES = /^\*\*[^*]+\*\*$|\bgoes[-_ ]here\b|^[\w-]*[-_ ]here$/i;

/** A run of four or more x's as a whole segment of the value: `p-XXXX`, `AKIAXXXXXXXX`. */
const MASKED_SEGMENT = /(?:^|[-_.:/])x{4,}(?:$|[-_.:/])/i;

/** A PEM armour line: `-----BEGIN CERTIFICATE-----`, `-----END PRIVATE KEY-----`. */
const PEM_BOUNDARY = /^-----(?:BEGIN|END) [^-]*-----$/;

/** True when `value` is empty, a template, a `<...>` stand-in or a `changeme`-style marker. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return true;
  if (TEMPLATE_PATTERNS.some((pattern) => pattern.test(trimmed))) return true;
  if (/^<[^<>]*>$/.test(trimmed)) return true;
  if (MARKER_PATTERN.test(trimmed) || MARKER_PREFIX.test(trimmed)) return true;
  if (WHERE_IT_GOES.test(trimmed) || MASKED_SEGMENT.test(trimmed)) return true;
  return trimmed.startsWith('-----BEGIN') && isPlaceholderPem(trimmed);
}

/**
 * PEM armour around a stand-in (`<your-client-certificate>`, `...`, `xxxx`): documentation
 * showing where a certificate or key goes, not one.
 */
function isPlaceholderPem(text: string): boolean {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const body = lines.filter((line) => !PEM_BOUNDARY.test(line));
  return body.length > 0 && body.length < lines.length && body.every(isPlaceholder);
}

/** True when the text holds a template expression: its YAML shape is not what will be applied. */
export function isTemplated(text: string): boolean {
  return TEMPLATE_PATTERNS.some((pattern) => pattern.test(text));
}
