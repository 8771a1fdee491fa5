/** Expanding the CLI's paths into the manifest files to check. */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A mistake in how the CLI was called: exit code 2 with a one-line reason. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const MANIFEST_FILE = /\.(?:ya?ml|json)$/i;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/**
 * Files named on the command line are taken whatever their extension; folders are walked for
 * manifests in a stable (sorted) order. Symbolic links inside folders are not followed, so a
 * link cannot lead the walk out of the tree or into a loop.
 */
export function collectFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new UsageError(`no such file or folder: ${path}`);
    }
    if (isDirectory) walk(path, files);
    else files.push(path);
  }
  return files;
}

function walk(folder: string, files: string[]): void {
  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(folder, name);
    let stats;
    try {
      stats = lstatSync(path);
    } catch {
      continue;
    }
    if (stats.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(name)) walk(path, files);
    } else if (stats.isFile() && MANIFEST_FILE.test(name)) {
      files.push(path);
    }
  }
}
