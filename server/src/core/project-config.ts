/**
 * `.secret-guard.yaml`: a team's configuration, committed at the root of the scanned tree and
 * read by both the CLI and the editor, so that a team configures once.
 *
 * ```yaml
 * rules:
 *   secret-in-env: warning
 *   weak-credential: off
 * ignore:            # gitignore syntax, relative to this file's folder
 *   - charts/**\/templates/
 *   - "*.dec.yaml"
 * ```
 */
import { parseYamlDocument } from './limits';
import { createIgnoreMatcher } from './repo';
import { isKnownRuleId } from './rules';
import { SEVERITY_LEVELS } from './settings';
import type { SeverityLevel } from './types';
import { entriesOf, isMap, isScalar, isSeq } from './yaml-nodes';

export const PROJECT_CONFIG_FILE = '.secret-guard.yaml';

/** Characters of a configuration file read at most (a real one has a few hundred). */
export const MAX_CONFIG_LENGTH = 1024 * 1024;

export interface ProjectConfig {
  rules: Record<string, SeverityLevel>;
  ignore: string[];
  /** Whether a path relative to the configuration file's folder is ignored. */
  isIgnored(relativePath: string): boolean;
}

/** A mistake in the file, with the offsets of the node at fault. */
export interface ProjectConfigError {
  message: string;
  start: number;
  end: number;
}

export type ProjectConfigResult =
  { ok: true; config: ProjectConfig } | { ok: false; errors: ProjectConfigError[] };

const EMPTY: ProjectConfig = { rules: {}, ignore: [], isIgnored: () => false };

/** Reads and validates a configuration file's text; every mistake is reported, none ignored. */
export function parseProjectConfig(text: string): ProjectConfigResult {
  // A configuration is a few lines; a repository being scanned may hold a hostile one.
  if (text.length > MAX_CONFIG_LENGTH) {
    return {
      ok: false,
      errors: [
        {
          message: `longer than ${MAX_CONFIG_LENGTH.toLocaleString('en-US')} characters: not read`,
          start: 0,
          end: 0,
        },
      ],
    };
  }
  // Parsed as the manifests are, with their bounds: at most 100 syntax errors are reported,
  // and nesting too deep for the parser's stack is an error, not a crash.
  const document = parseYamlDocument(text, { prettyErrors: false });
  const errors: ProjectConfigError[] = document.errors.map((error) => ({
    message: `not valid YAML: ${error.code}`,
    start: error.pos[0],
    end: error.pos[1],
  }));
  if (errors.length > 0) return { ok: false, errors };
  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { ok: true, config: EMPTY };
  const at = (node: unknown): { start: number; end: number } => {
    const range = (node as { range?: [number, number, number] | null } | null)?.range;
    return { start: range?.[0] ?? 0, end: range?.[1] ?? 0 };
  };
  if (!isMap(root)) {
    return {
      ok: false,
      errors: [{ message: 'expected a mapping with rules and ignore', ...at(root) }],
    };
  }
  const rules: Record<string, SeverityLevel> = {};
  const ignore: string[] = [];
  for (const entry of entriesOf(root)) {
    if (entry.key === 'rules') {
      if (entry.value === null || (isScalar(entry.value) && entry.value.value === null)) continue;
      if (!isMap(entry.value)) {
        errors.push({ message: 'rules must map rule ids to levels', ...at(entry.value) });
        continue;
      }
      for (const rule of entriesOf(entry.value)) {
        const level = isScalar(rule.value) ? rule.value.value : undefined;
        if (!isKnownRuleId(rule.key)) {
          errors.push({ message: `unknown rule id: ${rule.key}`, ...at(rule.keyNode) });
        } else if (
          typeof level !== 'string' ||
          !(SEVERITY_LEVELS as readonly string[]).includes(level)
        ) {
          // `off` unquoted is a boolean only in YAML 1.1; this file is read as YAML 1.2.
          errors.push({
            message: `the level of ${rule.key} must be one of ${SEVERITY_LEVELS.join(', ')}`,
            ...at(rule.value ?? rule.keyNode),
          });
        } else {
          rules[rule.key] = level as SeverityLevel;
        }
      }
    } else if (entry.key === 'ignore') {
      if (entry.value === null || (isScalar(entry.value) && entry.value.value === null)) continue;
      if (!isSeq(entry.value)) {
        errors.push({
          message: 'ignore must be a list of gitignore-style patterns',
          ...at(entry.value),
        });
        continue;
      }
      for (const item of entry.value.items) {
        if (isScalar(item) && typeof item.value === 'string') ignore.push(item.value);
        else errors.push({ message: 'each ignore pattern must be a string', ...at(item) });
      }
    } else {
      errors.push({
        message: `unknown key ${entry.key} (expected rules or ignore)`,
        ...at(entry.keyNode),
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: { rules, ignore, isIgnored: createIgnoreMatcher(ignore) } };
}
