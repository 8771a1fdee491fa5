import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { parseSegment } from '../../server/src/core/parse';
import {
  YamlEditError,
  addEntryToMapping,
  appendEntry,
  appendItem,
  contentRange,
  detectStyle,
  lineEnding,
  normalizeEdits,
  removeEntry,
  removeItem,
  replaceEntry,
  replaceItem,
  replaceScalar,
  scalarText,
} from '../../server/src/core/fixes/yaml-edit';
import type { YamlValue } from '../../server/src/core/fixes/yaml-edit';
import type { TextEdit } from '../../server/src/core/types';
import { isMap, isPair, isScalar, isSeq } from '../../server/src/core/yaml-nodes';
import type { Node, Pair, YAMLMap, YAMLSeq } from '../../server/src/core/yaml-nodes';
import { applyEdits } from '../helpers/apply-edits';
import { seededRandom } from '../helpers/random';

type Path = readonly (string | number)[];

function rootOf(text: string): unknown {
  const parsed = parseSegment(text);
  assert.deepEqual(
    parsed.document.errors.map((error) => error.message),
    [],
    'the input must be valid YAML',
  );
  return parsed.document.contents;
}

/** The node at a path of keys (maps) and indices (sequences). */
function nodeAt(text: string, path: Path): unknown {
  let current = rootOf(text);
  for (const step of path) {
    if (typeof step === 'number' && isSeq(current)) current = current.items[step];
    else if (typeof step === 'string' && isMap(current)) current = pairOf(current, step).value;
    else assert.fail(`no ${String(step)} in the path`);
  }
  return current;
}

function pairOf(map: YAMLMap, key: string): Pair {
  const pair = map.items.find((item) => isPair(item) && String(keyValue(item)) === key);
  assert.ok(pair, `no key ${key}`);
  return pair;
}

function keyValue(pair: Pair): unknown {
  const key = pair.key as { value?: unknown } | null;
  return key?.value;
}

function mapAt(text: string, path: Path): YAMLMap {
  const node = nodeAt(text, path);
  assert.ok(isMap(node), 'expected a mapping');
  return node;
}

function seqAt(text: string, path: Path): YAMLSeq {
  const node = nodeAt(text, path);
  assert.ok(isSeq(node), 'expected a sequence');
  return node;
}

/** Applies the edits and checks that the result is valid YAML. */
function edited(text: string, edits: readonly TextEdit[]): string {
  const result = applyEdits(text, edits);
  assert.deepEqual(
    parseSegment(result).document.errors.map((error) => error.message),
    [],
    `the result must be valid YAML:\n${result}`,
  );
  return result;
}

function removeKey(text: string, path: Path, key: string): string {
  const map = mapAt(text, path);
  return edited(text, removeEntry(text, map, pairOf(map, key)));
}

function removeIndex(text: string, path: Path, index: number): string {
  const seq = seqAt(text, path);
  return edited(text, removeItem(text, seq, seq.items[index]));
}

const lines = (...parts: string[]): string => parts.map((part) => `${part}\n`).join('');
const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

