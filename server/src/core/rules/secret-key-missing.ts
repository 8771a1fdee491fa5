import { contentRange, scalarText } from '../fixes/yaml-edit';
import { podSpecOf } from '../model';
import { isTemplated } from '../placeholders';
import { secretUsesOf } from '../references';
import type { Fix } from '../types';
import type { Rule } from './types';

/** Suggestions further than this many edits away are guesses, not typos. */
const MAX_DISTANCE = 2;

/**
 * A key reference that cannot resolve: `env[].valueFrom.secretKeyRef.key`, or an `items[].key`
 * of a `secret` volume or of a projected volume's `secret` source, names a key that the Secret
 * lacks. Kubernetes then refuses to start the container (CreateContainerConfigError: "couldn't
 * find key ... in Secret") or to mount the volume.
 *
 * Only Secrets defined in the workspace count (the index the adapter passes, plus the file
 * being checked; see secret-index.ts for what a definition is and how namespaces match): a
 * Secret created elsewhere (by a controller, a generator, by hand) is unknown, so nothing is
 * flagged. When several Secrets have that name (overlays, environments), the key must be
 * missing from all of them; a Secret whose `data`/`stringData` is templated has every key.
 * References marked `optional: true` are skipped (Kubernetes tolerates the missing key), as
 * are templated names and keys.
 *
 * The message suggests the closest key (optimal string alignment distance of at most 2, or one
 * being a prefix of the other) and the fix writes it in place of the missing one.
 */
export const rule: Rule = {
  id: 'secret-key-missing',
  severity: 'warning',
  summary: 'A secretKeyRef or secret volume item names a key that the Secret does not define.',
  check({ document, objects, file, report }) {
    const secrets = file.secrets;
    if (!secrets) return;
    for (const object of objects) {
      const podSpec = podSpecOf(object);
      if (!podSpec) continue;
      for (const use of secretUsesOf(podSpec)) {
        const name = use.name;
        if (name === undefined || use.optional || isTemplated(name)) continue;
        for (const { key, node } of use.keys) {
          if (isTemplated(key)) continue;
          const defined = secrets.lookup(name, object.namespace);
          if (defined.length === 0) continue;
          if (defined.some((secret) => secret.openKeys || secret.keys.some((k) => k.key === key)))
            continue;
          const known = [...new Set(defined.flatMap((secret) => secret.keys.map((k) => k.key)))];
          const closest = closestKey(key, known);
          const [start, end] = contentRange(document.text, node);
          // Independent of how many Secrets have that name: the CLI (checking some folders)
          // and the editor (the whole workspace) must word it alike.
          const whose = `Secret ${JSON.stringify(name)} has no key ${JSON.stringify(key)}`;
          const hint = closest === undefined ? '' : `; did you mean ${JSON.stringify(closest)}?`;
          const fixes: Fix[] = [];
          if (closest !== undefined) {
            fixes.push({
              title: `Replace with '${closest}'`,
              edits: [{ start, end, newText: replacementText(document.text, start, end, closest) }],
              isPreferred: true,
            });
          }
          report({
            start,
            end,
            message: `${whose}: ${use.kind === 'secretKeyRef' ? 'the container cannot start' : 'the volume cannot be mounted'}${hint}`,
            fixes,
          });
        }
      }
    }
  },
};

/** The new key in the quoting of the old one (JSON stays JSON). */
function replacementText(source: string, start: number, end: number, key: string): string {
  const old = source.slice(start, end);
  if (old.startsWith('"')) return scalarText(key, 'json');
  if (old.startsWith("'")) return `'${key.replace(/'/g, "''")}'`;
  return scalarText(key, 'flow');
}

/**
 * The defined key closest to `wanted`: the smallest optimal-string-alignment distance (a
 * transposition counts as one edit) if at most {@link MAX_DISTANCE} and less than the longer
 * length, or else a key that extends `wanted` or that `wanted` extends; ties go to the
 * alphabetically first key, so the suggestion is stable.
 */
export function closestKey(wanted: string, keys: readonly string[]): string | undefined {
  let best: { key: string; score: number } | undefined;
  for (const key of [...keys].sort()) {
    const distance = osaDistance(wanted, key);
    let score: number | undefined;
    if (distance <= MAX_DISTANCE && distance < Math.max(wanted.length, key.length)) {
      score = distance;
    } else if (
      key.length > 0 &&
      wanted.length > 0 &&
      (key.startsWith(wanted) || wanted.startsWith(key))
    ) {
      score = MAX_DISTANCE + Math.abs(key.length - wanted.length);
    }
    if (score !== undefined && (!best || score < best.score)) best = { key, score };
  }
  return best?.key;
}

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
export function osaDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const d: number[] = new Array<number>(rows * columns).fill(0);
  const at = (i: number, j: number): number => d[i * columns + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * columns] = i;
  for (let j = 0; j < columns; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      d[i * columns + j] = value;
    }
  }
  return at(a.length, b.length);
}
