/**
 * Values that stand for a secret rather than being one: templates, variables and markers.
 * The plaintext rules stay silent on them, and templated values are never checked as base64.
 */

const TEMPLATE_PATTERNS: readonly RegExp[] = [
  /\{\{.*?\}\}/s, // Helm / Go templates
  /\$\{[^}]*\}/, // ${VAR}: envsubst, Terraform, kustomize replacements
  /\$\([A-Za-z_][A-Za-z0-9_]*\)/, // $(VAR): Kubernetes dependent env vars
  /\{%.*?%\}/s, // Jinja / Ansible
];

const MARKER_PATTERN =
  /^(?:change[-_ ]?me|change[-_ ]?it|replace[-_ ]?me|replace[-_ ]?this|to[-_ ]?do|tbd|fixme|placeholder|redacted|secret[-_]?here|your[-_ ].*|insert[-_ ].*|set[-_ ]?me|none|null|nil|dummy|example|xx+|\*+|\.\.\.+|-+)$/i;

/** True when `value` is empty, a template, a `<...>` stand-in or a `changeme`-style marker. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return true;
  if (TEMPLATE_PATTERNS.some((pattern) => pattern.test(trimmed))) return true;
  if (/^<[^<>]*>$/.test(trimmed)) return true;
  return MARKER_PATTERN.test(trimmed);
}

/** True when the text holds a template expression: its YAML shape is not what will be applied. */
export function isTemplated(text: string): boolean {
  return TEMPLATE_PATTERNS.some((pattern) => pattern.test(text));
}