describe('removeEntry', () => {
  test('block: the entry with its comment lines above and its trailing comment', () => {
    const text = lines('data:', '  a: 1 # keep', '  # about b', '  b: 2 # goes with b', '  c: 3');
    assert.equal(removeKey(text, ['data'], 'b'), lines('data:', '  a: 1 # keep', '  c: 3'));
  });

  test('block: a nested value with its deeper comments; the next entry keeps its own', () => {
    const text = lines(
      'spec:',
      '  env:',
      '    - name: A',
      '    # - name: OLD',
      '  # about ports',
      '  ports: []',
    );
    assert.equal(
      removeKey(text, ['spec'], 'env'),
      lines('spec:', '  # about ports', '  ports: []'),
    );
  });

  test('block: the last entry; a comment that opens the document stays', () => {
    const text = lines('# header', 'a: 1', '', '# about b', 'b: 2', '');
    assert.equal(removeKey(text, [], 'b'), lines('# header', 'a: 1', ''));
    assert.equal(removeKey(text, [], 'a'), lines('# header', '', '# about b', 'b: 2', ''));
  });

  test('block: an entry between blank lines leaves a single blank line', () => {
    const text = lines('a: 1', '', 'b: 2', '', 'c: 3');
    assert.equal(removeKey(text, [], 'b'), lines('a: 1', '', 'c: 3'));
  });

  test('block: the only entry leaves {} after its parent key', () => {
    const text = lines('metadata:', '  labels:', '    app: web', '  name: web');
    assert.equal(
      removeKey(text, ['metadata', 'labels'], 'app'),
      lines('metadata:', '  labels: {}', '  name: web'),
    );
  });

  test('block: the only entry under a key with a comment leaves {} on its own line', () => {
    const text = lines('labels: # none yet', '  app: web', 'name: web');
    assert.equal(
      removeKey(text, ['labels'], 'app'),
      lines('labels: # none yet', '  {}', 'name: web'),
    );
  });

  test('block: the only entry of the document root leaves {}', () => {
    assert.equal(removeKey('a: 1\n', [], 'a'), '{}\n');
    assert.equal(removeKey('a: 1', [], 'a'), '{}');
  });

  test('block: the first entry of a map on a "- " line moves the next key up', () => {
    const text = lines('- name: A', '  value: x', '- name: B');
    assert.equal(removeKey(text, [0], 'name'), lines('- value: x', '- name: B'));
    assert.equal(removeKey(text, [0], 'value'), lines('- name: A', '- name: B'));
    assert.equal(removeKey(text, [1], 'name'), lines('- name: A', '  value: x', '- {}'));
  });

  test('block: a multi-line value and a block scalar', () => {
    const text = lines('a: |', '  line 1', '  line 2', 'b: [1,', '  2]', 'c: 3');
    assert.equal(removeKey(text, [], 'a'), lines('b: [1,', '  2]', 'c: 3'));
    assert.equal(removeKey(text, [], 'b'), lines('a: |', '  line 1', '  line 2', 'c: 3'));
  });

  test('block: CRLF and a file without a final line break', () => {
    const text = crlf(lines('a: 1', 'b:', '  c: 2', 'd: 4'));
    assert.equal(removeKey(text, [], 'b'), crlf(lines('a: 1', 'd: 4')));
    assert.equal(removeKey(text, ['b'], 'c'), crlf(lines('a: 1', 'b: {}', 'd: 4')));
    assert.equal(removeKey('a: 1\nb: 2', [], 'b'), 'a: 1\n');
  });

  test('flow: one adjacent comma goes with the entry', () => {
    const text = 'f: {u: 1, v: 2, w: 3}\n';
    assert.equal(removeKey(text, ['f'], 'u'), 'f: {v: 2, w: 3}\n');
    assert.equal(removeKey(text, ['f'], 'v'), 'f: {u: 1, w: 3}\n');
    assert.equal(removeKey(text, ['f'], 'w'), 'f: {u: 1, v: 2}\n');
    assert.equal(removeKey('f: {x: 1}\n', ['f'], 'x'), 'f: {}\n');
  });

  test('JSON: compact and pretty', () => {
    const compact = '{"a": 1, "b": {"c": [1, 2]}}';
    assert.equal(removeKey(compact, [], 'a'), '{"b": {"c": [1, 2]}}');
    assert.equal(removeKey(compact, [], 'b'), '{"a": 1}');
    assert.equal(removeKey(compact, ['b'], 'c'), '{"a": 1, "b": {}}');
    const pretty = lines('{', '  "a": 1,', '  "b": {', '    "c": 2', '  },', '  "d": 3', '}');
    assert.equal(
      removeKey(pretty, [], 'a'),
      lines('{', '  "b": {', '    "c": 2', '  },', '  "d": 3', '}'),
    );
    assert.equal(
      removeKey(pretty, [], 'd'),
      lines('{', '  "a": 1,', '  "b": {', '    "c": 2', '  }', '}'),
    );
    assert.equal(
      removeKey(pretty, ['b'], 'c'),
      lines('{', '  "a": 1,', '  "b": {},', '  "d": 3', '}'),
    );
  });

  test('an entry of another mapping is refused', () => {
    const text = lines('a:', '  b: 1', 'c: 2');
    const other = pairOf(mapAt(text, []), 'c');
    assert.throws(() => removeEntry(text, mapAt(text, ['a']), other), YamlEditError);
  });
});

