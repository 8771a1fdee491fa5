import { MAX_MODE, modeOf, octalOf, rwxOf, secretVolumeModesOf } from '../file-mode';
import type { SecretVolumeMode } from '../file-mode';
import { contentRange } from '../fixes/yaml-edit';
import { podSpecOf } from '../model';
import type { Fix } from '../types';
import type { Rule } from './types';

/** Group write, other read, other write: the bits a Secret's files should never carry. */
const EXPOSING_BITS = 0o026;

const GRANTS: readonly [number, string][] = [
  [0o020, 'group write'],
  [0o004, 'other read'],
  [0o002, 'other write'],
];

/**
 * The permission bits of files mounted from a Secret: `volumes[].secret.defaultMode`,
 * `volumes[].secret.items[].mode`, `volumes[].projected.sources[].secret.items[].mode`, and
 * `volumes[].projected.defaultMode` when a projected source is a Secret (see
 * {@link secretVolumeModesOf}). Fires when `mode & 0o026` is not 0 (group write, other read or
 * other write), and when the mode is outside 0..0777, which the API server rejects.
 *
 * Numbers are read as Kubernetes reads them (YAML 1.1 through go-yaml v2, see file-mode.ts):
 * `0400` is octal, `400` is decimal 400 = 0o620 (rw--w----), the classic `defaultMode: 400`
 * trap. An unset `defaultMode` (Kubernetes' default is 0644) is not flagged: the rule checks
 * what the manifest says. The message shows the mode in octal and `rwx` form.
 */
export const rule: Rule = {
  id: 'secret-volume-mode',
  severity: 'warning',
  summary: "A secret volume's file mode lets the group write or others read or write.",
  check({ document, objects, report }) {
    let json: boolean | undefined;
    for (const object of objects) {
      const podSpec = podSpecOf(object);
      if (!podSpec) continue;
      for (const mode of secretVolumeModesOf(podSpec)) {
        const value = modeOf(mode.node);
        if (value === undefined) continue;
        const inRange = value >= 0 && value <= MAX_MODE;
        if (inRange && (value & EXPOSING_BITS) === 0) continue;
        const [start, end] = contentRange(document.text, mode.node);
        // A JSON manifest is one flow collection; YAML (flow parts included) takes octal.
        json ??= /^\s*[[{]/.test(document.text);
        report({
          start,
          end,
          message: messageFor(mode, document.text.slice(start, end), value, inRange),
          fixes: fixesFor(start, end, json),
        });
      }
    }
  },
};

function messageFor(
  mode: SecretVolumeMode,
  written: string,
  value: number,
  inRange: boolean,
): string {
  if (!inRange) {
    const shown = value < 0 ? 'negative' : `${octalOf(value)}, over 0777`;
    return `${mode.field} ${written} is ${shown}: the API server rejects it`;
  }
  const grants = GRANTS.filter(([bit]) => (value & bit) !== 0).map(([, label]) => label);
  return `${mode.field} ${written} is ${octalOf(value)} (${rwxOf(value)}): it grants ${grants.join(', ')} on the Secret's files`;
}

/** Octal under YAML 1.1 as Kubernetes reads it; JSON has decimal numbers only. */
function fixesFor(start: number, end: number, json: boolean): Fix[] {
  return [
    [0o400, '0400'],
    [0o440, '0440'],
  ].map(([value, octal]) => ({
    title: `Set ${octal}`,
    edits: [{ start, end, newText: json ? String(value) : String(octal) }],
  }));
}
