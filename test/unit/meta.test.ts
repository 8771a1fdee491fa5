/**
 * Every rule has a docs page, a test file with valid and invalid cases, and a row in the
 * README's rule table; the settings that package.json declares match the server's defaults.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../server/src/core/rules';
import {
  DEFAULT_SETTINGS,
  PLAINTEXT_SCOPES,
  REVEAL_MODES,
  SEVERITY_LEVELS,
} from '../../server/src/core/settings';
import { REPO_ROOT } from '../helpers/paths';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    configuration: {
      properties: Record<
        string,
        { default: unknown; enum?: string[]; additionalProperties?: { enum?: string[] } }
      >;
    };
  };
};

test('every rule file is registered, and every registered rule has a file named by its id', () => {
  const files = readdirSync(join(REPO_ROOT, 'server', 'src', 'core', 'rules'))
    .filter((name) => name.endsWith('.ts') && !['index.ts', 'types.ts'].includes(name))
    .map((name) => name.slice(0, -3))
    .sort();
  assert.deepEqual(files, RULES.map((rule) => rule.id).sort());
});

for (const rule of RULES) {
  test(`${rule.id}: docs page, tests with valid and invalid cases, README row`, () => {
    const doc = join(REPO_ROOT, 'docs', 'rules', `${rule.id}.md`);
    assert.ok(existsSync(doc), `docs/rules/${rule.id}.md exists`);
    const page = readFileSync(doc, 'utf8');
    assert.ok(page.startsWith(`# ${rule.id}\n`), 'the page is titled by the id');
    for (const section of ['## What it checks', '## Why', '## Bad', '## Good']) {
      assert.ok(page.includes(section), `the page has "${section}"`);
    }
    assert.ok(
      page.includes(`**Default severity:** ${rule.severity}`),
      'the page states the default severity',
    );
    const testFile = join(REPO_ROOT, 'test', 'unit', 'rules', `${rule.id}.test.ts`);
    assert.ok(existsSync(testFile), `test/unit/rules/${rule.id}.test.ts exists`);
    const tests = readFileSync(testFile, 'utf8');
    assert.match(tests, /valid: \[/, 'has valid cases');
    assert.match(tests, /invalid: \[/, 'has invalid cases');
    assert.match(
      readme,
      new RegExp(
        `^\\| \\[\`${rule.id}\`\\]\\(docs/rules/${rule.id}\\.md\\) \\| ${rule.severity} \\|`,
        'm',
      ),
      'README has a row for the rule with its severity',
    );
  });
}

test('package.json settings match the server defaults', () => {
  const properties = packageJson.contributes.configuration.properties;
  assert.deepEqual(Object.keys(properties).sort(), [
    'secretGuard.plaintextInRepo.scope',
    'secretGuard.reveal',
    'secretGuard.rules',
  ]);
  assert.deepEqual(properties['secretGuard.rules']?.default, DEFAULT_SETTINGS.rules);
  assert.deepEqual(properties['secretGuard.rules']?.additionalProperties?.enum, [
    ...SEVERITY_LEVELS,
  ]);
  assert.equal(properties['secretGuard.reveal']?.default, DEFAULT_SETTINGS.reveal);
  assert.deepEqual(properties['secretGuard.reveal']?.enum, [...REVEAL_MODES]);
  assert.equal(
    properties['secretGuard.plaintextInRepo.scope']?.default,
    DEFAULT_SETTINGS.plaintextInRepo.scope,
  );
  assert.deepEqual(properties['secretGuard.plaintextInRepo.scope']?.enum, [...PLAINTEXT_SCOPES]);
});