describe('removeItem', () => {
  test('block: a multi-line map item with its comment above', () => {
    const text = lines(
      'env:',
      '  - name: A',
      '    value: x',
      '  # the secret one',
      '  - name: B',
      '    valueFrom:',
      '      secretKeyRef: {name: s, key: k} # inline',
      '  - name: C',
    );
    assert.equal(
      removeIndex(text, ['env'], 1),
      lines('env:', '  - name: A', '    value: x', '  - name: C'),
    );
    assert.equal(
      removeIndex(text, ['env'], 0),
      lines(
        'env:',
        '  # the secret one',
        '  - name: B',
        '    valueFrom:',
        '      secretKeyRef: {name: s, key: k} # inline',
        '  - name: C',
      ),
    );
  });

  test('block: items at the parent key column, the last item', () => {
    const text = lines('env:', '- name: A', '- name: B', '  value: y', 'next: 1');
    assert.equal(removeIndex(text, ['env'], 1), lines('env:', '- name: A', 'next: 1'));
  });

  test('block: the only item leaves []', () => {
    const text = lines('spec:', '  env:', '    - name: A', '      value: x', '  image: x');
    assert.equal(removeIndex(text, ['spec', 'env'], 0), lines('spec:', '  env: []', '  image: x'));
    assert.equal(removeIndex(lines('- a'), [], 0), lines('[]'));
    assert.equal(removeIndex(lines('-', '  a: 1', '- b'), [], 0), lines('- b'));
  });

  test('block: nested sequences and anchored items', () => {
    const text = lines('s:', '- - n1', '  - n2', '- &x b', '- c');
    assert.equal(removeIndex(text, ['s', 0], 0), lines('s:', '- - n2', '- &x b', '- c'));
    assert.equal(removeIndex(text, ['s', 0], 1), lines('s:', '- - n1', '- &x b', '- c'));
    assert.equal(removeIndex(text, ['s'], 1), lines('s:', '- - n1', '  - n2', '- c'));
    assert.equal(
      removeIndex(lines('s:', '- - n1', '- c'), ['s', 0], 0),
      lines('s:', '- []', '- c'),
    );
  });

  test('block: CRLF', () => {
    const text = crlf(lines('a: 1', 'b:', '  - x', '  - y'));
    assert.equal(removeIndex(text, ['b'], 0), crlf(lines('a: 1', 'b:', '  - y')));
    assert.equal(removeIndex(crlf(lines('b:', '  - x')), ['b'], 0), crlf(lines('b: []')));
  });

  test('flow and JSON', () => {
    assert.equal(removeIndex('s: [a, b, c]\n', ['s'], 0), 's: [b, c]\n');
    assert.equal(removeIndex('s: [a, b, c]\n', ['s'], 2), 's: [a, b]\n');
    assert.equal(removeIndex('s: [a]\n', ['s'], 0), 's: []\n');
    const pretty = lines('[', '  {', '    "a": 1', '  },', '  2,', '  3', ']');
    assert.equal(removeIndex(pretty, [], 0), lines('[', '  2,', '  3', ']'));
    assert.equal(removeIndex(pretty, [], 2), lines('[', '  {', '    "a": 1', '  },', '  2', ']'));
  });
});

