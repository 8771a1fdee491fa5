import { gitExposureOf } from '../git-exposure';
import { isSecret, secretValuesOf } from '../model';
import { isPlaceholder } from '../placeholders';
import { resolveSecretValue } from '../secret-values';
import { valueAt } from '../yaml-nodes';
import type { FileContext, Rule } from './types';

/** A manifest extension, as the CLI and the editor pick files. */
const EXTENSION = '(?:ya?ml|json)';

/** File names that tools give the plaintext copy of a SOPS file, and who writes them. */
const WORKING_COPY_NAMES: readonly [RegExp, string][] = [
  // signageos' VS Code SOPS extension and sops.nvim: `.decrypted~secrets.yaml` beside the file.
  [/^\.decrypted~./, ".decrypted~<name>, the VS Code SOPS extension's working copy"],
  [new RegExp(`.\\.dec\\.${EXTENSION}$`, 'i'), '*.dec.yaml, a decrypted copy'],
  // helm-secrets writes `secrets.yaml.dec` (its default HELM_SECRETS_DEC_SUFFIX).
  [new RegExp(`.\\.${EXTENSION}\\.dec$`, 'i'), "*.yaml.dec, helm-secrets' decrypted copy"],
  [new RegExp(`.\\.decrypted\\.${EXTENSION}$`, 'i'), '*.decrypted.yaml, a decrypted copy'],
];

/** `name.tmp.yaml` is a working copy only beside `name.yaml` (or `.yml`, `.json`). */
const TEMPORARY_NAME = new RegExp(`^(.+)\\.tmp\\.(${EXTENSION})$`, 'i');
const SIBLING_EXTENSIONS = ['yaml', 'yml', 'json'];

/**
 * A decrypted working copy of a SOPS file left where git can pick it up: the file's name says
 * it is one (`.decrypted~*`, `*.dec.yaml`/`.yml`/`.json`, helm-secrets' `*.yaml.dec`,
 * `*.decrypted.yaml`, or `*.tmp.yaml` beside a file of the same base name), it holds a Secret
 * with at least one real (non-placeholder) value in `data` or `stringData`, it is not itself
 * SOPS-encrypted, and git would commit it (tracked, or untracked and not ignored; read from
 * `.git` and the ignore files, never by running git). Whether the `*.tmp.yaml` sibling is
 * SOPS-encrypted is not checked: either way the temporary file is a plaintext copy.
 *
 * One finding per such Secret, on its `kind` value. Fix: "Add this file to .gitignore" (for an
 * untracked file; a tracked one must leave the index and its values be rotated).
 */
export const rule: Rule = {
  id: 'decrypted-leftover',
  severity: 'warning',
  summary: "A SOPS file's decrypted working copy holds Secret values and git would commit it.",
  check({ document, objects, file, report }) {
    if (file.sopsEncrypted || file.path === undefined) return;
    if (file.git?.state !== 'tracked' && file.git?.state !== 'untracked') return;
    const copy = workingCopyKind(file);
    if (copy === undefined) return;
    const exposure = gitExposureOf(file);
    if (!exposure) return;
    for (const secret of objects.filter(isSecret)) {
      const real = secretValuesOf(secret).filter((entry) => {
        const resolved = resolveSecretValue(entry, document.text);
        if (resolved.state === 'bytes') return !isPlaceholder(resolved.bytes.toString('utf8'));
        if (resolved.state === 'invalid-base64') return !isPlaceholder(resolved.scalar.value);
        return false;
      });
      const kind = valueAt(secret.root, 'kind');
      const range = kind?.range;
      if (real.length === 0 || !range) continue;
      const count = real.length === 1 ? '1 readable value' : `${real.length} readable values`;
      report({
        start: range[0],
        end: range[1],
        message: `This file is named like a decrypted working copy (${copy}) and Secret ${secret.name ?? '(unnamed)'} in it holds ${count}; the file ${exposure.where}: delete it or keep it out of the repository`,
        fixes: [...exposure.fixes],
      });
    }
  },
};

/** How the file's name marks it as a working copy, or undefined when it does not. */
function workingCopyKind(file: FileContext): string | undefined {
  const name = /[^/\\]*$/.exec(file.path ?? '')?.[0] ?? '';
  for (const [pattern, kind] of WORKING_COPY_NAMES) {
    if (pattern.test(name)) return kind;
  }
  const temporary = TEMPORARY_NAME.exec(name);
  const base = temporary?.[1];
  if (base === undefined || !file.siblingExists) return undefined;
  const sibling = SIBLING_EXTENSIONS.map((extension) => `${base}.${extension}`).find((candidate) =>
    file.siblingExists?.(candidate),
  );
  return sibling === undefined ? undefined : `*.tmp.yaml beside ${sibling}`;
}
