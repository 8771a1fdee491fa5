/**
 * The Secrets of the workspace for cross-file rules and go-to-definition: a crawl of the
 * workspace folders at start, kept current from open documents (their text wins over the
 * disk) and from `workspace/didChangeWatchedFiles` events.
 *
 * The crawl is bounded so that a huge workspace cannot stall the server: at most
 * {@link CRAWL_LIMITS}.maxFiles manifest files (`*.yaml`, `*.yml`, `*.json`), each at most
 * `maxFileBytes` (a Secret is at most 1 MiB, so larger files are data, not Secrets); folders
 * named `.git` and `node_modules` and hidden folders (tool caches) are skipped; symbolic links are never followed (neither to
 * folders nor to files), so the crawl cannot leave the workspace or loop. Files are read
 * asynchronously, `batchSize` at a time, yielding to the event loop between batches so that
 * requests are answered while the crawl runs.
 */
import { promises as fs } from 'node:fs';
import { join, sep } from 'node:path';
import { FileChangeType } from 'vscode-languageserver/node';
import type { FileEvent } from 'vscode-languageserver/node';
import { SecretIndex } from '../core/secret-index';
import { MAX_INDEXED_FILE_BYTES } from '../node-workspace';
import { pathOfUri } from './uri';

export const CRAWL_LIMITS = {
  maxFiles: 10_000,
  maxFileBytes: MAX_INDEXED_FILE_BYTES,
  batchSize: 64,
};

const MANIFEST_FILE = /\.(?:ya?ml|json)$/i;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/** The glob to watch so that the index follows files changed outside the editor. */
export const MANIFEST_GLOB = '**/*.{yaml,yml,json}';

export class WorkspaceSecrets {
  readonly index = new SecretIndex();
  private readonly openPaths = new Set<string>();
  /** Paths changed by events or documents while the crawl runs: the crawl must not undo them. */
  private readonly settledDuringCrawl = new Set<string>();
  private crawling = false;

  /** @param onChange called when the index changed outside an open document's own edit. */
  constructor(private readonly onChange: () => void) {}

  /** Walks the roots and indexes what it finds; resolves when done (never rejects). */
  async crawl(roots: readonly string[]): Promise<void> {
    this.crawling = true;
    this.settledDuringCrawl.clear();
    const before = this.index.version;
    try {
      const files = await this.manifestFiles(roots);
      for (let i = 0; i < files.length; i += CRAWL_LIMITS.batchSize) {
        const batch = files.slice(i, i + CRAWL_LIMITS.batchSize);
        const texts = await Promise.all(batch.map((file) => readManifest(file)));
        batch.forEach((file, j) => {
          const text = texts[j];
          if (text === undefined || this.openPaths.has(file) || this.settledDuringCrawl.has(file))
            return;
          this.index.update(file, text);
        });
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.crawling = false;
      this.settledDuringCrawl.clear();
    }
    if (this.index.version !== before) this.onChange();
  }

  /** An open document's text is what the index holds for its file from now on. */
  documentChanged(uri: string, text: string): boolean {
    const path = pathOfUri(uri);
    if (path === undefined) return false;
    this.openPaths.add(path);
    if (this.crawling) this.settledDuringCrawl.add(path);
    return this.index.update(path, text);
  }

  /** A closed document falls back to its file on disk (unsaved edits are gone). */
  async documentClosed(uri: string): Promise<void> {
    const path = pathOfUri(uri);
    if (path === undefined || !this.openPaths.delete(path)) return;
    await this.refreshFromDisk([path]);
  }

  /** Applies file events; documents open in the editor keep their text. */
  async filesChanged(changes: readonly FileEvent[]): Promise<void> {
    const created: string[] = [];
    let changed = false;
    for (const change of changes) {
      const path = pathOfUri(change.uri);
      if (path === undefined || this.openPaths.has(path)) continue;
      if (this.crawling) this.settledDuringCrawl.add(path);
      if (change.type === FileChangeType.Deleted) {
        // A deleted folder is reported as one event: forget everything under it.
        for (const indexed of this.index.paths()) {
          if (indexed === path || indexed.startsWith(path + sep)) {
            changed = this.index.remove(indexed) || changed;
          }
        }
      } else if (MANIFEST_FILE.test(path)) {
        created.push(path);
      }
    }
    if (changed) this.onChange();
    if (created.length > 0) await this.refreshFromDisk(created);
  }

  private async refreshFromDisk(paths: readonly string[]): Promise<void> {
    let changed = false;
    for (const path of paths) {
      const text = await readManifest(path);
      if (this.openPaths.has(path)) continue; // opened while we read
      changed =
        (text === undefined ? this.index.remove(path) : this.index.update(path, text)) || changed;
    }
    if (changed) this.onChange();
  }

  /** Manifest files under the roots, breadth first, up to the file cap. */
  private async manifestFiles(roots: readonly string[]): Promise<string[]> {
    const files: string[] = [];
    const queue = [...roots];
    while (queue.length > 0 && files.length < CRAWL_LIMITS.maxFiles) {
      const folder = queue.shift();
      if (folder === undefined) break;
      let entries;
      try {
        entries = await fs.readdir(folder, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        // Dirent types come from lstat: a symbolic link is neither a file nor a folder here.
        if (entry.isDirectory()) {
          // Hidden folders hold tool caches and editor state, not manifests to deploy.
          if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) {
            queue.push(join(folder, entry.name));
          }
        } else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) {
          files.push(join(folder, entry.name));
          if (files.length >= CRAWL_LIMITS.maxFiles) break;
        }
      }
    }
    return files;
  }
}

/** A regular file's text, or undefined when missing, unreadable, a link, or over the cap. */
async function readManifest(path: string): Promise<string | undefined> {
  try {
    const stats = await fs.lstat(path);
    if (!stats.isFile() || stats.size > CRAWL_LIMITS.maxFileBytes) return undefined;
    return await fs.readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
