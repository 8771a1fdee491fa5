import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { GitInspector, gitignoreLineFor } from '../../server/src/core/repo';
import type { FileReader, GitStatus } from '../../server/src/core/repo';
import { NodeFileReader } from '../../server/src/node-file-reader';

// ---- helpers: real temporary trees and hand-made git directories -----------------------------

type Tree = Record<string, string | Uint8Array>;

/** Creates a fresh directory holding `files` (paths use '/'), removed when the test ends. */
function makeTree(t: TestContext, files: Tree = {}): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'repo-test-')));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  writeFiles(root, files);
  return root;
}

function writeFiles(root: string, files: Tree): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** The minimum git accepts as a repository: HEAD, objects/ and refs/. */
function makeGitDir(gitDir: string, options: { head?: string } = {}): void {
  fs.mkdirSync(path.join(gitDir, 'objects'), { recursive: true });
  fs.mkdirSync(path.join(gitDir, 'refs', 'heads'), { recursive: true });
  if (options.head !== '') {
    fs.writeFileSync(path.join(gitDir, 'HEAD'), options.head ?? 'ref: refs/heads/main\n');
  }
}

interface IndexEntry {
  path: string;
  /** Extended flags (v3+): 0x4000 skip-worktree, 0x2000 intent-to-add. */
  extendedFlags?: number;
}

/** git's varint (varint.c encode_varint): each continuation byte stands for one more. */
function encodeVarint(value: number): Buffer {
  const bytes = [value & 127];
  let rest = value >>> 7;
  while (rest > 0) {
    rest--;
    bytes.unshift(128 | (rest & 127));
    rest >>>= 7;
  }
  return Buffer.from(bytes);
}

/**
 * An index file as git writes it (read-cache.c do_write_index), SHA-1 flavour: header, entries
 * sorted by name bytes (padded to 8 bytes in v2/v3, prefix-compressed in v4), SHA-1 trailer.
 */
function serializeIndex(version: 2 | 3 | 4, entries: readonly IndexEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) =>
    Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)),
  );
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(version, 4);
  header.writeUInt32BE(sorted.length, 8);
  const parts: Buffer[] = [header];
  let previous = Buffer.alloc(0);
  for (const entry of sorted) {
    const name = Buffer.from(entry.path, 'utf8');
    const extended = entry.extendedFlags !== undefined;
    const fixed = Buffer.alloc(extended ? 64 : 62);
    fixed.writeUInt32BE(0o100644, 24); // mode; the stat fields may stay zero
    createHash('sha1').update(name).digest().copy(fixed, 40); // any object id will do
    fixed.writeUInt16BE((extended ? 0x4000 : 0) | Math.min(name.length, 0xfff), 60);
    if (extended) fixed.writeUInt16BE(entry.extendedFlags ?? 0, 62);
    parts.push(fixed);
    if (version === 4) {
      let common = 0;
      while (
        common < previous.length &&
        common < name.length &&
        previous[common] === name[common]
      ) {
        common++;
      }
      parts.push(encodeVarint(previous.length - common), name.subarray(common), Buffer.from([0]));
    } else {
      const size = (fixed.length + name.length + 8) & ~7;
      parts.push(name, Buffer.alloc(size - fixed.length - name.length));
    }
    previous = name;
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}

/** A work tree at `root` with a `.git` directory and optionally an index. */
function makeRepo(
  root: string,
  tracked?: readonly (string | IndexEntry)[],
  version: 2 | 3 | 4 = 2,
): string {
  const gitDir = path.join(root, '.git');
  makeGitDir(gitDir);
  if (tracked) {
    const entries = tracked.map((e) => (typeof e === 'string' ? { path: e } : e));
    fs.writeFileSync(path.join(gitDir, 'index'), serializeIndex(version, entries));
  }
  return gitDir;
}

/** Asserts the state and work tree of each file (relative to `root`). */
function assertStates(
  inspector: GitInspector,
  root: string,
  expected: Record<string, GitStatus['state']>,
  workTree = root,
): void {
  for (const [rel, state] of Object.entries(expected)) {
    const want: GitStatus = state === 'outside' ? { state } : { state, workTree };
    assert.deepEqual(inspector.statusOf(path.join(root, rel)), want, rel);
  }
}

const inspector = (): GitInspector => new GitInspector(new NodeFileReader());

