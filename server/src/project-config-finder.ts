/**
 * Finds the `.secret-guard.yaml` that applies to a file: the nearest one in the file's folder
 * or above it, not looking past the git work tree's root (a repository's configuration does
 * not reach into another one). Shared by the CLI and the language server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { PROJECT_CONFIG_FILE, parseProjectConfig } from './core/project-config';
import type { ProjectConfig, ProjectConfigError } from './core/project-config';

export type FoundProjectConfig =
  | { ok: true; path: string; config: ProjectConfig }
  | { ok: false; path: string; text: string; errors: ProjectConfigError[] };

export class ProjectConfigFinder {
  private readonly byFolder = new Map<string, FoundProjectConfig | undefined>();

  /**
   * @param openText the text of a configuration file open in an editor (unsaved edits count
   *   there), or undefined to read it from disk; the CLI passes nothing.
   */
  constructor(private readonly openText: (path: string) => string | undefined = () => undefined) {}

  /** The configuration for a file (absolute path), or undefined when there is none. */
  configFor(absoluteFile: string): FoundProjectConfig | undefined {
    return this.lookup(dirname(absoluteFile));
  }

  /** Whether the file is excluded by the `ignore` list of the configuration that applies. */
  isIgnored(absoluteFile: string): boolean {
    const found = this.configFor(absoluteFile);
    if (!found?.ok) return false;
    const path = relative(dirname(found.path), absoluteFile).split(sep).join('/');
    return found.config.isIgnored(path);
  }

  /** Forget what was read: a configuration file changed. */
  invalidate(): void {
    this.byFolder.clear();
  }

  private lookup(folder: string): FoundProjectConfig | undefined {
    if (this.byFolder.has(folder)) return this.byFolder.get(folder);
    const candidate = join(folder, PROJECT_CONFIG_FILE);
    let found: FoundProjectConfig | undefined;
    let text = this.openText(candidate);
    if (text === undefined) {
      try {
        text = readFileSync(candidate, 'utf8');
      } catch {
        text = undefined;
      }
    }
    if (text !== undefined) {
      const result = parseProjectConfig(text);
      found = result.ok
        ? { ok: true, path: candidate, config: result.config }
        : { ok: false, path: candidate, text, errors: result.errors };
    } else {
      const parent = dirname(folder);
      const atTop = parent === folder || existsSync(join(folder, '.git'));
      found = atTop ? undefined : this.lookup(parent);
    }
    this.byFolder.set(folder, found);
    return found;
  }
}
