/**
 * typescript-eslint-style rule tests: `valid` texts must produce no finding of the rule;
 * each `invalid` text must produce exactly the listed findings, with exact 1-based ranges
 * (end column exclusive) and, for each named fix, the exact text after applying it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import type { AnalysisInput } from '../../server/src/core/analyze';
import { lineStartsOf, positionAt } from '../../server/src/core/lines';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings';
import type { Settings } from '../../server/src/core/settings';
import type { Finding, Severity } from '../../server/src/core/types';
import { applyEdits } from './apply-edits';

export interface CaseOptions {
  name?: string;
  code: string;
  path?: string;
  git?: AnalysisInput['git'];
  settings?: Partial<Settings>;
  siblingExists?: AnalysisInput['siblingExists'];
  secrets?: AnalysisInput['secrets'];
}

export interface ExpectedFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity?: Severity;
  /** Fix title -> exact text after applying it. Titles not listed must not be offered. */
  fixes?: Record<string, string>;
}

export interface InvalidCase extends CaseOptions {
  errors: ExpectedFinding[];
}

/** Runs `analyze` and keeps the findings of one rule. */
export function findingsOf(ruleId: string, options: CaseOptions): Finding[] {
  const input: AnalysisInput = {
    text: options.code,
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
  };
  if (options.path !== undefined) input.path = options.path;
  if (options.git !== undefined) input.git = options.git;
  if (options.siblingExists !== undefined) input.siblingExists = options.siblingExists;
  if (options.secrets !== undefined) input.secrets = options.secrets;
  const result = analyze(input);
  assert.deepEqual(result.internalErrors, [], 'a rule threw');
  return result.findings.filter((finding) => finding.ruleId === ruleId);
}

/** 1-based line/column range of a finding, end column exclusive. */
export function rangeOf(
  text: string,
  finding: Finding,
): Omit<ExpectedFinding, 'fixes' | 'severity'> {
  const starts = lineStartsOf(text);
  const start = positionAt(starts, finding.start);
  const end = positionAt(starts, finding.end);
  return {
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
  };
}

export function ruleTester(
  ruleId: string,
  cases: { valid: (string | CaseOptions)[]; invalid: InvalidCase[] },
): void {
  describe(ruleId, () => {
    cases.valid.forEach((valid, index) => {
      const options = typeof valid === 'string' ? { code: valid } : valid;
      test(`valid ${options.name ?? index}`, () => {
        assert.deepEqual(
          findingsOf(ruleId, options).map((f) => rangeOf(options.code, f)),
          [],
        );
      });
    });
    cases.invalid.forEach((invalid, index) => {
      test(`invalid ${invalid.name ?? index}`, () => {
        const findings = findingsOf(ruleId, invalid);
        assert.deepEqual(
          findings.map((finding) => rangeOf(invalid.code, finding)),
          invalid.errors.map(({ line, column, endLine, endColumn }) => ({
            line,
            column,
            endLine,
            endColumn,
          })),
        );
        invalid.errors.forEach((expected, i) => {
          const finding = findings[i];
          assert.ok(finding);
          if (expected.severity) assert.equal(finding.severity, expected.severity);
          if (expected.fixes) {
            const offered = Object.fromEntries(
              (finding.fixes ?? []).map((fix) => [fix.title, applyEdits(invalid.code, fix.edits)]),
            );
            assert.deepEqual(offered, expected.fixes);
          }
        });
      });
    });
  });
}