describe('appendEntry', () => {
  test('block: the document root, with the document style', () => {
    const text = lines('a: 1', 'spec:', '    list:', '    - x');
    assert.equal(
      edited(text, appendEntry(text, mapAt(text, []), 'volumes', [{ name: 'v', items: ['k'] }])),
      lines('a: 1', 'spec:', '    list:', '    - x', 'volumes:', '- name: v', '  items:', '  - k'),
    );
  });

  test('block: a nested map with 4-space indentation and indented sequences', () => {
    const text = lines('spec:', '    list:', '        - x', '    map:', '        k: v', 'end: 1');
    assert.equal(
      edited(text, appendEntry(text, mapAt(text, ['spec']), 'new', { obj: { k: 1 }, seq: [1] })),
      lines(
        'spec:',
        '    list:',
        '        - x',
        '    map:',
        '        k: v',
        '    new:',
        '        obj:',
        '            k: 1',
        '        seq:',
        '            - 1',
        'end: 1',
      ),
    );
  });

  test('block: a map on a "- " line, after the deeper comments of its last entry', () => {
    const text = lines('- name: A', '  env: x', '    # old: y', '  # next: z', '- name: B');
    assert.equal(
      edited(text, appendEntry(text, mapAt(text, [0]), 'empty', [])),
      lines('- name: A', '  env: x', '    # old: y', '  empty: []', '  # next: z', '- name: B'),
    );
  });

  test('block: after a block scalar that keeps its trailing blank lines', () => {
    const text = lines('a: |+', '  kept', '', 'b: |', '  clipped', '');
    assert.equal(
      edited(text, appendEntry(text, mapAt(text, []), 'c', 1)),
      lines('a: |+', '  kept', '', 'b: |', '  clipped', 'c: 1', ''),
    );
    const keep = lines('a: |+', '  kept', '');
    assert.equal(
      edited(keep, appendEntry(keep, mapAt(keep, []), 'c', 1)),
      lines('a: |+', '  kept', '', 'c: 1'),
    );
  });

  test('block: CRLF and a file without a final line break', () => {
    const text = crlf(lines('a:', '  b: 1'));
    assert.equal(
      edited(text, appendEntry(text, mapAt(text, ['a']), 'c', { d: null })),
      crlf(lines('a:', '  b: 1', '  c:', '    d: null')),
    );
    assert.equal(
      edited('a: 1', appendEntry('a: 1', mapAt('a: 1', []), 'b', true)),
      'a: 1\nb: true',
    );
  });

  test('flow: inline (quoting y, a YAML 1.1 boolean), and into an empty map', () => {
    const text = 'f: {x: 1}\ng: {}\n';
    assert.equal(
      edited(text, appendEntry(text, mapAt(text, ['f']), 'y', [{ a: 'b c' }])),
      'f: {x: 1, "y": [{a: b c}]}\ng: {}\n',
    );
    assert.equal(
      edited(text, appendEntry(text, mapAt(text, ['g']), 'y', 'yes')),
      'f: {x: 1}\ng: {"y": "yes"}\n',
    );
  });

  test('JSON: compact and pretty, with the indentation of the pretty document', () => {
    const compact = '{"a": 1, "b": {}}';
    assert.equal(
      edited(compact, appendEntry(compact, mapAt(compact, []), 'v', [{ name: 'x', on: true }])),
      '{"a": 1, "b": {}, "v": [{"name": "x", "on": true}]}',
    );
    assert.equal(
      edited(compact, appendEntry(compact, mapAt(compact, ['b']), 'k', '0644')),
      '{"a": 1, "b": {"k": "0644"}}',
    );
    const pretty = lines(
      '{',
      '    "a": 1,',
      '    "b": {',
      '        "c": [',
      '            1',
      '        ]',
      '    }',
      '}',
    );
    assert.equal(
      edited(pretty, appendEntry(pretty, mapAt(pretty, ['b']), 'v', [{ n: null }, []])),
      lines(
        '{',
        '    "a": 1,',
        '    "b": {',
        '        "c": [',
        '            1',
        '        ],',
        '        "v": [',
        '            {',
        '                "n": null',
        '            },',
        '            []',
        '        ]',
        '    }',
        '}',
      ),
    );
  });

  test('strings that YAML 1.1 would read as something else are quoted', () => {
    const text = lines('a: 1');
    const value = {
      bool: 'yes',
      octal: '0644',
      float: '1e3',
      nullWord: 'null',
      tilde: '~',
      alias: '*x',
      anchor: '&x',
      tag: '!x',
      directive: '%x',
      reserved: '@x',
      colon: 'a: b',
      hash: 'a #b',
      dash: '- x',
      empty: '',
      spaces: ' x ',
      time: '1:20',
      date: '2001-12-14',
      lineBreak: 'a\nb',
      plain: 'db-credentials',
      path: '/etc/secrets/db',
    };
    assert.equal(
      edited(text, appendEntry(text, mapAt(text, []), 'v', value)),
      lines(
        'a: 1',
        'v:',
        '  bool: "yes"',
        '  octal: "0644"',
        '  float: "1e3"',
        '  nullWord: "null"',
        '  tilde: "~"',
        '  alias: "*x"',
        '  anchor: "&x"',
        '  tag: "!x"',
        '  directive: "%x"',
        '  reserved: "@x"',
        '  colon: "a: b"',
        '  hash: "a #b"',
        '  dash: "- x"',
        '  empty: ""',
        '  spaces: " x "',
        '  time: "1:20"',
        '  date: "2001-12-14"',
        '  lineBreak: "a\\nb"',
        '  plain: db-credentials',
        '  path: /etc/secrets/db',
      ),
    );
  });
});

