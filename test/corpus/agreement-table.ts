/**
 * Reading and writing the tables of docs/corpus-agreement.md. The document is written by hand
 * except for the parts between `<!-- cases:begin -->`/`<!-- cases:end -->` and
 * `<!-- summary:begin -->`/`<!-- summary:end -->`, whose computed columns agreement.test.ts
 * checks (and rewrites with UPDATE_SNAPSHOTS=1, keeping the hand-written reasons).
 */

/** How one peer check maps to our rules; `rules` is null when the check is out of scope. */
export interface PeerCheckMapping {
  peer: string;
  check: string;
  rules: string[] | null;
}

/** One row of the cases table: a labelled case, what we do, and the verdict. */
export interface CaseRow {
  /** 1-based position in LABELS.json. */
  number: number;
  peer: string;
  check: string;
  file: string;
  /** The label's `doc_index`, or its `embedded` path. */
  doc: string;
  object: string;
  expected: string;
  /** `pass`, `fail`, or `n/a` for an out-of-scope check. */
  ours: string;
  /** Our findings of the mapped rules on that object, as `rule-id:line`, or `none`. */
  findings: string;
  verdict: Verdict;
}

export type Verdict =
  | { kind: 'agree' }
  | { kind: 'out of scope' }
  /** `reason` is the id of the explanation in the document (`?` until someone writes one). */
  | { kind: 'disagree'; reason: string };

/** A hand-written explanation of disagreements: `<a id="…"></a>` then `### <category>: …`. */
export interface Reason {
  id: string;
  category: 'Peer error' | 'Deliberate difference';
}

export const CASES_BEGIN = '<!-- cases:begin -->';
export const CASES_END = '<!-- cases:end -->';
export const SUMMARY_BEGIN = '<!-- summary:begin -->';
export const SUMMARY_END = '<!-- summary:end -->';
const MAPPING_BEGIN = '<!-- mapping:begin -->';
const MAPPING_END = '<!-- mapping:end -->';

/** The text between two markers (exclusive); throws when they are missing. */
export function between(markdown: string, begin: string, end: string): string {
  const start = markdown.indexOf(begin);
  const stop = markdown.indexOf(end);
  if (start === -1 || stop === -1 || stop < start) {
    throw new Error(`docs/corpus-agreement.md lacks ${begin} … ${end}`);
  }
  return markdown.slice(start + begin.length, stop);
}

/** The same document with the text between two markers replaced. */
export function replaceBetween(
  markdown: string,
  begin: string,
  end: string,
  replacement: string,
): string {
  between(markdown, begin, end);
  const start = markdown.indexOf(begin) + begin.length;
  return `${markdown.slice(0, start)}${replacement}${markdown.slice(markdown.indexOf(end))}`;
}

/** The body rows of the first Markdown table in `text`, as trimmed cells. */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((line) => line.trim().startsWith('|'));
  // Header and separator first.
  return lines.slice(2).map((line) =>
    line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((cell) => cell.trim()),
  );
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1');

/** Columns: peer | check | what it checks | our rules (or "out of scope: …") | notes. */
export function parseMappingTable(markdown: string): PeerCheckMapping[] {
  return tableRows(between(markdown, MAPPING_BEGIN, MAPPING_END)).map((cells) => {
    const [peer = '', check = '', , ours = ''] = cells;
    const rules = /^out of scope/i.test(ours)
      ? null
      : [...ours.matchAll(/`([a-z0-9-]+)`/g)].map((match) => match[1] ?? '');
    return { peer, check: unquote(check), rules };
  });
}

const CASES_HEADER =
  '| # | peer | check | file | doc | object | peer expects | ours | our findings | verdict |\n' +
  '| --: | --- | --- | --- | --- | --- | --- | --- | --- | --- |';

export function renderVerdict(verdict: Verdict): string {
  return verdict.kind === 'disagree'
    ? `disagree: [${verdict.reason}](#${verdict.reason})`
    : verdict.kind;
}