// ---- discovery ---------------------------------------------------------------------------

test('a file outside any git work tree is outside', (t) => {
  const root = makeTree(t, { 'secret.yaml': 'x', 'a/b/secret.yaml': 'x' });
  assertStates(inspector(), root, { 'secret.yaml': 'outside', 'a/b/secret.yaml': 'outside' });
});

test('an untracked, unignored file in a work tree is untracked, from any depth', (t) => {
  const root = makeTree(t, { 'secret.yaml': 'x', 'deploy/prod/secret.yaml': 'x' });
  makeRepo(root);
  assertStates(inspector(), root, {
    'secret.yaml': 'untracked',
    'deploy/prod/secret.yaml': 'untracked',
  });
});

test('a .git directory without a valid HEAD (or objects/refs) is not a repository', (t) => {
  const root = makeTree(t, {
    'nohead/s.yaml': 'x',
    'badhead/s.yaml': 'x',
    'noobjects/s.yaml': 'x',
  });
  makeGitDir(path.join(root, 'nohead', '.git'), { head: '' });
  makeGitDir(path.join(root, 'badhead', '.git'), { head: 'not a ref\n' });
  fs.mkdirSync(path.join(root, 'noobjects', '.git', 'refs'), { recursive: true });
  fs.writeFileSync(path.join(root, 'noobjects', '.git', 'HEAD'), 'ref: refs/heads/main\n');
  assertStates(inspector(), root, {
    'nohead/s.yaml': 'outside',
    'badhead/s.yaml': 'outside',
    'noobjects/s.yaml': 'outside',
  });
  // A detached HEAD (an object id) is valid.
  makeGitDir(path.join(root, 'badhead', '.git'), { head: 'a'.repeat(40) + '\n' });
  assertStates(inspector(), path.join(root, 'badhead'), { 's.yaml': 'untracked' });
});

test('files inside .git itself are outside', (t) => {
  const root = makeTree(t, { 'a.yaml': 'x' });
  const gitDir = makeRepo(root);
  writeFiles(gitDir, { 'info/secret.yaml': 'x', 'modules/sub/config.yaml': 'x' });
  assertStates(inspector(), root, {
    '.git/HEAD': 'outside',
    '.git/info/secret.yaml': 'outside',
    '.git/modules/sub/config.yaml': 'outside',
    'a.yaml': 'untracked',
  });
});

test('a nested repository wins over the outer one', (t) => {
  const root = makeTree(t, {
    '.gitignore': '*.yaml\n',
    'outer.yaml': 'x',
    'inner/file.yaml': 'x',
    'inner/deep/tracked.yaml': 'x',
    // Not a repository (no HEAD): its files stay in the outer work tree.
    'fake/file.yaml': 'x',
  });
  makeRepo(root);
  makeRepo(path.join(root, 'inner'), ['deep/tracked.yaml']);
  makeGitDir(path.join(root, 'fake', '.git'), { head: '' });
  const gi = inspector();
  assertStates(gi, root, { 'outer.yaml': 'ignored', 'fake/file.yaml': 'ignored' });
  // The outer .gitignore does not reach into the inner repository.
  assertStates(gi, path.join(root, 'inner'), {
    'file.yaml': 'untracked',
    'deep/tracked.yaml': 'tracked',
  });
});

test('a linked worktree: .git file with a relative gitdir, commondir, per-worktree index', (t) => {
  const root = makeTree(t, {
    'main/a.yaml': 'x',
    'wt/tracked.yaml': 'x',
    'wt/main-only.yaml': 'x',
    'wt/excluded.yaml': 'x',
    'wt/sub/excluded.yaml': 'x',
  });
  const mainGit = makeRepo(path.join(root, 'main'), ['main-only.yaml']);
  writeFiles(mainGit, { 'info/exclude': '# from the common dir\nexcluded.yaml\n' });
  const wtGit = path.join(mainGit, 'worktrees', 'wt');
  writeFiles(wtGit, {
    HEAD: 'ref: refs/heads/wt\n',
    commondir: '../..\n',
    index: serializeIndex(2, [{ path: 'tracked.yaml' }]),
    // git reads info/exclude from the common dir only: this one must have no effect.
    'info/exclude': 'main-only.yaml\n',
  });
  writeFiles(root, { 'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n' });
  assertStates(
    inspector(),
    path.join(root, 'wt'),
    {
      'tracked.yaml': 'tracked',
      'main-only.yaml': 'untracked',
      'excluded.yaml': 'ignored',
      'sub/excluded.yaml': 'ignored',
    },
    path.join(root, 'wt'),
  );
});