describe('appendItem', () => {
  test('block: map items, indented and at the parent column', () => {
    const indented = lines(
      'volumes:',
      '  - name: a',
      '    secret:',
      '      secretName: a',
      'next: 1',
    );
    assert.equal(
      edited(
        indented,
        appendItem(indented, seqAt(indented, ['volumes']), {
          name: 'b',
          secret: { secretName: 'b' },
        }),
      ),
      lines(
        'volumes:',
        '  - name: a',
        '    secret:',
        '      secretName: a',
        '  - name: b',
        '    secret:',
        '      secretName: b',
        'next: 1',
      ),
    );
    const flush = lines('spec:', '  volumes:', '  - name: a', '  other: 1');
    assert.equal(
      edited(
        flush,
        appendItem(flush, seqAt(flush, ['spec', 'volumes']), { name: 'b', items: [{ key: 'k' }] }),
      ),
      lines(
        'spec:',
        '  volumes:',
        '  - name: a',
        '  - name: b',
        '    items:',
        '    - key: k',
        '  other: 1',
      ),
    );
  });

  test('block: scalar items, wide "-   " items, CRLF', () => {
    const text = crlf(lines('s:', '  - a', '  - b'));
    assert.equal(
      edited(text, appendItem(text, seqAt(text, ['s']), 'on')),
      crlf(lines('s:', '  - a', '  - b', '  - "on"')),
    );
    const wide = lines('-   name: a', '    x: 1');
    assert.equal(
      edited(wide, appendItem(wide, seqAt(wide, []), { name: 'b', x: 2 })),
      lines('-   name: a', '    x: 1', '-   name: b', '    x: 2'),
    );
  });

  test('flow, empty flow and pretty JSON', () => {
    const text = 's: [a, b]\ne: []\n';
    assert.equal(
      edited(text, appendItem(text, seqAt(text, ['s']), 'c d')),
      's: [a, b, c d]\ne: []\n',
    );
    assert.equal(
      edited(text, appendItem(text, seqAt(text, ['e']), { a: '0644' })),
      's: [a, b]\ne: [{a: "0644"}]\n',
    );
    const pretty = lines('{', '  "c": [', '    1', '  ]', '}');
    assert.equal(
      edited(pretty, appendItem(pretty, seqAt(pretty, ['c']), { k: 'v' })),
      lines('{', '  "c": [', '    1,', '    {', '      "k": "v"', '    }', '  ]', '}'),
    );
  });
});

describe('addEntryToMapping', () => {
  const text = lines('containers:', '  - name: a', 'nodeSelector: {}', 'tolerations: []');

  test('after the first present sibling of the list', () => {
    assert.equal(
      edited(
        text,
        addEntryToMapping(text, mapAt(text, []), 'volumes', [{ name: 'v' }], {
          after: ['initContainers', 'containers'],
        }),
      ),
      lines(
        'containers:',
        '  - name: a',
        'volumes:',
        '  - name: v',
        'nodeSelector: {}',
        'tolerations: []',
      ),
    );
  });

  test('at the end when no sibling is present', () => {
    assert.equal(
      edited(text, addEntryToMapping(text, mapAt(text, []), 'volumes', [], { after: ['missing'] })),
      lines('containers:', '  - name: a', 'nodeSelector: {}', 'tolerations: []', 'volumes: []'),
    );
  });

  test('flow, after a sibling', () => {
    const flow = 'm: {a: 1, b: 2}\n';
    assert.equal(
      edited(flow, addEntryToMapping(flow, mapAt(flow, ['m']), 'k', 1, { after: ['a'] })),
      'm: {a: 1, k: 1, b: 2}\n',
    );
  });
});

