import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFile, parseSegment, splitDocuments } from '../../server/src/core/parse';
import { objectsOf, secretValuesOf } from '../../server/src/core/model';

test('splits at --- and keeps leading comments and directives with their document', () => {
  const text = '# head\n---\na: 1\n---\nb: 2\n...\n%YAML 1.1\n---\nc: 3\n';
  const segments = splitDocuments(text);
  assert.deepEqual(
    segments.map((s) => s.text),
    ['# head\n---\na: 1\n', '---\nb: 2\n...\n', '%YAML 1.1\n---\nc: 3\n'],
  );
  assert.equal(segments.map((s) => s.text).join(''), text);
  assert.deepEqual(
    segments.map((s) => s.offset),
    [0, 16, 29],
  );
});

test('a document without markers is one segment; --- inside a value line is not a marker', () => {
  assert.equal(splitDocuments('a: 1\nb: ---x\n').length, 1);
  assert.equal(splitDocuments('a: |\n  x\n---\nb: 1\n').length, 2);
  assert.equal(splitDocuments('').length, 1);
});

test('a syntax error stays inside its document', () => {
  const documents = parseFile(
    'kind: Secret\napiVersion: v1\n---\nkind: [unclosed\n---\nkind: ConfigMap\n',
  );
  assert.deepEqual(
    documents.map((d) => d.ok),
    [true, false, true],
  );
  assert.deepEqual(
    documents.filter((d) => d.ok).flatMap((d) => objectsOf(d).map((o) => o.kind)),
    ['Secret', 'ConfigMap'],
  );
});

test('YAML 1.1 resolution: yes is a boolean, 0644 is octal 420, 1:20 stays a string', () => {
  const document = parseSegment('a: yes\nb: 0644\nc: 1:20\nd: 2001-12-14\ne: "yes"\nf: on\n');
  assert.deepEqual(document.document.toJS(), {
    a: true,
    b: 420,
    c: '1:20',
    d: '2001-12-14',
    e: 'yes',
    f: true,
  });
});

test('JSON manifests and List items are objects', () => {
  const [json] = parseFile('{"kind": "Secret", "apiVersion": "v1", "data": {"a": "b"}}');
  assert.ok(json);
  assert.deepEqual(
    objectsOf(json).map((o) => o.kind),
    ['Secret'],
  );
  const [list] = parseFile('kind: List\nitems:\n- kind: Secret\n  apiVersion: v1\n- kind: Pod\n');
  assert.ok(list);
  assert.deepEqual(
    objectsOf(list).map((o) => o.kind),
    ['Secret', 'Pod'],
  );
});

test('identical document text is parsed once', () => {
  const first = parseFile('kind: Secret\n---\nkind: Pod\n');
  const second = parseFile('kind: ConfigMap\n---\nkind: Pod\n');
  assert.ok(first[1]?.document);
  assert.equal(first[1]?.document, second[1]?.document);
  assert.equal(second[1]?.offset, 16);
});

test('an alias reads as the node it names, as Kubernetes reads it', () => {
  const text =
    'apiVersion: v1\nkind: Secret\nstringData:\n  a: &shared "yes"\n  b: *shared\n  c: &flag yes\n  d: *flag\n';
  const [document] = parseFile(text);
  assert.ok(document);
  const [secret] = objectsOf(document);
  assert.ok(secret);
  const values = secretValuesOf(secret).map((entry) => [
    entry.key,
    entry.value && 'value' in entry.value ? entry.value.value : undefined,
  ]);
  assert.deepEqual(values, [
    ['a', 'yes'],
    ['b', 'yes'],
    ['c', true],
    ['d', true],
  ]);
});