test('a submodule-style .git file without commondir uses its own git dir for everything', (t) => {
  const root = makeTree(t, { 'sub/s.yaml': 'x', 'sub/x.yaml': 'x', 'sub/y.yaml': 'x' });
  makeRepo(root);
  const modGit = path.join(root, '.git', 'modules', 'sub');
  makeGitDir(modGit);
  writeFiles(modGit, {
    index: serializeIndex(2, [{ path: 's.yaml' }]),
    'info/exclude': 'x.yaml\n',
  });
  writeFiles(root, { 'sub/.git': `gitdir: ${modGit}\r\n` }); // absolute, CRLF-terminated
  assertStates(
    inspector(),
    path.join(root, 'sub'),
    { 's.yaml': 'tracked', 'x.yaml': 'ignored', 'y.yaml': 'untracked' },
    path.join(root, 'sub'),
  );
});

test('a malformed .git file is skipped and the enclosing repository applies', (t) => {
  const root = makeTree(t, { 'weird/.git': 'this is not a gitfile\n', 'weird/s.yaml': 'x' });
  makeRepo(root);
  assertStates(inspector(), root, { 'weird/s.yaml': 'untracked' });
});

// ---- ignore rules --------------------------------------------------------------------------

test('ignored by the root .gitignore', (t) => {
  const root = makeTree(t, {
    '.gitignore': 'secret.yaml\n*.dec.yaml\n',
    'secret.yaml': 'x',
    'a/b/secret.yaml': 'x',
    'app.dec.yaml': 'x',
    'other.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'secret.yaml': 'ignored',
    'a/b/secret.yaml': 'ignored',
    'app.dec.yaml': 'ignored',
    'other.yaml': 'untracked',
    '.gitignore': 'untracked',
  });
});

test('a nested .gitignore applies to its directory only, relative to it', (t) => {
  const root = makeTree(t, {
    'sub/.gitignore': 'local.yaml\n/anchored.yaml\nnested/file.yaml\n',
    'local.yaml': 'x',
    'sub/local.yaml': 'x',
    'sub/deeper/local.yaml': 'x',
    'anchored.yaml': 'x',
    'sub/anchored.yaml': 'x',
    'sub/deeper/anchored.yaml': 'x',
    'sub/nested/file.yaml': 'x',
    'nested/file.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'local.yaml': 'untracked',
    'sub/local.yaml': 'ignored',
    'sub/deeper/local.yaml': 'ignored',
    'anchored.yaml': 'untracked',
    'sub/anchored.yaml': 'ignored',
    'sub/deeper/anchored.yaml': 'untracked',
    'sub/nested/file.yaml': 'ignored',
    'nested/file.yaml': 'untracked',
  });
});

test('negation re-includes a file; the last matching line and the deepest file win', (t) => {
  const root = makeTree(t, {
    '.gitignore': '*.yaml\n!keep.yaml\n',
    'drop.yaml': 'x',
    'keep.yaml': 'x',
    'sub/keep.yaml': 'x',
    'other/.gitignore': '!drop.yaml\n',
    'other/drop.yaml': 'x',
    'reorder/.gitignore': '!late.yaml\nlate.yaml\n',
    'reorder/late.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'drop.yaml': 'ignored',
    'keep.yaml': 'untracked',
    'sub/keep.yaml': 'untracked',
    'other/drop.yaml': 'untracked',
    'reorder/late.yaml': 'ignored',
  });
});

test('negation cannot re-include a file whose parent directory is excluded', (t) => {
  const root = makeTree(t, {
    '.gitignore': 'secrets/\n!secrets/keep.yaml\nvault/*\n!vault/keep.yaml\nlevel/\n',
    'secrets/keep.yaml': 'x',
    'secrets/.gitignore': '!keep.yaml\n!*\n',
    'secrets/inner/x.yaml': 'x',
    'vault/keep.yaml': 'x',
    'vault/drop.yaml': 'x',
    'a/b/level/c/d.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'secrets/keep.yaml': 'ignored',
    'secrets/inner/x.yaml': 'ignored',
    'vault/keep.yaml': 'untracked',
    'vault/drop.yaml': 'ignored',
    'a/b/level/c/d.yaml': 'ignored',
  });
});