describe('replaceItem', () => {
  test('block map item: its comment above and at its end stay', () => {
    const text = lines(
      'env:',
      '  # the password',
      '  - name: P',
      '    valueFrom:',
      '      secretKeyRef:',
      '        name: s',
      '        key: k # the key',
      '  - name: Q',
    );
    const seq = seqAt(text, ['env']);
    assert.equal(
      edited(
        text,
        replaceItem(text, seq, seq.items[0], { name: 'P_FILE', value: '/etc/secrets/s/k' }),
      ),
      lines(
        'env:',
        '  # the password',
        '  - name: P_FILE',
        '    value: /etc/secrets/s/k # the key',
        '  - name: Q',
      ),
    );
  });

  test('flow and scalar items', () => {
    const text = 'a: [{name: P, valueFrom: {}}, x]\nb:\n- x\n';
    const flow = seqAt(text, ['a']);
    assert.equal(
      edited(text, replaceItem(text, flow, flow.items[0], { name: 'P_FILE', value: 'yes' })),
      'a: [{name: P_FILE, value: "yes"}, x]\nb:\n- x\n',
    );
    const block = seqAt(text, ['b']);
    assert.equal(
      edited(text, replaceItem(text, block, block.items[0], ['p', 'q'])),
      'a: [{name: P, valueFrom: {}}, x]\nb:\n- - p\n  - q\n',
    );
  });
});

describe('replaceEntry and replaceScalar', () => {
  const text = lines(
    'env:',
    '  - name: P # the password',
    '    # from the vault',
    '    valueFrom:',
    '      secretKeyRef:',
    '        name: s',
    '        key: k # the key',
    '  - {name: Q, valueFrom: {secretKeyRef: {name: s, key: q}}}',
  );

  test('block: the entry is rewritten at its column, comments around it stay', () => {
    const item = mapAt(text, ['env', 0]);
    const name = nodeAt(text, ['env', 0, 'name']);
    assert.ok(isScalar(name));
    assert.equal(
      edited(text, [
        ...replaceScalar(text, name, 'P_FILE'),
        ...replaceEntry(text, item, pairOf(item, 'valueFrom'), 'value', {
          path: '/etc/s/k',
          mode: '0400',
        }),
      ]),
      lines(
        'env:',
        '  - name: P_FILE # the password',
        '    # from the vault',
        '    value:',
        '      path: /etc/s/k',
        '      mode: "0400" # the key',
        '  - {name: Q, valueFrom: {secretKeyRef: {name: s, key: q}}}',
      ),
    );
  });

  test('flow and JSON', () => {
    const item = mapAt(text, ['env', 1]);
    assert.equal(
      edited(text, replaceEntry(text, item, pairOf(item, 'valueFrom'), 'value', 'yes')),
      text.replace('valueFrom: {secretKeyRef: {name: s, key: q}}', 'value: "yes"'),
    );
    const json = '{"name": "P", "valueFrom": {"secretKeyRef": {}}}';
    const root = mapAt(json, []);
    const name = nodeAt(json, ['name']);
    assert.ok(isScalar(name));
    assert.equal(
      edited(json, [
        ...replaceScalar(json, name, 'P_FILE'),
        ...replaceEntry(json, root, pairOf(root, 'valueFrom'), 'value', '/x'),
      ]),
      '{"name": "P_FILE", "value": "/x"}',
    );
  });

  test('a plain scalar becomes quoted only when it must', () => {
    const plain = "a: x\nb: 'y'\n";
    const a = nodeAt(plain, ['a']);
    const b = nodeAt(plain, ['b']);
    assert.ok(isScalar(a) && isScalar(b));
    assert.equal(edited(plain, replaceScalar(plain, a, 'on')), 'a: "on"\nb: \'y\'\n');
    assert.equal(edited(plain, replaceScalar(plain, b, 'z')), 'a: x\nb: z\n');
  });
});

