// The bench's inputs, all built from ../shared/corpus (read-only, beside the project).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { core } from './project.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** The shared corpus: `$SECRET_GUARD_CORPUS`, or `../shared/corpus` beside the project. */
export const CORPUS_DIR = resolve(
  process.env.SECRET_GUARD_CORPUS ?? join(here, '..', '..', '..', 'shared', 'corpus'),
);

/** The large multi-document files of target 1 (about 2 MB each). */
export const LARGE_FILES = [
  'large/argo-cd/manifests/install.yaml',
  'large/external-secrets/deploy/crds/bundle.yaml',
];

export function assertCorpus() {
  if (!existsSync(join(CORPUS_DIR, 'INDEX.json'))) {
    throw new Error(`bench: no corpus at ${CORPUS_DIR} (set SECRET_GUARD_CORPUS)`);
  }
}

/** Every corpus file outside large/, as listed by INDEX.json (path relative to the corpus). */
export function corpusFiles() {
  const index = JSON.parse(readFileSync(join(CORPUS_DIR, 'INDEX.json'), 'utf8'));
  return index.map((entry) => entry.file).filter((file) => !file.startsWith('large/'));
}

export function readCorpus(file) {
  return readFileSync(join(CORPUS_DIR, file), 'utf8');
}

/**
 * The corpus's Kubernetes objects as YAML document texts: every document of every file outside
 * large/ (plus argo-cd's namespace-install.yaml, a real install of 50 ordinary objects) that
 * parses and has a `kind`. 679 documents, median about 400 bytes.
 */
export function realisticDocuments() {
  const { splitDocuments, parseSegment } = core.parse;
  const files = [...corpusFiles(), 'large/argo-cd/manifests/namespace-install.yaml'];
  const documents = [];
  for (const file of files) {
    if (!/\.ya?ml$/i.test(file)) continue;
    for (const segment of splitDocuments(readCorpus(file))) {
      const parsed = parseSegment(segment.text);
      const kind = parsed.ok ? parsed.document.get('kind') : undefined;
      if (typeof kind !== 'string') continue;
      // Documents are joined by our own `---` lines: drop the source's marker and end.
      const body = segment.text
        .replace(/^(?:[ \t]*(?:#.*)?\r?\n)*---[ \t]*\r?\n/, '')
        .replace(/\r?\n?$/, '\n');
      documents.push({ file, body });
    }
  }
  return documents;
}

/**
 * A file of `count` documents cycling through the corpus's objects. Each copy starts with a
 * comment naming its source and copy number, so that no two documents have the same text
 * (identical documents would be parsed once and flatter an analysis cached by text).
 */
export function generatedMultiDocument(count) {
  const documents = realisticDocuments();
  const parts = [];
  for (let i = 0; i < count; i++) {
    const document = documents[i % documents.length];
    parts.push(`---\n# ${document.file} copy ${i}\n${document.body}`);
  }
  return parts.join('');
}

/**
 * One document of about 2 MB: a ConfigMap holding a dashboard's JSON in a block scalar, the way
 * kube-prometheus ships Grafana dashboards (synthetic: the corpus's largest non-CRD document is
 * 36 KB). A file of one large document is analysed in one step.
 */
export function singleDocumentConfigMap() {
  const panels = Array.from({ length: 9000 }, (_, i) => ({
    id: i,
    title: `Panel ${i}`,
    targets: [{ expr: `rate(http_requests_total{job="api",code="${i}"}[5m])` }],
  }));
  const json = JSON.stringify({ panels }, null, 2);
  const indented = json
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dashboards\ndata:\n  api.json: |\n${indented}\n`;
}
