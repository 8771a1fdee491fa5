// Temporary trees of corpus files for the throughput and memory targets: hard links (copies
// where linking fails) under the system's temp folder, outside any git work tree.
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CORPUS_DIR, corpusFiles } from './corpus.mjs';

/** The corpus's manifest files outside large/ (what the CLI would check in it). */
export function corpusManifests() {
  return corpusFiles().filter((file) => /\.(?:ya?ml|json)$/i.test(file));
}

/**
 * A folder holding `copies` copies of the corpus (`c000/…`, `c001/…`), at most `maxFiles`
 * files in all. Returns its path, the copy folders, and a function that removes it.
 */
export function repeatedCorpus(copies, maxFiles = Infinity) {
  const root = mkdtempSync(join(tmpdir(), 'secret-guard-bench-'));
  const files = corpusManifests();
  const folders = [];
  let written = 0;
  for (let copy = 0; copy < copies && written < maxFiles; copy++) {
    const folder = join(root, `c${String(copy).padStart(3, '0')}`);
    folders.push(folder);
    for (const file of files) {
      if (written >= maxFiles) break;
      const target = join(folder, file);
      mkdirSync(dirname(target), { recursive: true });
      try {
        linkSync(join(CORPUS_DIR, file), target);
      } catch {
        copyFileSync(join(CORPUS_DIR, file), target);
      }
      written++;
    }
  }
  return {
    root,
    folders,
    files: written,
    filesPerCopy: files.length,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
