/**
 * File permission bits in pod specs (`defaultMode`, `items[].mode`) as Kubernetes reads them,
 * where they sit in secret volumes, and how to show them (`0620`, `rw--w----`).
 *
 * kubectl reads YAML with go-yaml v2 (through sigs.k8s.io/yaml), which resolves a plain
 * scalar made of digits with Go's `strconv.ParseInt(s, 0, 64)` after dropping `_`: `0400` is
 * octal (256), `400` is decimal (400 = 0o620), `0x1a4` is hex, and since Go 1.13 `0o400` is
 * octal too. The `yaml` package's 1.1 schema agrees on all of these except `0o400`, which it
 * keeps a string; {@link modeOf} adds that case. JSON manifests have decimal numbers only.
 */
import { objectsOf, podSpecOf } from './model';
import type { ParsedDocument } from './parse';
import { isMap, isScalar, itemsOf, stringAt, valueAt } from './yaml-nodes';
import type { Scalar, YAMLMap } from './yaml-nodes';

/** The largest mode the API server accepts (validation: "must be between 0 and 0777"). */
export const MAX_MODE = 0o777;

/** The mode a scalar stands for when Kubernetes reads it, or undefined for no integer. */
export function modeOf(node: unknown): number | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'number') {
    return Number.isSafeInteger(node.value) ? node.value : undefined;
  }
  if (typeof node.value === 'string' && node.type === 'PLAIN') {
    const match = /^([-+]?)0[oO]([0-7_]+)$/.exec(node.value);
    if (match) {
      const digits = (match[2] ?? '').replace(/_/g, '');
      if (digits === '') return undefined;
      const value = parseInt(digits, 8);
      return match[1] === '-' ? -value : value;
    }
  }
  return undefined;
}

/** `0620`: a mode in octal with a leading zero (at least four digits). */
export function octalOf(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

/** `rw--w----`: the permission bits of a mode as `ls -l` shows them. */
export function rwxOf(mode: number): string {
  const letters = 'rwx';
  let text = '';
  for (let bit = 8; bit >= 0; bit--) {
    text += (mode >> bit) & 1 ? letters[(8 - bit) % 3] : '-';
  }
  return text;
}

/** Where a mode sits in a pod spec's volumes. */
export type ModeField = 'defaultMode' | 'mode';

/** A `defaultMode` or `items[].mode` that applies to files of a Secret. */
export interface SecretVolumeMode {
  field: ModeField;
  /** The scalar as written (its value may be a number or a `0o` string). */
  node: Scalar;
  /** The volume's name, for messages. */
  volume: string | undefined;
}

/**
 * Every mode that sets the permissions of a Secret's files in a pod spec:
 * `volumes[].secret.defaultMode`, `volumes[].secret.items[].mode`,
 * `volumes[].projected.sources[].secret.items[].mode`, and `volumes[].projected.defaultMode`
 * when at least one of the projected sources is a Secret (a projected volume of only
 * ConfigMaps, downward API and service account tokens is not a Secret's business).
 */
export function secretVolumeModesOf(podSpec: YAMLMap): SecretVolumeMode[] {
  const modes: SecretVolumeMode[] = [];
  const push = (field: ModeField, node: unknown, volume: string | undefined): void => {
    if (isScalar(node)) modes.push({ field, node, volume });
  };
  for (const volume of itemsOf(valueAt(podSpec, 'volumes'))) {
    if (!isMap(volume)) continue;
    const name = stringAt(volume, 'name');
    const secret = valueAt(volume, 'secret');
    if (isMap(secret)) {
      push('defaultMode', valueAt(secret, 'defaultMode'), name);
      for (const item of itemsOf(valueAt(secret, 'items'))) {
        push('mode', valueAt(item, 'mode'), name);
      }
    }
    const projected = valueAt(volume, 'projected');
    if (!isMap(projected)) continue;
    const secretSources = itemsOf(valueAt(projected, 'sources'))
      .map((source) => valueAt(source, 'secret'))
      .filter(isMap);
    if (secretSources.length === 0) continue;
    push('defaultMode', valueAt(projected, 'defaultMode'), name);
    for (const source of secretSources) {
      for (const item of itemsOf(valueAt(source, 'items'))) {
        push('mode', valueAt(item, 'mode'), name);
      }
    }
  }
  return modes;
}

/** A hover over a Secret file mode: offsets relative to the document's text. */
export interface ModeHover {
  markdown: string;
  start: number;
  end: number;
}

/**
 * The hover for a `defaultMode`/`mode` scalar of a secret volume at `offset` (relative to the
 * document's text): the mode in octal and `rwx` form, and how the written number was read.
 */
export function modeHoverAt(document: ParsedDocument, offset: number): ModeHover | undefined {
  if (!document.ok) return undefined;
  for (const object of objectsOf(document)) {
    const podSpec = podSpecOf(object);
    if (!podSpec) continue;
    for (const mode of secretVolumeModesOf(podSpec)) {
      const range = mode.node.range;
      if (!range || offset < range[0] || offset > range[1]) continue;
      const value = modeOf(mode.node);
      if (value === undefined) return undefined;
      const written = document.text.slice(range[0], range[1]).trim();
      const inRange = value >= 0 && value <= MAX_MODE;
      const shown = inRange
        ? `\`${octalOf(value)}\` (\`${rwxOf(value)}\`)`
        : `out of range (0 to 0777): the API server rejects it`;
      const reading =
        value < 0
          ? `Written \`${written}\`: the number ${value}.`
          : `Written \`${written}\`: the number ${value}, octal ${octalOf(value)}.`;
      return {
        markdown: `**${mode.field}**: ${shown}\n\n${reading}`,
        start: range[0],
        end: range[1],
      };
    }
  }
  return undefined;
}