test('anchored vs unanchored patterns', (t) => {
  const root = makeTree(t, {
    '.gitignore': '/top.yaml\nmid/dle.yaml\nany.yaml\n',
    'top.yaml': 'x',
    'sub/top.yaml': 'x',
    'mid/dle.yaml': 'x',
    'x/mid/dle.yaml': 'x',
    'any.yaml': 'x',
    'deep/er/any.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'top.yaml': 'ignored',
    'sub/top.yaml': 'untracked',
    'mid/dle.yaml': 'ignored',
    'x/mid/dle.yaml': 'untracked',
    'any.yaml': 'ignored',
    'deep/er/any.yaml': 'ignored',
  });
});

test('a trailing slash matches directories only', (t) => {
  const root = makeTree(t, {
    '.gitignore': 'build/\ncache/\n',
    'build/out.yaml': 'x',
    'x/build/out.yaml': 'x',
    'other/build': 'a file named build',
    cache: 'a file named cache',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'build/out.yaml': 'ignored',
    'x/build/out.yaml': 'ignored',
    'other/build': 'untracked',
    cache: 'untracked',
  });
});

test('** forms: leading, trailing, middle, and a plain-star ** elsewhere', (t) => {
  const root = makeTree(t, {
    '.gitignore': [
      '**/logs/secret.yaml',
      'vault/**',
      '!vault/keep.yaml',
      'a/**/z.yaml',
      'ab**cd.yaml',
      'p/**x.yaml',
      'fo**/bar.yaml',
      '',
    ].join('\n'),
    'logs/secret.yaml': 'x',
    'q/r/logs/secret.yaml': 'x',
    'vault/x.yaml': 'x',
    'vault/deep/x.yaml': 'x',
    'vault/keep.yaml': 'x',
    'a/z.yaml': 'x',
    'a/b/z.yaml': 'x',
    'a/b/c/z.yaml': 'x',
    'b/a/z.yaml': 'x',
    'abXYcd.yaml': 'x',
    'p/ax.yaml': 'x',
    'p/q/ax.yaml': 'x',
    'fox/y/bar.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'logs/secret.yaml': 'ignored',
    'q/r/logs/secret.yaml': 'ignored',
    'vault/x.yaml': 'ignored',
    'vault/deep/x.yaml': 'ignored',
    // `vault/**` matches the contents, not the directory, so negation still works.
    'vault/keep.yaml': 'untracked',
    'a/z.yaml': 'ignored',
    'a/b/z.yaml': 'ignored',
    'a/b/c/z.yaml': 'ignored',
    'b/a/z.yaml': 'untracked',
    'abXYcd.yaml': 'ignored',
    // A `**` that is not followed by a slash is a plain `*`.
    'p/ax.yaml': 'ignored',
    'p/q/ax.yaml': 'untracked',
    // git's literal-prefix shortcut makes this `**` span directories; we copy git.
    'fox/y/bar.yaml': 'ignored',
  });
});

test('* and ? do not cross a slash in a path pattern', (t) => {
  const root = makeTree(t, {
    '.gitignore': 'd/*.yaml\ne/a?b.yaml\n',
    'd/a.yaml': 'x',
    'd/s/a.yaml': 'x',
    'e/aXb.yaml': 'x',
    'e/a/b.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'd/a.yaml': 'ignored',
    'd/s/a.yaml': 'untracked',
    'e/aXb.yaml': 'ignored',
    'e/a/b.yaml': 'untracked',
  });
});

test('character classes: sets, negated sets, ranges, POSIX classes, literal ]', (t) => {
  const root = makeTree(t, {
    '.gitignore':
      '[abc]1.yaml\n[!x]2.yaml\n[0-9][0-9].yaml\n[[:upper:]]3.yaml\n[]]4.yaml\n[^q]5.yaml\n',
    'a1.yaml': 'x',
    'd1.yaml': 'x',
    'y2.yaml': 'x',
    'x2.yaml': 'x',
    '42.yaml': 'x',
    '4a.yaml': 'x',
    'Q3.yaml': 'x',
    'q3.yaml': 'x',
    ']4.yaml': 'x',
    'r5.yaml': 'x',
    'q5.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'a1.yaml': 'ignored',
    'd1.yaml': 'untracked',
    'y2.yaml': 'ignored',
    'x2.yaml': 'untracked',
    '42.yaml': 'ignored',
    '4a.yaml': 'untracked',
    'Q3.yaml': 'ignored',
    'q3.yaml': 'untracked',
    ']4.yaml': 'ignored',
    'r5.yaml': 'ignored',
    'q5.yaml': 'untracked',
  });
});

