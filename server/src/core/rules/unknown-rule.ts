import type { Rule } from './types';

/**
 * Reported by the suppression reader (suppressions.ts via analyze.ts), not by a check: a
 * misspelt id would otherwise silently disable nothing.
 */
export const rule: Rule = {
  id: 'unknown-rule',
  severity: 'warning',
  summary: 'A secret-guard suppression comment names a rule id that does not exist.',
  check() {
    // Nothing to check per document: see suppressions.ts.
  },
};
