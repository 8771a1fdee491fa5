/**
 * The decoded view of a Secret and writing it back: the view's text, minimal edits that keep
 * comments and untouched bytes, refusals, and round trips of random values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  VIEW_FOOTER,
  applyDecodedView,
  decodedViewOf,
  renderViewValue,
  secretAt,
  secretsInFile,
} from '../../server/src/core/decoded-view';
import type { DecodedView, SecretLocator } from '../../server/src/core/decoded-view';
import { parseFile } from '../../server/src/core/parse';
import { applyEdits } from '../helpers/apply-edits';
import { storedValues } from '../helpers/secret-fix-check';
import { parseDocument } from 'yaml';
import { seededRandom } from '../helpers/random';

const SECRET = `# the database credentials
apiVersion: v1
kind: Secret
metadata:
  name: db # primary
  namespace: shop
type: Opaque
data:
  # who connects
  username: YWRtaW4= # admin
  password: "czNjcjN0"
  blob: AAEC/w==
  broken: not base64!
stringData:
  note: |
    line one
    line two
`;

function viewOf(text: string, locator: SecretLocator = { document: 0, object: 0 }): DecodedView {
  const result = decodedViewOf(text, locator, { fileLabel: 'db.yaml' });
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.view;
}

function writeBack(text: string, view: DecodedView, edited: string): string {
  const result = applyDecodedView(text, view.locator, view.fingerprint, edited);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return applyEdits(text, result.edits);
}

test('the view shows data decoded, stringData as is, binary as !!binary, and lists what it hides', () => {
  assert.equal(
    viewOf(SECRET).text,
    [
      '# Decoded values of Secret \\"db\\" (namespace \\"shop\\"), document 1 of db.yaml.',
      '# Saving this tab writes them back into the manifest: data values base64-encoded,',
      '# stringData values as plain text. Add, change, rename or remove keys; move a key',
      '# between data and stringData to change how it is stored. Values that are not text',
      '# are shown as !!binary (base64) and kept unless edited. This tab is kept in memory only.',
      '# Not shown, kept as they are: data.broken (not valid base64).',
      'data:',
      '  username: admin',
      '  password: s3cr3t',
      '  blob: !!binary |',
      '    AAEC/w==',
      'stringData:',
      '  note: |',
      '    line one',
      '    line two',
      VIEW_FOOTER,
      '',
    ].join('\n'),
  );
});

test('saving the view unchanged changes nothing', () => {
  const view = viewOf(SECRET);
  const result = applyDecodedView(SECRET, view.locator, view.fingerprint, view.text);
  assert.ok(result.ok);
  assert.deepEqual(result.edits, []);
  assert.equal(result.fingerprint, view.fingerprint);
});

test('a changed data value is re-encoded in place, in its quoting style; the rest stays byte-identical', () => {
  const view = viewOf(SECRET);
  const edited = view.text.replace('password: s3cr3t', 'password: n3w-pass');
  const result = applyDecodedView(SECRET, view.locator, view.fingerprint, edited);
  assert.ok(result.ok);
  assert.deepEqual(result.summary, { changed: 1, added: 0, removed: 0, moved: 0 });
  assert.equal(result.edits.length, 1);
  const fixed = applyEdits(SECRET, result.edits);
  assert.equal(
    fixed,
    SECRET.replace('"czNjcjN0"', `"${Buffer.from('n3w-pass').toString('base64')}"`),
  );
  assert.notEqual(result.fingerprint, view.fingerprint);
});

test('a changed stringData value stays text; multi-line text is written as a literal block', () => {
  const view = viewOf(SECRET);
  const edited = view.text.replace('    line two\n', '    line 2\n    line three\n');
  assert.equal(
    writeBack(SECRET, view, edited),
    SECRET.replace('    line two\n', '    line 2\n    line three\n'),
  );
});

test('keys are added, removed, renamed and moved between data and stringData', () => {
  const view = viewOf(SECRET);
  const edited = view.text
    .replace('  username: admin\n', '') // removed
    .replace('  password: s3cr3t\n', '  pass: s3cr3t\n') // renamed
    .replace('stringData:\n', 'stringData:\n  api-key: abc 123\n') // added
    .replace('  blob: !!binary |\n    AAEC/w==\n', '') // moved below
    .replace(VIEW_FOOTER, `  host: db.local\n${VIEW_FOOTER}`); // added to stringData
  const result = applyDecodedView(SECRET, view.locator, view.fingerprint, edited);
  assert.ok(result.ok, result.ok ? '' : result.message);
  const fixed = applyEdits(SECRET, result.edits);
  assert.deepEqual(
    parseFile(fixed).flatMap((d) => d.document.errors),
    [],
  );
  const stored = storedValues(fixed);
  assert.equal(stored.get('0/0/username'), undefined);
  assert.equal(stored.get('0/0/password'), undefined);
  assert.equal(stored.get('0/0/pass'), Buffer.from('s3cr3t').toString('hex'));
  assert.equal(stored.get('0/0/api-key'), Buffer.from('abc 123').toString('hex'));
  assert.equal(stored.get('0/0/host'), Buffer.from('db.local').toString('hex'));
  assert.equal(stored.get('0/0/broken'), 'invalid-base64', 'the hidden entry stays');
  assert.match(fixed, /^# the database credentials$/m);
  assert.match(fixed, /^ {2}name: db # primary$/m);
  assert.match(fixed, /^ {2}broken: not base64!$/m);
});

test('renaming the only key of a map does not empty it on the way', () => {
  const text = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\ndata:\n  only: YQ==\n';
  const view = viewOf(text);
  const fixed = writeBack(text, view, view.text.replace('  only: a', '  other: a'));
  assert.equal(fixed, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\ndata:\n  other: YQ==\n');
});

test('binary values are kept unless edited, and can be replaced by text', () => {
  const view = viewOf(SECRET);
  assert.deepEqual(
    applyDecodedView(
      SECRET,
      view.locator,
      view.fingerprint,
      view.text.replace('AAEC/w==', 'AAEC\n    /w=='),
    ),
    { ...applyDecodedView(SECRET, view.locator, view.fingerprint, view.text) },
  );
  const fixed = writeBack(SECRET, view, view.text.replace('!!binary |\n    AAEC/w==', 'now text'));
  assert.match(fixed, /^ {2}blob: bm93IHRleHQ=$/m);
});

test('every Secret of a multi-document file and of a List has its own view', () => {
  const text = `${SECRET}---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: x}\n  data: {k: dg==}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: yy}\n  stringData: {k: w}\n`;
  const secrets = secretsInFile(text);
  assert.deepEqual(
    secrets.map((s) => [s.document, s.object, s.name]),
    [
      [0, 0, 'db'],
      [1, 0, 'x'],
      [1, 1, 'yy'],
    ],
  );
  assert.equal(secretAt(text, text.indexOf('dg=='))?.name, 'x');
  const view = viewOf(text, { document: 1, object: 0 });
  assert.match(view.text, /^ {2}k: v$/m);
  const fixed = writeBack(text, view, view.text.replace('  k: v', '  k: value'));
  assert.equal(fixed, text.replace('{k: dg==}', '{k: dmFsdWU=}'));
});

test('JSON manifests stay JSON', () => {
  const text =
    '{\n  "apiVersion": "v1",\n  "kind": "Secret",\n  "metadata": {"name": "j"},\n  "data": {\n    "a": "YQ=="\n  }\n}\n';
  const view = viewOf(text);
  const fixed = writeBack(
    text,
    view,
    view.text
      .replace('  a: a', '  a: b')
      .replace('stringData:', 'stringData:\n  s: multi\n    line'),
  );
  const json = JSON.parse(fixed) as {
    data: Record<string, string>;
    stringData: Record<string, string>;
  };
  assert.deepEqual(json.data, { a: 'Yg==' });
  assert.deepEqual(json.stringData, { s: 'multi line' });
});

test('CRLF files keep CRLF', () => {
  const text = SECRET.replace(/\n/g, '\r\n');
  const view = viewOf(text);
  const fixed = writeBack(
    text,
    view,
    view.text.replace('    line two\n', '    line two\n    three\n'),
  );
  assert.equal(fixed, text.replace('    line two\r\n', '    line two\r\n    three\r\n'));
});

test('the manifest changed underneath: refused, nothing written; other edits are fine', () => {
  const view = viewOf(SECRET);
  const changed = SECRET.replace('YWRtaW4=', 'cm9vdA==');
  const stale = applyDecodedView(changed, view.locator, view.fingerprint, view.text);
  assert.equal(stale.ok, false);
  assert.equal(!stale.ok && stale.reason, 'stale');
  // An edit outside the values (a label, another document before it) does not block the save.
  const moved = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n${SECRET.replace('type: Opaque', 'type: Opaque # note')}`;
  const result = applyDecodedView(
    moved,
    view.locator,
    view.fingerprint,
    view.text.replace('admin', 'root'),
  );
  assert.ok(result.ok);
  assert.deepEqual(result.locator, { document: 1, object: 0 });
  assert.match(applyEdits(moved, result.edits), /username: cm9vdA== # admin/);
});

test('invalid views are refused with a message that holds no value', () => {
  const view = viewOf(SECRET);
  const cases: [string, RegExp][] = [
    [view.text.replace('  username: admin', '  username: [admin-x1]'), /must be a string/],
    [view.text.replace('  username: admin', '  user name: admin-x1'), /not a valid Secret key/],
    [
      view.text.replace('  username: admin', '  username: admin-x1\n  username: admin-x1'),
      /repeated/,
    ],
    [view.text.replace('data:', 'metadata:\n  name: x\ndata:'), /only data and stringData/],
    [view.text.replace('  username: admin', '  username: "admin-x1'), /not valid YAML at line/],
    [
      view.text.replace('  note: |', '  note: !!binary |\n    /w==\n  other: |'),
      /stringData holds text only/,
    ],
    [view.text.replace('  username: admin', '  broken: admin-x1'), /not shown/],
  ];
  for (const [edited, message] of cases) {
    const result = applyDecodedView(SECRET, view.locator, view.fingerprint, edited);
    assert.equal(result.ok, false, String(message));
    assert.match(!result.ok ? result.message : '', message);
    assert.doesNotMatch(!result.ok ? result.message : '', /admin-x1/);
  }
});

test('a view is refused for SOPS files, broken documents and repeated keys', () => {
  const sops = `${SECRET}sops:\n  mac: ENC[AES256_GCM,data:x]\n`;
  assert.match(String(!decodedViewOf(sops, { document: 0, object: 0 }).ok), /true/);
  const broken = 'apiVersion: v1\nkind: Secret\ndata:\n  a: [\n';
  const result = decodedViewOf(broken, { document: 0, object: 0 });
  assert.equal(result.ok, false);
  const repeated = 'apiVersion: v1\nkind: Secret\ndata:\n  a: YQ==\n  a: Yg==\n';
  const twice = decodedViewOf(repeated, { document: 0, object: 0 });
  assert.match(twice.ok ? '' : twice.message, /twice/);
});

// ---------------------------------------------------------------------------------------
// Random values: every value renders to view text that reads back to the same bytes, and a
// write-back of random edits stores exactly the view's values.
// ---------------------------------------------------------------------------------------

const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\r\n',
  '#',
  ': ',
  '- ',
  '"',
  "'",
  '\\',
  '|',
  '>',
  'yes',
  '0644',
  '~',
  'null',
  '{',
  '}',
  '[',
  ']',
  ',',
  '&a',
  '*a',
  '!',
  '%',
  '@',
  '`',
  'é',
  '😀',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\u0000',
  '\u007f',
  '---',
  '...',
  '=',
  '==',
  'YWRtaW4=',
];

function randomValue(next: () => number): Buffer {
  if (next() < 0.15) {
    return Buffer.from(
      Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 256)),
    );
  }
  let text = '';
  const count = Math.floor(next() * 8);
  for (let i = 0; i < count; i++) text += PIECES[Math.floor(next() * PIECES.length)] ?? '';
  return Buffer.from(text, 'utf8');
}

test('property: every value renders to view text that reads back to the same bytes', () => {
  const next = seededRandom(7);
  for (let i = 0; i < 3000; i++) {
    const bytes = randomValue(next);
    const rendered = renderViewValue(bytes, '    ');
    const document = parseDocument(`data:\n  k: ${rendered}\n${VIEW_FOOTER}\n`, {
      schema: 'failsafe',
      customTags: ['binary'],
    });
    assert.deepEqual(document.errors, [], JSON.stringify(rendered));
    const value = (document.toJS() as { data: { k: unknown } }).data.k;
    const back =
      value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value), 'utf8');
    assert.ok(
      back.equals(bytes),
      `${JSON.stringify(bytes.toString('latin1'))} -> ${JSON.stringify(rendered)}`,
    );
  }
});

test('property: random edits written back store exactly the view, and saving again changes nothing', () => {
  const next = seededRandom(11);
  const layouts = [
    (entries: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: p\ndata:\n${entries}stringData:\n  s: text\n`,
    (entries: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: p\ndata:\n${entries.replace(/^ {2}/gm, '    ')}`,
    (entries: string) =>
      `- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: p\n  data:\n${entries.replace(/^/gm, '  ')}`.replace(
        /^- /,
        'apiVersion: v1\nkind: List\nitems:\n- ',
      ),
  ];
  for (let i = 0; i < 150; i++) {
    const layout = layouts[i % layouts.length];
    assert.ok(layout);
    const keys = ['k1', 'k2', 'k3'].slice(0, 1 + Math.floor(next() * 3));
    const entries = keys
      .map((key) => `  ${key}: ${randomValue(next).toString('base64') || '""'} # ${key}\n`)
      .join('');
    const text = layout(entries);
    const view = viewOf(text);
    const document = parseDocument(view.text, { schema: 'failsafe', customTags: ['binary'] });
    const wanted: Record<string, Record<string, Buffer>> = { data: {}, stringData: {} };
    // Keep, change or drop each key, and add one, in data or stringData.
    const lines = ['data:'];
    const stringLines = ['stringData:'];
    const model = document.toJS() as Record<string, Record<string, unknown> | null>;
    for (const [field, values] of Object.entries(model)) {
      for (const [key, value] of Object.entries(values ?? {})) {
        const roll = next();
        if (roll < 0.2) continue;
        let bytes: Buffer =
          value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value));
        if (roll < 0.6) bytes = randomValue(next);
        const target =
          field === 'stringData' || (roll > 0.9 && isText(bytes)) ? 'stringData' : 'data';
        if (target === 'stringData' && !isText(bytes)) continue;
        (wanted[target] ??= {})[key] = bytes;
        (target === 'data' ? lines : stringLines).push(
          `  ${key}: ${renderViewValue(bytes, '    ')}`,
        );
      }
    }
    const added = randomValue(next);
    wanted.data = { ...wanted.data, added };
    lines.push(`  added: ${renderViewValue(added, '    ')}`);
    const edited = [...lines, ...stringLines, VIEW_FOOTER, ''].join('\n');
    const result = applyDecodedView(text, view.locator, view.fingerprint, edited);
    assert.ok(result.ok, `${result.ok ? '' : result.message}\n${text}\n${edited}`);
    const fixed = applyEdits(text, result.edits);
    for (const comment of text.match(/# k\d/g) ?? []) {
      const key = comment.slice(2);
      // A key that stays in data keeps its line's comment (a moved or removed one takes it along).
      if (wanted.data?.[key]) {
        assert.ok(fixed.includes(comment), `${comment} kept\n${fixed}`);
      }
    }
    const again = decodedViewOf(fixed, result.locator);
    assert.ok(again.ok);
    const reread = parseDocument(again.view.text, {
      schema: 'failsafe',
      customTags: ['binary'],
    }).toJS() as Record<string, Record<string, unknown> | null>;
    for (const field of ['data', 'stringData']) {
      const got = Object.fromEntries(
        Object.entries(reread[field] ?? {}).map(([k, v]) => [
          k,
          (v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v))).toString('hex'),
        ]),
      );
      const expected = Object.fromEntries(
        Object.entries(wanted[field] ?? {}).map(([k, v]) => [k, v.toString('hex')]),
      );
      assert.deepEqual(got, expected, `${field}\n${text}\n${edited}\n${fixed}`);
    }
    assert.equal(again.view.fingerprint, result.fingerprint);
    const second = applyDecodedView(fixed, result.locator, result.fingerprint, edited);
    assert.ok(second.ok);
    assert.deepEqual(second.edits, [], 'saving the same view twice is harmless');
  }
});

function isText(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