describe('helpers', () => {
  test('scalarText', () => {
    assert.equal(scalarText('plain', 'block'), 'plain');
    assert.equal(scalarText('plain', 'json'), '"plain"');
    assert.equal(scalarText('Y', 'flow'), '"Y"');
    assert.equal(scalarText('a,b', 'flow'), '"a,b"');
    assert.equal(scalarText('.inf', 'block'), '".inf"');
    assert.equal(scalarText('1_000', 'block'), '"1_000"');
    assert.equal(scalarText('x\u2028y', 'block'), '"x\\u2028y"');
    assert.equal(scalarText(null, 'block'), 'null');
    assert.equal(scalarText(false, 'json'), 'false');
    assert.equal(scalarText(420, 'block'), '420');
    assert.equal(scalarText(1e21, 'block'), '1.0e+21');
    assert.equal(scalarText(Number.NaN, 'block'), '.nan');
    assert.throws(() => scalarText(Number.POSITIVE_INFINITY, 'json'), YamlEditError);
  });

  test('detectStyle', () => {
    assert.deepEqual(detectStyle('a:\n  b: 1\nc:\n- x\n', rootOf('a:\n  b: 1\nc:\n- x\n')), {
      indent: 2,
      sequenceIndent: 0,
      json: false,
    });
    const four = 'a:\n    b:\n        - x\n';
    assert.deepEqual(detectStyle(four, rootOf(four)), {
      indent: 4,
      sequenceIndent: 4,
      json: false,
    });
    assert.equal(detectStyle('{"a": 1}', rootOf('{"a": 1}')).json, true);
    assert.equal(detectStyle('a: {b: 1}\n', rootOf('a: {b: 1}\n')).json, false);
  });

  test('contentRange leaves out trailing comments and line breaks', () => {
    const text = lines('- name: A', '  value: x # c', '- b');
    const item = seqAt(text, []).items[0] as Node;
    assert.deepEqual(contentRange(text, item), [2, text.indexOf(' # c')]);
  });

  test('lineEnding', () => {
    assert.equal(lineEnding('a\r\nb\n'), '\r\n');
    assert.equal(lineEnding('a\nb\r\n'), '\n');
    assert.equal(lineEnding('a'), '\n');
  });

  test('normalizeEdits merges touching edits in array order and rejects overlaps', () => {
    assert.deepEqual(
      normalizeEdits([
        { start: 5, end: 5, newText: 'B' },
        { start: 2, end: 5, newText: '' },
        { start: 5, end: 5, newText: 'C' },
        { start: 0, end: 1, newText: 'A' },
      ]),
      [
        { start: 0, end: 1, newText: 'A' },
        { start: 2, end: 5, newText: 'BC' },
      ],
    );
    assert.equal(
      normalizeEdits([
        { start: 0, end: 3, newText: '' },
        { start: 2, end: 4, newText: '' },
      ]),
      undefined,
    );
  });

  test('explicit keys are refused rather than guessed', () => {
    const text = lines('? a', ': 1', '? b', ': 2');
    const map = mapAt(text, []);
    assert.throws(() => removeEntry(text, map, pairOf(map, 'b')), YamlEditError);
  });
});

// ---------------------------------------------------------------------------------------
// Property: removing an item and adding it back gives the same data, in every layout
// ---------------------------------------------------------------------------------------

const TRICKY_STRINGS = [
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  '0644',
  '0o17',
  '0x1F',
  '1e3',
  '1_000',
  '1:20',
  '+1',
  '-1',
  '.5',
  '.inf',
  '.NaN',
  '2001-12-14',
  'null',
  'Null',
  '~',
  '',
  ' lead',
  'trail ',
  '*x',
  '&a',
  '!t',
  '%p',
  '@a',
  '`b',
  'a: b',
  'a #b',
  '- x',
  '? q',
  ':',
  '-',
  '---',
  '...',
  '=',
  '[a]',
  '{b}',
  'a,b',
  'multi\nline',
  'tab\there',
  'quote"s',
  "it's",
  'é ü',
  'x\u2028y',
  'plain text',
  'db-credentials',
  '/etc/secrets/db',
  'tls.crt',
  '.dockerconfigjson',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  assert.ok(item !== undefined);
  return item;
}

function randomValue(random: () => number, depth: number): YamlValue {
  const roll = random();
  if (depth < 3 && roll < 0.2) {
    return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  }
  if (depth < 3 && roll < 0.45) return randomObject(random, depth + 1, 0);
  if (roll < 0.55) return pick(random, [0, 7, -3, 0.25, 420, 1e6]);
  if (roll < 0.6) return pick(random, [true, false, null]);
  return pick(random, TRICKY_STRINGS);
}

function randomObject(
  random: () => number,
  depth: number,
  minimum: number,
): Record<string, YamlValue> {
  const object: Record<string, YamlValue> = {};
  const size = minimum + Math.floor(random() * 4);
  for (let i = 0; i < size; i++) {
    const key = pick(
      random,
      TRICKY_STRINGS.filter((text) => !text.includes('\n')),
    );
    object[key] = randomValue(random, depth);
  }
  return object;
}

