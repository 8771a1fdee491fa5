/**
 * The Secrets of the workspace for cross-file rules and go-to-definition: a crawl of the
 * workspace folders at start, kept current from open documents (their text wins over the
 * disk) and from `workspace/didChangeWatchedFiles` events.
 *
 * The crawl is bounded so that a huge workspace cannot stall the server: at most
 * {@link CRAWL_LIMITS}.maxFiles manifest files (`*.yaml`, `*.yml`, `*.json`), each at most
 * `maxFileBytes` (a Secret is at most 1 MiB, so larger files are data, not Secrets), at most
 * `maxTotalBytes` in all and `maxFolders` folders listed; folders
 * named `.git` and `node_modules` and hidden folders (tool caches) are skipped; symbolic links are never followed (neither to
 * folders nor to files), so the crawl cannot leave the workspace or loop. Files are read
 * asynchronously, `batchSize` at a time, yielding to the event loop between batches so that
 * requests are answered while the crawl runs.
 */
import { constants, promises as fs } from 'node:fs';
import { join, sep } from 'node:path';
import { FileChangeType } from 'vscode-languageserver/node';
import type { FileEvent } from 'vscode-languageserver/node';
import { SecretIndex } from '../core/secret-index';
import { MAX_INDEXED_FILE_BYTES } from '../node-workspace';
import { isTrusted } from './trust';
import { pathOfUri } from './uri';

export interface CrawlLimits {
  /** Manifest files indexed. */
  maxFiles: number;
  /** Size of one file (a Secret is at most 1 MiB: larger files are data, not Secrets). */
  maxFileBytes: number;
  /** Characters read in all: the crawl stops there, whatever is left. */
  maxTotalBytes: number;
  /** Folders listed: a tree of a million empty folders ends the crawl too. */
  maxFolders: number;
  /** Files read at once, between two turns of the event loop. */
  batchSize: number;
}

export const CRAWL_LIMITS: CrawlLimits = {
  maxFiles: 10_000,
  maxFileBytes: MAX_INDEXED_FILE_BYTES,
  maxTotalBytes: 64 * 1024 * 1024,
  maxFolders: 20_000,
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

  /**
   * @param onChange called when the index changed outside an open document's own edit.
   * @param limits what the crawl reads at most (tests pass smaller ones).
   */
  constructor(
    private readonly onChange: () => void,
    private readonly limits: CrawlLimits = CRAWL_LIMITS,
  ) {}

  /** Walks the roots and indexes what it finds; resolves when done (never rejects). */
  async crawl(roots: readonly string[]): Promise<void> {
    if (!isTrusted()) return; // Restricted Mode: the open documents only (trust.ts)
    this.crawling = true;
    this.settledDuringCrawl.clear();
    const before = this.index.version;
    try {
      const files = await this.manifestFiles(roots);
      let bytes = 0;
      for (let i = 0; i < files.length && bytes <= this.limits.maxTotalBytes;) {
        const batch = files.slice(i, i + this.limits.batchSize);
        i += batch.length;
        const texts = await Promise.all(
          batch.map((file) => readManifest(file, this.limits.maxFileBytes)),
        );
        batch.forEach((file, j) => {
          const text = texts[j];
          if (text === undefined || bytes > this.limits.maxTotalBytes) return;
          bytes += text.length;
          if (this.openPaths.has(file) || this.settledDuringCrawl.has(file)) return;
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
      // Restricted Mode (trust.ts): a closed or changed file is forgotten, not read.
      const text = isTrusted() ? await readManifest(path, this.limits.maxFileBytes) : undefined;
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
    let folders = 0;
    while (queue.length > 0 && files.length < this.limits.maxFiles) {
      const folder = queue.shift();
      if (folder === undefined || ++folders > this.limits.maxFolders) break;
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
          if (files.length >= this.limits.maxFiles) break;
        }
      }
    }
    return files;
  }
}

/**
 * A regular file's text, or undefined when missing, unreadable, a link, or over the cap. The
 * file is opened without following a link (O_NOFOLLOW, where the system has it) and checked on
 * the open handle, so a file swapped for a link after the folder was listed is not followed.
 */
async function readManifest(path: string, maxBytes: number): Promise<string | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > maxBytes) return undefined;
    return await handle.readFile('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
