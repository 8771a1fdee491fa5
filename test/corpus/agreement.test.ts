/**
 * docs/corpus-agreement.md against reality: for every case of the corpus's LABELS.json (what
 * kube-linter, checkov, KICS, Polaris and trivy expect of one object), our outcome is
 * recomputed from the CLI's findings on that very object (the label's document, found by
 * parsing the file as the core does), compared with the document's "ours" column, and every
 * disagreement must point at a written explanation. A rule change that flips a case fails here
 * until the document is updated: `npm run test:update-snapshots` rewrites the computed
 * columns, and a new disagreement then still fails until someone explains it.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { isScalar, isMap, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { analyze } from '../../server/src/core/analyze';
import { lineStartsOf, positionAt } from '../../server/src/core/lines';
import { objectsOf } from '../../server/src/core/model';
import { parseFile } from '../../server/src/core/parse';
import type { ParsedDocument } from '../../server/src/core/parse';
import { isKnownRuleId } from '../../server/src/core/rules';
import { REPO_ROOT } from '../helpers/paths';
import {
  CASES_BEGIN,
  CASES_END,
  SUMMARY_BEGIN,
  SUMMARY_END,
  between,
  parseCasesTable,
  parseMappingTable,
  parseReasons,
  renderCasesTable,
  renderSummary,
  replaceBetween,
} from './agreement-table';
import type { CaseRow, PeerCheckMapping, Verdict } from './agreement-table';
import {
  CORPUS_ROOT,
  UPDATE_SNAPSHOTS,
  readLabels,
  requireCorpus,
  runCliOverCorpus,
} from './corpus-run';
import type { CorpusFinding, PeerLabel } from './corpus-run';

const DOC = path.join(REPO_ROOT, 'docs', 'corpus-agreement.md');

/** A finding of ours: rule and 1-based line (in the example text for embedded cases). */
interface Hit {
  ruleId: string;
  line: number;
}

/**
 * The documents PyYAML's `safe_load_all` yields for a file, in order: LABELS.json counts
 * `doc_index` among them. Empty and comment-only documents (null) are not counted.
 */
function nonEmptyDocuments(text: string): ParsedDocument[] {
  return parseFile(text).filter((document) => {
    const contents = document.document.contents;
    return contents !== null && !(isScalar(contents) && contents.value === null);
  });
}

/** `Kind/name` of a document's object, as LABELS.json writes it. */
function objectName(document: ParsedDocument): string {
  const [object] = objectsOf(document);
  return object ? `${object.kind}/${object.name ?? ''}` : '(no Kubernetes object)';
}

/** The node at a path such as `kubernetes.bad[1]`. */
function nodeAt(root: unknown, dotted: string): unknown {
  let node: unknown = root;
  for (const part of dotted.split('.')) {
    const match = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) throw new Error(`cannot read the embedded path ${dotted}`);
    node = isMap(node) ? node.get(match[1], true) : undefined;
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) {
      node = isSeq(node) ? node.get(Number(index[1]), true) : undefined;
    }
  }
  return node;
}

/** The labelled object's findings among `findings` (CLI output for that file). */
function hitsOnDocument(label: PeerLabel, text: string, findings: readonly CorpusFinding[]): Hit[] {
  const documents = nonEmptyDocuments(text);
  const index = label.doc_index ?? -1;
  const document = documents[index];
  assert.ok(document, `${label.file}: there is no document ${index} (it has ${documents.length})`);
  assert.equal(
    objectName(document),
    label.object,
    `${label.file} document ${index} is the labelled object`,
  );
  const lineStarts = lineStartsOf(text);
  const end = document.offset + document.text.length;
  return findings
    .filter((finding) => {
      const offset = (lineStarts[finding.line - 1] ?? Infinity) + finding.column - 1;
      return offset >= document.offset && offset < end;
    })
    .map((finding) => ({ ruleId: finding.ruleId, line: finding.line }));
}

/**
 * trivy-checks keeps its examples as block scalars of a data file, which the CLI rightly
 * skips (it is not a manifest): the example text itself is analysed with the core.
 */
function hitsOnEmbeddedExample(label: PeerLabel, text: string): Hit[] {
  const node = nodeAt(parseDocument(text).contents, label.embedded ?? '') as Node | undefined;
  assert.ok(isScalar(node) && typeof node.value === 'string', `${label.embedded} is a string`);
  const example = node.value;
  const [document] = nonEmptyDocuments(example);
  assert.ok(document, `${label.embedded} holds a document`);
  assert.equal(objectName(document), label.object, `${label.embedded} is the labelled object`);
  const result = analyze({ text: example });
  assert.deepEqual(result.internalErrors, []);
  const lineStarts = lineStartsOf(example);
  return result.findings.map((finding) => ({
    ruleId: finding.ruleId,
    line: positionAt(lineStarts, finding.start).line + 1,
  }));
}

