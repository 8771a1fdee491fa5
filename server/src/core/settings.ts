/**
 * The settings shared by the VS Code client (`contributes.configuration`), the language server
 * (`workspace/configuration` section `secretGuard`) and the CLI. One typed object, one set of
 * defaults: a test checks that package.json declares the same.
 */
import type { SeverityLevel } from './types';

export type RevealMode = 'hover' | 'inline' | 'never';
export type PlaintextScope = 'git' | 'always';

export interface Settings {
  /** Severity overrides by rule id. */
  rules: Record<string, SeverityLevel>;
  /** Where decoded values may be shown. */
  reveal: RevealMode;
  plaintextInRepo: { scope: PlaintextScope };
}

const defaults: Settings = {
  rules: {},
  reveal: 'hover',
  plaintextInRepo: { scope: 'git' },
};
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(defaults);

export const SEVERITY_LEVELS: readonly SeverityLevel[] = [
  'off',
  'hint',
  'info',
  'warning',
  'error',
];
export const REVEAL_MODES: readonly RevealMode[] = ['hover', 'inline', 'never'];
export const PLAINTEXT_SCOPES: readonly PlaintextScope[] = ['git', 'always'];

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fallback;
}

/** Reads settings from untrusted input (a client's answer), keeping defaults for what is invalid. */
export function normalizeSettings(raw: unknown): Settings {
  const input = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, SeverityLevel> = {};
  if (typeof input.rules === 'object' && input.rules !== null) {
    for (const [id, level] of Object.entries(input.rules as Record<string, unknown>)) {
      if (typeof level === 'string' && (SEVERITY_LEVELS as readonly string[]).includes(level)) {
        rules[id] = level as SeverityLevel;
      }
    }
  }
  const plaintext = (
    typeof input.plaintextInRepo === 'object' && input.plaintextInRepo !== null
      ? input.plaintextInRepo
      : {}
  ) as Record<string, unknown>;
  return {
    rules,
    reveal: oneOf(input.reveal, REVEAL_MODES, DEFAULT_SETTINGS.reveal),
    plaintextInRepo: {
      scope: oneOf(plaintext.scope, PLAINTEXT_SCOPES, DEFAULT_SETTINGS.plaintextInRepo.scope),
    },
  };
}
