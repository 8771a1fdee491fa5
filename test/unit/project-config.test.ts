import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CONFIG_LENGTH, parseProjectConfig } from '../../server/src/core/project-config';

test('rules and gitignore-style ignore patterns', () => {
  const result = parseProjectConfig(
    'rules:\n  secret-in-env: warning\n  plaintext-in-repo: off\nignore:\n  - "*.dec.yaml"\n  - charts/**/templates/\n  - /legacy\n  - "!legacy/keep.yaml"\n',
  );
  assert.ok(result.ok);
  assert.deepEqual(result.config.rules, { 'secret-in-env': 'warning', 'plaintext-in-repo': 'off' });
  const ignored = (path: string) => result.config.isIgnored(path);
  assert.equal(ignored('deploy/db.dec.yaml'), true);
  assert.equal(ignored('deploy/db.yaml'), false);
  assert.equal(ignored('charts/app/templates/secret.yaml'), true);
  assert.equal(ignored('charts/app/values.yaml'), false);
  assert.equal(ignored('legacy/old.yaml'), true);
  // As in git, a file below an excluded folder cannot be re-included.
  assert.equal(ignored('legacy/keep.yaml'), true);
  assert.equal(ignored('other/legacy/x.yaml'), false);
});

test('an empty file is an empty configuration', () => {
  for (const text of ['', '# nothing yet\n', 'rules:\nignore:\n']) {
    const result = parseProjectConfig(text);
    assert.ok(result.ok, text);
    assert.deepEqual(result.config.rules, {});
    assert.equal(result.config.isIgnored('a.yaml'), false);
  }
});

test('every mistake is reported with the offsets of the node at fault', () => {
  const text = 'rules:\n  no-such-rule: error\n  secret-in-env: loud\nignore: "*.yaml"\nrule: {}\n';
  const result = parseProjectConfig(text);
  assert.ok(!result.ok);
  assert.deepEqual(
    result.errors.map((e) => [e.message, text.slice(e.start, e.end)]),
    [
      ['unknown rule id: no-such-rule', 'no-such-rule'],
      ['the level of secret-in-env must be one of off, hint, info, warning, error', 'loud'],
      ['ignore must be a list of gitignore-style patterns', '"*.yaml"'],
      ['unknown key rule (expected rules or ignore)', 'rule'],
    ],
  );
});

test('not YAML, or not a mapping', () => {
  const broken = parseProjectConfig('rules: [unclosed\n');
  assert.ok(!broken.ok);
  assert.match(broken.errors[0]?.message ?? '', /^not valid YAML/);
  const list = parseProjectConfig('- a\n');
  assert.ok(!list.ok);
  assert.equal(list.errors[0]?.message, 'expected a mapping with rules and ignore');
});

test('a hostile file is refused or reported within bounds, never a crash', () => {
  const huge = parseProjectConfig(`rules: {}\n#${'x'.repeat(MAX_CONFIG_LENGTH)}\n`);
  assert.ok(!huge.ok);
  assert.deepEqual(
    huge.errors.map((error) => error.message),
    ['longer than 1,048,576 characters: not read'],
  );
  // Nested past the parser's stack, and broken in thousands of places: a bounded report.
  for (const text of [`rules: ${'a: '.repeat(20_000)}b\n`, `rules: ${'['.repeat(100_000)}\n`]) {
    const result = parseProjectConfig(text);
    assert.ok(!result.ok);
    assert.ok(result.errors.length > 0 && result.errors.length <= 101, `${result.errors.length}`);
    assert.match(result.errors[0]?.message ?? '', /^not valid YAML/);
  }
});