test('matching is case-sensitive and byte-wise for non-ASCII names', (t) => {
  const root = makeTree(t, {
    '.gitignore': 'Secret.yaml\nd?j?.yaml\ncaf\u00e9.yaml\n',
    'secret.yaml': 'x',
    'Secret.yaml': 'x',
    // `?` is one byte; "é" is two in UTF-8, so `d?j?` does not match "déjà".
    'd\u00e9j\u00e0.yaml': 'x',
    'daja.yaml': 'x',
    'caf\u00e9.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'secret.yaml': 'untracked',
    'Secret.yaml': 'ignored',
    'd\u00e9j\u00e0.yaml': 'untracked',
    'daja.yaml': 'ignored',
    'caf\u00e9.yaml': 'ignored',
  });
});

test('comments, escaped # and !, and a negation of nothing', (t) => {
  const root = makeTree(t, {
    '.gitignore': '#comment.yaml\n\\#hash.yaml\n\\!bang.yaml\n!plain.yaml\n',
    '#comment.yaml': 'x',
    '#hash.yaml': 'x',
    '!bang.yaml': 'x',
    'bang.yaml': 'x',
    'plain.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    '#comment.yaml': 'untracked',
    '#hash.yaml': 'ignored',
    '!bang.yaml': 'ignored',
    'bang.yaml': 'untracked',
    'plain.yaml': 'untracked',
  });
});

test('trailing spaces are trimmed unless escaped; tabs are not trimmed', (t) => {
  const root = makeTree(t, {
    '.gitignore': 'trail.yaml   \nspace.yaml\\ \ntab.yaml\t\n',
    'trail.yaml': 'x',
    'space.yaml ': 'x',
    'space.yaml': 'x',
    'tab.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'trail.yaml': 'ignored',
    'space.yaml ': 'ignored',
    'space.yaml': 'untracked',
    'tab.yaml': 'untracked',
  });
});

test('CRLF line endings and a UTF-8 BOM in .gitignore', (t) => {
  const root = makeTree(t, {
    '.gitignore': '\ufefffirst.yaml\r\nsecond.yaml\r\n\r\nlast.yaml',
    'first.yaml': 'x',
    'second.yaml': 'x',
    'last.yaml': 'x',
    'other.yaml': 'x',
  });
  makeRepo(root);
  assertStates(inspector(), root, {
    'first.yaml': 'ignored',
    'second.yaml': 'ignored',
    'last.yaml': 'ignored',
    'other.yaml': 'untracked',
  });
});

test('.git/info/exclude applies, below every .gitignore', (t) => {
  const root = makeTree(t, {
    '.gitignore': '!overridden.yaml\n',
    'excluded.yaml': 'x',
    'sub/excluded.yaml': 'x',
    'overridden.yaml': 'x',
  });
  const gitDir = makeRepo(root);
  writeFiles(gitDir, { 'info/exclude': 'excluded.yaml\noverridden.yaml\n' });
  assertStates(inspector(), root, {
    'excluded.yaml': 'ignored',
    'sub/excluded.yaml': 'ignored',
    'overridden.yaml': 'untracked',
  });
});

// ---- the index -----------------------------------------------------------------------------

test('a tracked file is tracked even when ignore rules (or its directory) exclude it', (t) => {
  const root = makeTree(t, {
    '.gitignore': '*.yaml\nsecrets/\n',
    'tracked.yaml': 'x',
    'secrets/tracked.yaml': 'x',
    'secrets/new.yaml': 'x',
    'untracked.yaml': 'x',
  });
  makeRepo(root, ['tracked.yaml', 'secrets/tracked.yaml']);
  assertStates(inspector(), root, {
    'tracked.yaml': 'tracked',
    'secrets/tracked.yaml': 'tracked',
    'secrets/new.yaml': 'ignored',
    'untracked.yaml': 'ignored',
    // A directory with tracked content is tracked.
    secrets: 'tracked',
  });
});

