/** The rule registry: every rule, in the order their findings are reported at one offset. */
import type { Rule } from './types';
import { rule as invalidBase64 } from './invalid-base64';
import { rule as nonStringValue } from './non-string-value';
import { rule as plaintextInRepo } from './plaintext-in-repo';
import { rule as secretInEnv } from './secret-in-env';
import { rule as unknownRule } from './unknown-rule';

export const RULES: readonly Rule[] = [
  invalidBase64,
  nonStringValue,
  plaintextInRepo,
  secretInEnv,
  unknownRule,
];

const RULE_IDS = new Set(RULES.map((rule) => rule.id));

/** True for an id that a suppression comment or a setting may name. */
export function isKnownRuleId(id: string): boolean {
  return RULE_IDS.has(id);
}

/** The rule with this id, if any. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
