import type { Rule } from './types';

/**
 * Reported by `analyze` (analyze.ts, with the limits of limits.ts), not by a check: a file or
 * document past a limit is not analysed at all, and this says so instead of staying silent.
 * An error by default, so that a CI run does not pass a file it could not check (a Secret
 * padded past the limit would otherwise slip through).
 */
export const rule: Rule = {
  id: 'analysis-limit',
  severity: 'error',
  summary:
    'A file or document is too large, too deeply nested, binary or an alias bomb: it was not analysed.',
  check() {
    // Nothing to check per document: see limits.ts.
  },
};