test('a v3 index with skip-worktree and intent-to-add entries counts them as tracked', (t) => {
  const root = makeTree(t, {
    '.gitignore': '*.yaml\n',
    'skip.yaml': 'x',
    'ita.yaml': 'x',
    'plain.yaml': 'x',
    'no.yaml': 'x',
  });
  makeRepo(
    root,
    [
      { path: 'skip.yaml', extendedFlags: 0x4000 },
      { path: 'ita.yaml', extendedFlags: 0x2000 },
      'plain.yaml',
    ],
    3,
  );
  assertStates(inspector(), root, {
    'skip.yaml': 'tracked',
    'ita.yaml': 'tracked',
    'plain.yaml': 'tracked',
    'no.yaml': 'ignored',
  });
});

test('a v4 index with prefix-compressed names', (t) => {
  const names = [
    'deploy/app/secret.yaml',
    'deploy/app/secrets.yaml',
    'deploy/db.yaml',
    'd\u00e9ploy/\u00e9t\u00e9.yaml',
    'z.yaml',
  ];
  const root = makeTree(t, {
    '.gitignore': '*.yaml\n',
    ...Object.fromEntries(names.map((n) => [n, 'x'])),
    'deploy/app/secret': 'x',
    'deploy/app/secrets.yam': 'x',
  });
  makeRepo(root, names, 4);
  const gi = inspector();
  assertStates(gi, root, Object.fromEntries(names.map((n) => [n, 'tracked' as const])));
  // Prefixes of tracked names are not tracked.
  assertStates(gi, root, {
    'deploy/app/secret': 'untracked',
    'deploy/app/secrets.yam': 'untracked',
  });
});

test('a long name (0xFFF bytes or more) in v2 and v4 indexes', (t) => {
  const long = `${Array.from({ length: 25 }, () => 'd'.repeat(200)).join('/')}/x.yaml`;
  assert.ok(Buffer.byteLength(long) > 0xfff);
  const root = makeTree(t);
  for (const version of [2, 4] as const) {
    const gitDir = makeRepo(root, [long, 'after.yaml'], version);
    // Only the index is examined for tracked state, so the file need not exist for this check.
    const gi = inspector();
    assert.equal(gi.statusOf(path.join(root, long)).state, 'tracked', `v${version}`);
    assert.equal(gi.statusOf(path.join(root, 'after.yaml')).state, 'tracked', `v${version}`);
    fs.rmSync(path.join(gitDir, 'index'));
  }
});

test('a garbage or truncated index means "not tracked" and never throws', (t) => {
  const root = makeTree(t, { 'a.yaml': 'x', 'b.yaml': 'x' });
  const gitDir = makeRepo(root);
  const index = path.join(gitDir, 'index');
  const valid = serializeIndex(2, [{ path: 'a.yaml' }, { path: 'b.yaml' }]);
  const garbage = [
    Buffer.from('not an index at all'),
    Buffer.concat([
      Buffer.from('DIRC\0\0\0\x02\xff\xff\xff\xff', 'latin1'),
      Buffer.alloc(500, 0xab),
    ]),
    valid.subarray(0, valid.length - 30), // truncated inside the last entry
    // An unknown version (9):
    Buffer.concat([valid.subarray(0, 4), Buffer.from([0, 0, 0, 9]), valid.subarray(8)]),
    Buffer.alloc(0),
  ];
  for (const bytes of garbage) {
    fs.writeFileSync(index, bytes);
    const gi = inspector();
    assertStates(gi, root, { 'a.yaml': 'untracked', 'b.yaml': 'untracked' });
  }
  fs.writeFileSync(index, valid);
  assertStates(inspector(), root, { 'a.yaml': 'tracked', 'b.yaml': 'tracked' });
});