describe('docs/corpus-agreement.md matches what the rules find on the labelled corpus files', () => {
  let markdown: string;
  let mappings: PeerCheckMapping[];
  let labels: PeerLabel[];
  let expectedRows: CaseRow[];
  let documentedRows: CaseRow[];

  before(() => {
    requireCorpus();
    markdown = readFileSync(DOC, 'utf8');
    mappings = parseMappingTable(markdown);
    labels = readLabels();
    documentedRows = parseCasesTable(markdown);
    const run = runCliOverCorpus();
    const findingsByFile = new Map<string, CorpusFinding[]>();
    for (const finding of run.findings) {
      const list = findingsByFile.get(finding.file) ?? [];
      list.push(finding);
      findingsByFile.set(finding.file, list);
    }
    const documentedReason = new Map(
      documentedRows.flatMap((row) =>
        row.verdict.kind === 'disagree' ? [[row.number, row.verdict.reason] as const] : [],
      ),
    );
    expectedRows = labels.map((label, index) => {
      const mapping = mappings.find((m) => m.peer === label.peer && m.check === label.check);
      const rules = mapping?.rules ?? null;
      const text = readFileSync(path.join(CORPUS_ROOT, label.file), 'utf8');
      const hits = (
        label.embedded !== undefined
          ? hitsOnEmbeddedExample(label, text)
          : hitsOnDocument(label, text, findingsByFile.get(label.file) ?? [])
      ).filter((hit) => rules?.includes(hit.ruleId));
      const ours = rules === null ? 'n/a' : hits.length > 0 ? 'fail' : 'pass';
      let verdict: Verdict;
      if (rules === null) verdict = { kind: 'out of scope' };
      else if (ours === label.expected) verdict = { kind: 'agree' };
      else verdict = { kind: 'disagree', reason: documentedReason.get(index + 1) ?? '?' };
      return {
        number: index + 1,
        peer: label.peer,
        check: label.check,
        file: label.file,
        doc: label.embedded ?? String(label.doc_index),
        object: label.object,
        expected: label.expected,
        ours,
        findings:
          rules === null
            ? 'n/a'
            : hits.length === 0
              ? 'none'
              : hits.map((hit) => `${hit.ruleId}:${hit.line}`).join(', '),
        verdict,
      };
    });
    if (UPDATE_SNAPSHOTS) {
      markdown = replaceBetween(markdown, CASES_BEGIN, CASES_END, renderCasesTable(expectedRows));
      markdown = replaceBetween(
        markdown,
        SUMMARY_BEGIN,
        SUMMARY_END,
        renderSummary(expectedRows, parseReasons(markdown)),
      );
      writeFileSync(DOC, markdown);
      documentedRows = parseCasesTable(markdown);
    }
  });

  test('every labelled peer check has one row in the mapping table, naming real rule ids', () => {
    const checks = [...new Set(labels.map((label) => `${label.peer} ${label.check}`))].sort();
    const mapped = mappings.map((mapping) => `${mapping.peer} ${mapping.check}`);
    assert.deepEqual([...mapped].sort(), checks, 'one mapping row per labelled check');
    for (const mapping of mappings) {
      for (const id of mapping.rules ?? []) {
        assert.ok(isKnownRuleId(id), `${mapping.peer} ${mapping.check}: unknown rule id ${id}`);
      }
      assert.ok(
        mapping.rules === null || mapping.rules.length > 0,
        `${mapping.peer} ${mapping.check}: name rule ids in backticks or say "out of scope: why"`,
      );
    }
  });

  test('one row per labelled case, in LABELS.json order, with the label as written', () => {
    const identity = (row: CaseRow): string =>
      [row.number, row.peer, row.check, row.file, row.doc, row.object, row.expected].join(' | ');
    assert.deepEqual(documentedRows.map(identity), expectedRows.map(identity));
  });

  test('the "ours", "our findings" and verdict columns are what the rules find now', () => {
    const computed = (row: CaseRow): string =>
      `#${row.number} ${row.file} ${row.object}: ours ${row.ours} (${row.findings}), ${row.verdict.kind}`;
    assert.deepEqual(
      documentedRows.map(computed),
      expectedRows.map(computed),
      'a rule change flipped a case: run `npm run test:update-snapshots`, then explain any new ' +
        'disagreement in docs/corpus-agreement.md',
    );
  });

  test('every disagreement is explained, and every explanation is used', () => {
    const reasons = parseReasons(markdown);
    const defined = new Set(reasons.map((reason) => reason.id));
    assert.equal(defined.size, reasons.length, 'reason ids are unique');
    const used = new Set<string>();
    for (const row of documentedRows) {
      if (row.verdict.kind !== 'disagree') continue;
      used.add(row.verdict.reason);
      assert.ok(
        defined.has(row.verdict.reason),
        `case #${row.number} (${row.peer} ${row.check} on ${row.object}) disagrees: write why ` +
          `under <a id="…"></a> ### Peer error: / ### Deliberate difference: and link it`,
      );
    }
    assert.deepEqual(
      [...defined].filter((id) => !used.has(id)),
      [],
      'explanations no case links to',
    );
  });

  test('the agreement figure is computed from the table', () => {
    assert.equal(
      between(markdown, SUMMARY_BEGIN, SUMMARY_END),
      renderSummary(documentedRows, parseReasons(markdown)),
    );
  });
});
