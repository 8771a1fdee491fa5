/**
 * The file-system side of the core's cross-file inputs (sibling files, the Secret index), kept
 * out of `core/` so that the core stays free of `node:fs`. Shared by the CLI and the server.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SecretIndex } from './core/secret-index';

/** Files larger than this are not indexed (a Secret manifest is far smaller; 1 MiB max). */
export const MAX_INDEXED_FILE_BYTES = 5 * 1024 * 1024;

/** `siblingExists` for the file at `path`: whether a plain name exists in its folder. */
export function siblingExistsBeside(path: string): (name: string) => boolean {
  const folder = dirname(path);
  return (name) => {
    // Only a plain name: never let a rule probe another folder.
    if (name === '' || basename(name) !== name || name === '.' || name === '..') return false;
    try {
      return existsSync(join(folder, name));
    } catch {
      return false;
    }
  };
}

/**
 * An index of the Secrets in `files` (read synchronously; unreadable and oversized files are
 * skipped: the analysis pass reports the unreadable ones). Paths are made absolute.
 *
 * With `keptTexts`, the texts read are kept there too, up to `keptChars` characters in all, so
 * that the pass that analyses the same files next need not read them again (the budget keeps
 * a run over 100,000 files from holding them all).
 */
export function indexSecretsOfFiles(
  files: readonly string[],
  keptTexts?: Map<string, string>,
  keptChars = 0,
): SecretIndex {
  const index = new SecretIndex();
  let kept = 0;
  for (const file of files) {
    const absolute = resolve(file);
    try {
      if (statSync(absolute).size > MAX_INDEXED_FILE_BYTES) continue;
      const text = readFileSync(absolute, 'utf8');
      index.update(absolute, text);
      if (keptTexts && kept + text.length <= keptChars) {
        keptTexts.set(absolute, text);
        kept += text.length;
      }
    } catch {
      // Reported when the file is analysed.
    }
  }
  return index;
}