test('index changes are noticed at once; .gitignore changes after invalidate()', (t) => {
  const root = makeTree(t, { 'a.yaml': 'x', 'b.yaml': 'x', '.gitignore': '' });
  const gitDir = makeRepo(root, ['a.yaml']);
  const gi = inspector();
  assertStates(gi, root, { 'a.yaml': 'tracked', 'b.yaml': 'untracked' });
  // Same length, different content: the trailer checksum differs.
  fs.writeFileSync(path.join(gitDir, 'index'), serializeIndex(2, [{ path: 'b.yaml' }]));
  assertStates(gi, root, { 'a.yaml': 'untracked', 'b.yaml': 'tracked' });
  fs.writeFileSync(path.join(root, '.gitignore'), 'a.yaml\n');
  assertStates(gi, root, { 'a.yaml': 'untracked' });
  gi.invalidate();
  assertStates(gi, root, { 'a.yaml': 'ignored' });
});

// ---- in-memory reader: the core needs no file system, and caches ------------------------------

test('works over an in-memory FileReader and caches ignore files until invalidate()', () => {
  const files = new Map<string, Uint8Array>();
  const put = (p: string, s: string | Uint8Array): void => {
    files.set(p, typeof s === 'string' ? Buffer.from(s) : s);
  };
  put('/r/.git/HEAD', 'ref: refs/heads/main\n');
  put('/r/.git/index', serializeIndex(2, [{ path: 'deploy/t.yaml' }]));
  put('/r/.gitignore', 'deploy/*.yaml\n');
  put('/r/deploy/s.yaml', 'x');
  const dirs = new Set(['/r', '/r/.git', '/r/.git/objects', '/r/.git/refs', '/r/deploy']);
  const reads = new Map<string, number>();
  const reader: FileReader = {
    readFile(p) {
      reads.set(p, (reads.get(p) ?? 0) + 1);
      return files.get(p);
    },
    kind(p) {
      return dirs.has(p) ? 'dir' : files.has(p) ? 'file' : undefined;
    },
  };
  const gi = new GitInspector(reader);
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(gi.statusOf('/r/deploy/s.yaml'), { state: 'ignored', workTree: '/r' });
    assert.deepEqual(gi.statusOf('/r/deploy/t.yaml'), { state: 'tracked', workTree: '/r' });
  }
  assert.equal(reads.get('/r/.gitignore'), 1);
  assert.equal(reads.get('/r/.git/HEAD'), 1);
  put('/r/.gitignore', '');
  assert.equal(gi.statusOf('/r/deploy/s.yaml').state, 'ignored');
  gi.invalidate();
  assert.equal(gi.statusOf('/r/deploy/s.yaml').state, 'untracked');
  assert.equal(reads.get('/r/.gitignore'), 2);
});

// ---- odd input ------------------------------------------------------------------------------

test('odd input never throws: relative path, binary .gitignore, symlink loop, bad reader', (t) => {
  assert.deepEqual(inspector().statusOf('relative/secret.yaml'), { state: 'outside' });
  assert.deepEqual(inspector().statusOf(''), { state: 'outside' });
  assert.deepEqual(inspector().statusOf('/'), { state: 'outside' });

  const garbage = Buffer.from([
    0xff, 0xfe, 0x00, 0x5b, 0x5b, 0x3a, 0x2a, 0x5c, 0x0a, 0x80, 0x5b, 0x21, 0x0a,
  ]);
  const root = makeTree(t, {
    '.gitignore': Buffer.concat([
      garbage,
      Buffer.from('\nsecret.yaml\n[[:nope:]]x.yaml\n[unclosed\n'),
    ]),
    'secret.yaml': 'x',
    'x.yaml': 'x',
    'loop/s.yaml': 'x',
    'self/s.yaml': 'x',
  });
  makeRepo(root);
  fs.symlinkSync('.gitignore', path.join(root, 'loop', '.gitignore-b'));
  fs.symlinkSync('.gitignore-b', path.join(root, 'loop', '.gitignore'));
  fs.symlinkSync('.git', path.join(root, 'self', '.git'));
  assertStates(inspector(), root, {
    // Valid lines after garbage still work; a bad class makes its own line match nothing.
    'secret.yaml': 'ignored',
    'x.yaml': 'untracked',
    'loop/s.yaml': 'untracked',
    'self/s.yaml': 'untracked',
  });

  const throwing: FileReader = {
    readFile() {
      throw new Error('EIO');
    },
    kind() {
      throw new Error('EIO');
    },
  };
  assert.deepEqual(new GitInspector(throwing).statusOf('/r/a.yaml'), { state: 'outside' });
});