function parseVerdict(cell: string): Verdict {
  if (cell === 'agree') return { kind: 'agree' };
  if (cell === 'out of scope') return { kind: 'out of scope' };
  const match = /^disagree: \[([^\]]*)\]\(#([^)]*)\)$/.exec(cell);
  if (match && match[1] === match[2]) return { kind: 'disagree', reason: match[1] ?? '?' };
  throw new Error(`docs/corpus-agreement.md: a verdict must be agree, out of scope or
"disagree: [reason-id](#reason-id)", not "${cell}"`);
}

export function parseCasesTable(markdown: string): CaseRow[] {
  return tableRows(between(markdown, CASES_BEGIN, CASES_END)).map((cells) => {
    const [number, peer, check, file, doc, object, expected, ours, findings, verdict] = cells;
    return {
      number: Number(number),
      peer: peer ?? '',
      check: unquote(check ?? ''),
      file: unquote(file ?? ''),
      doc: unquote(doc ?? ''),
      object: unquote(object ?? ''),
      expected: expected ?? '',
      ours: ours ?? '',
      findings: findings ?? '',
      verdict: parseVerdict(verdict ?? ''),
    };
  });
}

export function renderCasesTable(rows: readonly CaseRow[]): string {
  const lines = rows.map(
    (row) =>
      `| ${row.number} | ${row.peer} | \`${row.check}\` | \`${row.file}\` | ${row.doc} | \`${row.object}\` | ${row.expected} | ${row.ours} | ${row.findings} | ${renderVerdict(row.verdict)} |`,
  );
  return `\n${CASES_HEADER}\n${lines.join('\n')}\n`;
}

/** Every `<a id="…"></a>` directly followed by a `### Peer error: …` or `### Deliberate difference: …` heading. */
export function parseReasons(markdown: string): Reason[] {
  return [
    ...markdown.matchAll(/<a id="([a-z0-9-]+)"><\/a>\n### (Peer error|Deliberate difference):/g),
  ].map((match) => ({ id: match[1] ?? '', category: match[2] as Reason['category'] }));
}

/** The summary block: the agreement figure and a table per peer. */
export function renderSummary(rows: readonly CaseRow[], reasons: readonly Reason[]): string {
  const category = new Map(reasons.map((reason) => [reason.id, reason.category]));
  const inScope = rows.filter((row) => row.verdict.kind !== 'out of scope');
  const agree = inScope.filter((row) => row.verdict.kind === 'agree').length;
  const disagreements = inScope.filter((row) => row.verdict.kind === 'disagree');
  const peerErrors = disagreements.filter(
    (row) => row.verdict.kind === 'disagree' && category.get(row.verdict.reason) === 'Peer error',
  ).length;
  const deliberate = disagreements.length - peerErrors;
  const outOfScope = rows.length - inScope.length;
  const files = new Set(rows.map((row) => row.file)).size;
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const perPeer = [...new Set(rows.map((row) => row.peer))].map((peer) => {
    const own = rows.filter((row) => row.peer === peer);
    const count = (kind: Verdict['kind']): number =>
      own.filter((row) => row.verdict.kind === kind).length;
    return `| ${peer} | ${own.length} | ${own.length - count('out of scope')} | ${count('agree')} | ${count('disagree')} | ${count('out of scope')} |`;
  });
  return [
    '',
    `**${agree} of ${inScope.length} labelled cases in scope agree.** The ${plural(disagreements.length, 'disagreement is', 'disagreements are')} ${plural(peerErrors, 'peer error', 'peer errors')} and ${plural(deliberate, 'deliberate difference', 'deliberate differences')}, each explained [below](#why-we-disagree). The other ${plural(outOfScope, 'case belongs', 'cases belong')} to peer checks that are out of scope. (${rows.length} labelled cases on ${files} files.)`,
    '',
    '| peer | cases | in scope | agree | disagree | out of scope |',
    '| --- | --: | --: | --: | --: | --: |',
    ...perPeer,
    '',
  ].join('\n');
}
