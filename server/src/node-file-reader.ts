/**
 * The file-system side of {@link FileReader}, kept out of `core/` so the analysis core stays
 * free of `node:fs` and can run against an in-memory tree in tests.
 */
import * as fs from 'node:fs';
import type { FileReader } from './core/repo';

/** A {@link FileReader} over the real file system (synchronous `node:fs`; never throws). */
export class NodeFileReader implements FileReader {
  /** Bytes of a regular file (following symlinks); undefined if missing, unreadable, not a file. */
  readFile(absPath: string): Uint8Array | undefined {
    try {
      // Checking first keeps us from blocking on a FIFO or reading a device.
      const stat = fs.statSync(absPath, { throwIfNoEntry: false });
      if (!stat?.isFile()) return undefined;
      return fs.readFileSync(absPath);
    } catch {
      // EACCES, ELOOP (symlink loops), a race with deletion: all mean "not readable".
      return undefined;
    }
  }

  /** 'file' or 'dir' (following symlinks), or undefined when nothing usable is there. */
  kind(absPath: string): 'file' | 'dir' | undefined {
    try {
      const stat = fs.statSync(absPath, { throwIfNoEntry: false });
      if (!stat) return undefined;
      if (stat.isDirectory()) return 'dir';
      return stat.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  }
}

/** A shared instance: the reader holds no state. */
export const nodeFileReader: FileReader = new NodeFileReader();