/**
 * States computed in a worker thread, or 'hung' when it has not answered within a minute.
 * A hang in synchronous code blocks the test runner's own timeout, so the worker is what
 * turns "never finishes" into a failure; the deadline is a guard, not a timing assertion.
 */
async function statesInWorker(files: readonly string[]): Promise<string[] | 'hung'> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { GitInspector } = require(workerData.repoModule);
    const { NodeFileReader } = require(workerData.readerModule);
    const inspector = new GitInspector(new NodeFileReader());
    parentPort.postMessage(workerData.files.map((f) => inspector.statusOf(f).state));`;
  const worker = new Worker(source, {
    eval: true,
    workerData: {
      files,
      repoModule: path.join(__dirname, '..', '..', 'server', 'src', 'core', 'repo.js'),
      readerModule: path.join(__dirname, '..', '..', 'server', 'src', 'node-file-reader.js'),
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<string[] | 'hung'>((resolve, reject) => {
      timer = setTimeout(() => resolve('hung'), 60_000);
      worker.once('message', (states: string[]) => resolve(states));
      worker.once('error', reject);
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

test('patterns that make git exponential get the same answers as git, at once', async (t) => {
  const name = `${'a'.repeat(200)}.yaml`;
  const deep = `a/${'a/'.repeat(30)}${'a'.repeat(100)}/b`;
  // git needs on the order of 200^16 steps for the first pattern; we need thousands.
  const cases: [string, GitStatus['state'], GitStatus['state']][] = [
    [`${'*a'.repeat(16)}*b`, 'untracked', 'untracked'],
    [`${'*a'.repeat(16)}*.yaml`, 'ignored', 'untracked'],
    ['**/a*a*a*a*a*a*a*a*a*a/b', 'untracked', 'ignored'],
    ['a/*a*a*a*a*a*a*a*a*a*a*a*/b', 'untracked', 'untracked'],
  ];
  const root = makeTree(t);
  const files: string[] = [];
  const expected: string[] = [];
  cases.forEach(([pattern, forName, forDeep], i) => {
    const repo = path.join(root, `case${i}`);
    writeFiles(repo, { '.gitignore': `${pattern}\n`, [name]: 'x', [deep]: 'x' });
    makeRepo(repo);
    files.push(path.join(repo, name), path.join(repo, deep));
    expected.push(forName, forDeep);
  });
  assert.deepEqual(await statesInWorker(files), expected);
});

// ---- gitignoreLineFor ----------------------------------------------------------------------

test('gitignoreLineFor escapes special characters and its line ignores exactly that file', (t) => {
  const names = [
    'dir/a[1] #b.yaml',
    'dir/!bang*star?.yaml',
    'dir/back\\slash.yaml',
    'dir/trailing.yaml  ',
    ' leading.yaml',
    '#top.yaml',
  ];
  const decoys = [
    'dir/a1 #b.yaml',
    'dir/!bangXstarY.yaml',
    'other/dir/a[1] #b.yaml',
    'dir/trailing.yaml',
    'leading.yaml',
  ];
  const root = makeTree(t, Object.fromEntries([...names, ...decoys].map((n) => [n, 'x'])));
  makeRepo(root);

  assert.equal(
    gitignoreLineFor(path.join(root, 'dir/a[1] #b.yaml'), root),
    '/dir/a\\[1\\] \\#b.yaml',
  );
  assert.equal(
    gitignoreLineFor(path.join(root, 'dir/trailing.yaml  '), root),
    '/dir/trailing.yaml\\ \\ ',
  );
  assert.equal(gitignoreLineFor(path.join(root, ' leading.yaml'), root), '/\\ leading.yaml');
  assert.equal(gitignoreLineFor(path.join(root, '#top.yaml'), root + '/'), '/\\#top.yaml');

  const lines = names.map((n) => gitignoreLineFor(path.join(root, n), root));
  fs.writeFileSync(path.join(root, '.gitignore'), lines.join('\n') + '\n');
  const gi = inspector();
  assertStates(gi, root, Object.fromEntries(names.map((n) => [n, 'ignored' as const])));
  assertStates(gi, root, Object.fromEntries(decoys.map((n) => [n, 'untracked' as const])));

  assert.throws(() => gitignoreLineFor('/elsewhere/x.yaml', root), RangeError);
  assert.throws(() => gitignoreLineFor(root, root), RangeError);
});
