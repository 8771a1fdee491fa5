/**
 * Whether readable secrets in a file are exposed through git, shared by the rules that warn
 * about plaintext in a repository (`plaintext-in-repo`, `encryption-key-in-repo`).
 *
 * The git status comes from the adapter (repo.ts reads `.git` and the ignore files, never runs
 * git); this module only turns it into the wording and the "Add this file to .gitignore" fix.
 */
import { gitignoreLineFor } from './repo';
import type { FileContext } from './rules/types';
import type { Fix } from './types';

/** How a file that holds readable secrets is exposed. */
export interface GitExposure {
  /** Completes "this file ...": why anyone with read access can read it. */
  where: string;
  /** "Add this file to .gitignore", when that would keep the file out of commits. */
  fixes: Fix[];
}

/**
 * The exposure of a file, or undefined when it is not exposed: git would not commit it (it is
 * ignored, outside a work tree, or its status is unknown), unless the
 * `secretGuard.plaintextInRepo.scope` setting is `always`.
 */
export function gitExposureOf(file: FileContext): GitExposure | undefined {
  const git = file.git;
  const inScope =
    file.settings.plaintextInRepo.scope === 'always' ||
    git?.state === 'tracked' ||
    git?.state === 'untracked';
  if (!inScope) return undefined;
  const where =
    git?.state === 'tracked'
      ? 'is tracked by git: adding it to .gitignore is not enough, remove it from the index and rotate the values'
      : git?.state === 'untracked'
        ? 'is not ignored by git'
        : 'is not encrypted';
  const fixes: Fix[] = [];
  // Ignoring a tracked file changes nothing, so the fix is offered for untracked files only.
  if (git?.state === 'untracked' && file.path !== undefined) {
    fixes.push({
      title: 'Add this file to .gitignore',
      edits: [],
      otherFileEdits: [
        {
          path: `${git.workTree}/.gitignore`,
          appendLine: gitignoreLineFor(file.path, git.workTree),
        },
      ],
    });
  }
  return { where, fixes };
}