type Layout = [name: string, render: (data: Record<string, YamlValue>) => string];

const LAYOUTS: readonly Layout[] = [
  ['block, indented sequences', (data) => stringify(data, { version: '1.1', indentSeq: true })],
  [
    'block, 4 spaces, flush sequences',
    (data) => stringify(data, { version: '1.1', indent: 4, indentSeq: false }),
  ],
  ['block, CRLF', (data) => crlf(stringify(data, { version: '1.1' }))],
  ['flow', (data) => stringify(data, { version: '1.1', collectionStyle: 'flow' })],
  ['JSON, pretty', (data) => JSON.stringify(data, null, 2)],
  ['JSON, compact', (data) => JSON.stringify(data)],
];

function dataOf(text: string): unknown {
  const parsed = parseSegment(text);
  assert.deepEqual(
    parsed.document.errors.map((error) => error.message),
    [],
    `invalid YAML:\n${text}`,
  );
  return parsed.document.toJS();
}

/** Paths of every collection in the document, with its kind. */
function collectionPaths(node: unknown, path: Path = []): { path: Path; kind: 'map' | 'seq' }[] {
  if (isMap(node)) {
    return [
      { path, kind: 'map' },
      ...node.items.flatMap((pair) =>
        collectionPaths(pair.value, [...path, String(keyValue(pair))]),
      ),
    ];
  }
  if (isSeq(node)) {
    return [
      { path, kind: 'seq' },
      ...node.items.flatMap((item, index) => collectionPaths(item, [...path, index])),
    ];
  }
  return [];
}

function withoutAt(data: unknown, path: Path, last: string | number, addBack: boolean): unknown {
  const copy = structuredClone(data) as Record<string, unknown>;
  let parent: unknown = copy;
  for (const step of path) parent = (parent as Record<string | number, unknown>)[step];
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(last as number, 1);
    if (addBack) parent.push(removed);
  } else {
    const object = parent as Record<string, unknown>;
    const removed = object[last as string];
    delete object[last as string];
    if (addBack) object[last as string] = removed;
  }
  return copy;
}

describe('property: remove, then add back', () => {
  for (const [layout, render] of LAYOUTS) {
    test(layout, () => {
      const random = seededRandom(layout.length * 7919);
      let checked = 0;
      for (let round = 0; round < 20; round++) {
        const text = render(randomObject(random, 0, 1));
        const original = dataOf(text);
        for (const { path, kind } of collectionPaths(rootOf(text))) {
          const collection = nodeAt(text, path);
          const count = isMap(collection) || isSeq(collection) ? collection.items.length : 0;
          for (let index = 0; index < count; index++) {
            if (kind === 'map') {
              const map = mapAt(text, path);
              const pair = map.items[index];
              assert.ok(pair);
              const key = String(keyValue(pair));
              const removedText = edited(text, removeEntry(text, map, pair));
              assert.deepEqual(
                dataOf(removedText),
                withoutAt(original, path, key, false),
                removedText,
              );
              const entryValue = valueAtPath(original, [...path, key]);
              const restored = edited(
                removedText,
                appendEntry(removedText, mapAt(removedText, path), key, entryValue),
              );
              assert.deepEqual(dataOf(restored), original, `${text}\n=>\n${restored}`);
            } else {
              const seq = seqAt(text, path);
              const removedText = edited(text, removeItem(text, seq, seq.items[index]));
              assert.deepEqual(
                dataOf(removedText),
                withoutAt(original, path, index, false),
                removedText,
              );
              const itemValue = valueAtPath(original, [...path, index]);
              const restored = edited(
                removedText,
                appendItem(removedText, seqAt(removedText, path), itemValue),
              );
              assert.deepEqual(
                dataOf(restored),
                withoutAt(original, path, index, true),
                `${text}\n=>\n${restored}`,
              );
            }
            checked++;
          }
        }
      }
      assert.ok(checked > 30, `only ${checked} cases`);
    });
  }
});

function valueAtPath(data: unknown, path: Path): YamlValue {
  let current: unknown = data;
  for (const step of path) current = (current as Record<string | number, unknown>)[step];
  return current as YamlValue;
}
