/**
 * Git work tree, index and ignore rules, read from files only.
 *
 * We never run git: a repository's config can make git execute arbitrary commands (hooks,
 * `core.fsmonitor`, filters), and opening a file in an editor must not do that. Instead this
 * module re-implements the small part of git that decides whether `git add .` would take a
 * file: repository discovery (setup.c), the index (read-cache.c), and ignore rules (dir.c,
 * wildmatch.c). Where git's behaviour is quirky we copy the quirk, because users see what git
 * does, not what its documentation says.
 *
 * Paths are compared as git compares them: as bytes (UTF-8). Internally we hold them as
 * "byte strings" (one UTF-16 code unit per byte), so that `?` matches one byte and ranges
 * compare bytes, exactly like the C code.
 */
import * as path from 'node:path';

/** The few file-system reads the git inspection needs; injected so the core stays pure and tests can use an in-memory tree. */
export interface FileReader {
  /** Bytes of a regular file (following symlinks), or undefined when missing/unreadable/a directory. */
  readFile(absPath: string): Uint8Array | undefined;
  /** 'file', 'dir', or undefined when nothing is there. */
  kind(absPath: string): 'file' | 'dir' | undefined;
}

/** Where a file stands with respect to the git work tree that contains it. */
export type GitStatus =
  /** Not inside any git work tree (or inside a `.git` directory). */
  | { state: 'outside' }
  /** In the index: git commits it whatever the ignore rules say. */
  | { state: 'tracked'; workTree: string }
  /** Untracked and excluded by ignore rules. */
  | { state: 'ignored'; workTree: string }
  /** Untracked, not ignored: `git add .` would take it. */
  | { state: 'untracked'; workTree: string };

// All path arithmetic goes through this one object so that Windows support means swapping it
// (and converting separators for the index), not hunting for string operations.
const paths = path.posix;

const OUTSIDE: GitStatus = { state: 'outside' };

/** git refuses pattern files above this size (dir.c PATTERN_MAX_FILE_SIZE); so do we. */
const PATTERN_MAX_FILE_SIZE = 100 * 1024 * 1024;

/** Where a discovered repository keeps its things. */
interface Repo {
  /** The directory holding `.git`: paths in the index and ignore files are relative to it. */
  workTree: string;
  /** The repository (or linked worktree) directory: holds `index`. */
  gitDir: string;
  /** The shared repository directory: holds `info/exclude`; gitDir unless a linked worktree. */
  commonDir: string;
}

/** One parsed line of an ignore file (dir.c `struct path_pattern`). */
interface IgnorePattern {
  /** The pattern without `!` and without the trailing `/`, as a byte string. */
  pattern: string;
  /** Length of the leading part without glob characters (dir.c `nowildcardlen`). */
  literalPrefix: number;
  negative: boolean;
  /** Had a trailing `/`: matches directories only. */
  mustBeDir: boolean;
  /** Has no `/` (after removing a trailing one): matched against the basename at any depth. */
  noDir: boolean;
  /** `*` followed by a literal: a cheap suffix compare. */
  endsWith: boolean;
  /** The ignore file's directory relative to the work tree, no trailing `/` ('' for the root). */
  base: string;
}

/** A parsed index, kept with enough of the file to notice when it changed. */
interface CachedIndex {
  byteLength: number;
  fingerprint: string;
  /** Entry names as byte strings; sparse-directory entries end with `/`. */
  entries: ReadonlySet<string>;
  /** Every directory that holds an entry, computed on first need. */
  directories?: ReadonlySet<string>;
}

/**
 * Answers "would git commit this file?" for files on disk, without running git.
 *
 * Discovery results and parsed ignore files are cached until {@link GitInspector.invalidate};
 * the index is re-read on every call but only re-parsed when its size or fingerprint changed,
 * because git rewrites it behind the editor's back (file watchers usually exclude `.git`).
 */
export class GitInspector {
  private readonly repoByDir = new Map<string, Repo | null>();
  private readonly ignoreFiles = new Map<string, readonly IgnorePattern[]>();
  private readonly indexes = new Map<string, CachedIndex>();

  /** @param reader the only way this class touches the file system. */
  constructor(private readonly reader: FileReader) {}

  /**
   * The git status of the file at `absPath` (an absolute path). Never throws: on anything
   * odd it falls back to the answer that makes us warn rather than stay silent, which is
   * "untracked and not ignored" when a work tree was found.
   */
  statusOf(absPath: string): GitStatus {
    const file = normalizeAbsolute(absPath);
    if (file === undefined || file === '/') return OUTSIDE;
    let repo: Repo | null;
    try {
      repo = this.findRepo(paths.dirname(file));
    } catch {
      return OUTSIDE;
    }
    if (!repo) return OUTSIDE;
    const workTree = repo.workTree;
    const relative = paths.relative(workTree, file);
    const components = relative.split('/');
    // git never adds anything under a `.git` directory (read-cache.c verify_path, which
    // compares case-insensitively), so such files are not part of any work tree for us.
    if (relative === '' || components.some((c) => c.toLowerCase() === '.git')) return OUTSIDE;

    const isDir = this.kindOf(file) === 'dir';
    let tracked = false;
    try {
      tracked = this.isTracked(repo, components, isDir);
    } catch {
      tracked = false;
    }
    if (tracked) return { state: 'tracked', workTree };
    let ignored = false;
    try {
      ignored = this.isIgnored(repo, components, isDir);
    } catch {
      // e.g. a pathological pattern exhausting the stack: prefer warning to silence.
      ignored = false;
    }
    return { state: ignored ? 'ignored' : 'untracked', workTree };
  }

  /** Forget cached ignore files and indexes (call on file-change events). */
  invalidate(): void {
    this.repoByDir.clear();
    this.ignoreFiles.clear();
    this.indexes.clear();
  }

  // ---- reading, never throwing ------------------------------------------------------------

  private read(absPath: string): Uint8Array | undefined {
    try {
      return this.reader.readFile(absPath);
    } catch {
      return undefined;
    }
  }

  private kindOf(absPath: string): 'file' | 'dir' | undefined {
    try {
      return this.reader.kind(absPath);
    } catch {
      return undefined;
    }
  }

  // ---- discovery ------------------------------------------------------------------------

  /** The nearest repository at or above `startDir` (so a submodule wins over its superproject). */
  private findRepo(startDir: string): Repo | null {
    const visited: string[] = [];
    let dir = startDir;
    let found: Repo | null = null;
    for (;;) {
      const cached = this.repoByDir.get(dir);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      visited.push(dir);
      const repo = this.repoAt(dir);
      if (repo) {
        found = repo;
        break;
      }
      const parent = paths.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    // Every directory we passed has the same nearest repository.
    for (const v of visited) this.repoByDir.set(v, found);
    return found;
  }

  /** The repository whose work tree root is `dir`, if `dir/.git` is a valid one (setup.c). */
  private repoAt(dir: string): Repo | undefined {
    const dotGit = paths.join(dir, '.git');
    const kind = this.kindOf(dotGit);
    let gitDir: string | undefined;
    if (kind === 'dir') {
      gitDir = dotGit;
    } else if (kind === 'file') {
      // A gitfile (linked worktree, submodule). One that is malformed makes git fail inside
      // this directory, but the superproject still adds the files; keep walking up.
      gitDir = this.readGitFile(dotGit);
    }
    if (gitDir === undefined) return undefined;
    const commonDir = this.commonDirOf(gitDir);
    if (!this.isGitDirectory(gitDir, commonDir)) return undefined;
    return { workTree: dir, gitDir, commonDir };
  }

  /** setup.c read_gitfile_gently: `gitdir: <path>`, relative to the file's directory. */
  private readGitFile(gitFile: string): string | undefined {
    const bytes = this.read(gitFile);
    if (!bytes) return undefined;
    const text = stripTrailingNewlines(decodeUtf8(bytes));
    if (!text.startsWith('gitdir: ') || text.length < 9) return undefined;
    return resolveFrom(paths.dirname(gitFile), text.slice('gitdir: '.length));
  }

  /** setup.c get_common_dir_noenv: a linked worktree names the main git dir in `commondir`. */
  private commonDirOf(gitDir: string): string {
    const bytes = this.read(paths.join(gitDir, 'commondir'));
    if (!bytes) return gitDir;
    const text = stripTrailingNewlines(decodeUtf8(bytes));
    return text === '' ? gitDir : resolveFrom(gitDir, text);
  }

  /** setup.c is_git_directory: a valid HEAD plus `objects/` and `refs/` in the common dir. */
  private isGitDirectory(gitDir: string, commonDir: string): boolean {
    const head = this.read(paths.join(gitDir, 'HEAD'));
    if (!head || !isValidHead(head)) return false;
    return (
      this.kindOf(paths.join(commonDir, 'objects')) === 'dir' &&
      this.kindOf(paths.join(commonDir, 'refs')) === 'dir'
    );
  }

  // ---- the index ------------------------------------------------------------------------

  private isTracked(repo: Repo, components: readonly string[], isDir: boolean): boolean {
    const index = this.loadIndex(repo.gitDir);
    if (!index) return false;
    const name = toByteString(encodeUtf8(components.join('/')));
    if (index.entries.has(name)) return true;
    // A sparse index stores a whole out-of-cone directory as one `dir/` entry.
    let prefix = '';
    for (let i = 0; i < components.length - 1; i++) {
      prefix += toByteString(encodeUtf8(components[i] ?? '')) + '/';
      if (index.entries.has(prefix)) return true;
    }
    if (isDir) {
      // A directory is "tracked" when git would commit something inside it.
      index.directories ??= directoriesOf(index.entries);
      return index.directories.has(name);
    }
    return false;
  }

  private loadIndex(gitDir: string): CachedIndex | undefined {
    const indexPath = paths.join(gitDir, 'index');
    const bytes = this.read(indexPath);
    if (!bytes) {
      this.indexes.delete(indexPath);
      return undefined;
    }
    const fingerprint = fingerprintOf(bytes);
    const cached = this.indexes.get(indexPath);
    if (cached && cached.byteLength === bytes.length && cached.fingerprint === fingerprint) {
      return cached;
    }
    const parsed = parseIndex(bytes);
    if (!parsed) {
      this.indexes.delete(indexPath);
      return undefined;
    }
    const entries = new Set(parsed.entries);
    if (parsed.sharedIndex !== undefined) {
      // Split index: most entries live in a shared file. We take the union and ignore the
      // deletion bitmap: at worst a removed file counts as tracked, which still warns.
      const shared = this.read(paths.join(gitDir, `sharedindex.${parsed.sharedIndex}`));
      const sharedParsed = shared ? parseIndex(shared) : undefined;
      for (const e of sharedParsed?.entries ?? []) entries.add(e);
    }
    const index: CachedIndex = { byteLength: bytes.length, fingerprint, entries };
    this.indexes.set(indexPath, index);
    return index;
  }

  // ---- ignore rules ---------------------------------------------------------------------

  /**
   * dir.c prep_exclude + last_matching_pattern: walk down from the work tree root; once a
   * directory is excluded, everything below it is, whatever later negations say (git never
   * even reads the ignore files below it).
   */
  private isIgnored(repo: Repo, components: readonly string[], isDir: boolean): boolean {
    // Lowest precedence first; core.excludesFile is deliberately not read (it lives in the
    // user's home and global config).
    const lists: (readonly IgnorePattern[])[] = [
      this.ignoreFile(paths.join(repo.commonDir, 'info', 'exclude'), ''),
      this.ignoreFile(paths.join(repo.workTree, '.gitignore'), ''),
    ];
    let relDir = '';
    let nativeDir = repo.workTree;
    for (let i = 0; i < components.length - 1; i++) {
      const component = toByteString(encodeUtf8(components[i] ?? ''));
      const dirPath = relDir === '' ? component : `${relDir}/${component}`;
      if (lastMatchIsExclude(lists, dirPath, component, true)) return true;
      relDir = dirPath;
      nativeDir = paths.join(nativeDir, components[i] ?? '');
      lists.push(this.ignoreFile(paths.join(nativeDir, '.gitignore'), relDir));
    }
    const last = components[components.length - 1] ?? '';
    const basename = toByteString(encodeUtf8(last));
    const full = relDir === '' ? basename : `${relDir}/${basename}`;
    return lastMatchIsExclude(lists, full, basename, isDir);
  }

  private ignoreFile(absPath: string, base: string): readonly IgnorePattern[] {
    const key = `${base}\0${absPath}`;
    const cached = this.ignoreFiles.get(key);
    if (cached) return cached;
    const bytes = this.read(absPath);
    const patterns =
      bytes && bytes.length <= PATTERN_MAX_FILE_SIZE ? parseIgnoreFile(bytes, base) : [];
    this.ignoreFiles.set(key, patterns);
    return patterns;
  }
}

/**
 * The line to append to `<workTree>/.gitignore` so that exactly this file is ignored: a
 * root-anchored path (`/dir/file.yaml`) with git's special characters (`*?[]!#\` and leading
 * or trailing spaces) escaped. A newline or carriage return in a file name cannot be written
 * in a line and becomes `?` (one byte, not `/`).
 *
 * The line cannot help when the file is tracked (ignore rules never apply to tracked files)
 * or when a deeper `.gitignore` re-includes the file with a negation: check
 * {@link GitInspector.statusOf} afterwards if that matters.
 *
 * @throws RangeError when `absPath` is not strictly inside `workTree` (a caller bug).
 */
export function gitignoreLineFor(absPath: string, workTree: string): string {
  const file = normalizeAbsolute(absPath);
  const root = normalizeAbsolute(workTree);
  const relative = file !== undefined && root !== undefined ? paths.relative(root, file) : '';
  if (relative === '' || relative === '..' || relative.startsWith('../')) {
    throw new RangeError(`${absPath} is not inside the work tree ${workTree}`);
  }
  const chars = Array.from(relative);
  const firstNonSpace = chars.findIndex((c) => c !== ' ');
  let lastNonSpace = chars.length - 1;
  while (lastNonSpace >= 0 && chars[lastNonSpace] === ' ') lastNonSpace--;
  let line = '/';
  chars.forEach((c, i) => {
    if ('*?[]!#\\'.includes(c)) line += `\\${c}`;
    else if (c === '\n' || c === '\r') line += '?';
    // Trailing spaces would be trimmed; leading ones are escaped too, for symmetry and for
    // readers who would otherwise not see them.
    else if (c === ' ' && (i < firstNonSpace || firstNonSpace < 0 || i > lastNonSpace)) {
      line += '\\ ';
    } else line += c;
  });
  return line;
}

/**
 * A matcher for gitignore-style patterns that are not in a `.gitignore` (the `ignore` list of
 * `.secret-guard.yaml`): same syntax and rules as git, so users need to learn nothing new. The
 * path is relative to the folder the patterns belong to, '/'-separated; a file below an
 * excluded folder stays excluded, whatever a later negation says.
 */
export function createIgnoreMatcher(
  patterns: readonly string[],
): (relativePath: string) => boolean {
  const list = parseIgnoreFile(encodeUtf8(patterns.join('\n')), '');
  return (relativePath) => {
    const components = relativePath.split('/').filter((c) => c !== '' && c !== '.');
    let dir = '';
    for (let i = 0; i < components.length; i++) {
      const component = toByteString(encodeUtf8(components[i] ?? ''));
      const pathname = dir === '' ? component : `${dir}/${component}`;
      const isDir = i < components.length - 1;
      if (lastMatchIsExclude([list], pathname, component, isDir)) return true;
      dir = pathname;
    }
    return false;
  };
}

// ---- paths and bytes ----------------------------------------------------------------------

function normalizeAbsolute(p: string): string | undefined {
  if (typeof p !== 'string' || p.includes('\0') || !paths.isAbsolute(p)) return undefined;
  const normalized = paths.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

function resolveFrom(baseDir: string, p: string): string {
  return paths.normalize(paths.isAbsolute(p) ? p : paths.join(baseDir, p));
}

function stripTrailingNewlines(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === '\n' || s[end - 1] === '\r')) end--;
  return s.slice(0, end);
}

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

function decodeUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

function encodeUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** One UTF-16 code unit per byte (not TextDecoder('latin1'), which is really windows-1252). */
function toByteString(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  const CHUNK = 8192;
  for (let i = start; i < end; i += CHUNK) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + CHUNK)));
  }
  return out;
}

/** setup.c validate_headref: a symbolic ref into `refs/`, or an object id. */
function isValidHead(bytes: Uint8Array): boolean {
  const text = toByteString(bytes, 0, Math.min(bytes.length, 255));
  if (text.startsWith('ref:')) {
    return text
      .slice(4)
      .replace(/^[ \t\n\r]+/, '')
      .startsWith('refs/');
  }
  return /^[0-9a-fA-F]{40}/.test(text);
}

// ---- the index file (read-cache.c) --------------------------------------------------------

interface ParsedIndex {
  entries: string[];
  /** Hex id of the shared index when this is a split index (`link` extension). */
  sharedIndex?: string;
}

/**
 * Entry names of an index file (versions 2, 3, 4), or undefined when it is not one.
 * SHA-1 and SHA-256 repositories differ in object id size; rather than read the config we
 * try both, since only the right size makes every entry and extension line up.
 */
function parseIndex(bytes: Uint8Array): ParsedIndex | undefined {
  if (bytes.length < 12 || toByteString(bytes, 0, 4) !== 'DIRC') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4);
  if (version < 2 || version > 4) return undefined;
  const count = view.getUint32(8);
  return (
    parseIndexBody(bytes, view, version, count, 20) ??
    parseIndexBody(bytes, view, version, count, 32)
  );
}

function parseIndexBody(
  bytes: Uint8Array,
  view: DataView,
  version: number,
  count: number,
  hashSize: number,
): ParsedIndex | undefined {
  const end = bytes.length - hashSize;
  if (end < 12) return undefined;
  const entries: string[] = [];
  let previous = '';
  let offset = 12;
  // ctime, mtime (8 bytes each), dev, ino, mode, uid, gid, size (4 bytes each), then the id.
  const flagsAt = 40 + hashSize;
  for (let i = 0; i < count; i++) {
    const start = offset;
    if (start + flagsAt + 2 > end) return undefined;
    const flags = view.getUint16(start + flagsAt);
    let nameAt = start + flagsAt + 2;
    // Extended flags (skip-worktree, intent-to-add) add two bytes; such entries are still
    // in the index and so still tracked.
    if (flags & 0x4000) nameAt += 2;
    const nameLength = flags & 0x0fff;
    let name: string;
    if (version === 4) {
      // Prefix compression: a varint says how many bytes to drop from the previous name.
      const varint = decodeVarint(bytes, nameAt, end);
      if (!varint || varint.value > previous.length) return undefined;
      const nul = bytes.indexOf(0, varint.next);
      if (nul < 0 || nul >= end) return undefined;
      name =
        previous.slice(0, previous.length - varint.value) + toByteString(bytes, varint.next, nul);
      offset = nul + 1;
    } else {
      const nul = bytes.indexOf(0, nameAt);
      if (nul < 0 || nul >= end) return undefined;
      name = toByteString(bytes, nameAt, nul);
      // Entries are padded with 1-8 NULs to a multiple of 8 bytes.
      offset = start + ((nameAt - start + name.length + 8) & ~7);
      if (offset > end) return undefined;
    }
    // Names of 0xFFF bytes or more store 0xFFF; below that the length must agree.
    if (nameLength < 0x0fff ? nameLength !== name.length : name.length < 0x0fff) return undefined;
    entries.push(name);
    previous = name;
  }
  let sharedIndex: string | undefined;
  while (offset < end) {
    if (offset + 8 > end) return undefined;
    const signature = toByteString(bytes, offset, offset + 4);
    const size = view.getUint32(offset + 4);
    if (offset + 8 + size > end) return undefined;
    if (signature === 'link' && size >= hashSize) {
      sharedIndex = toHex(bytes.subarray(offset + 8, offset + 8 + hashSize));
    }
    offset += 8 + size;
  }
  return sharedIndex === undefined ? { entries } : { entries, sharedIndex };
}

/** varint.c decode_varint (offset encoding: each continuation adds one before shifting). */
function decodeVarint(
  bytes: Uint8Array,
  at: number,
  end: number,
): { value: number; next: number } | undefined {
  let pos = at;
  if (pos >= end) return undefined;
  let c = bytes[pos++] ?? 0;
  let value = c & 127;
  while (c & 128) {
    if (pos >= end) return undefined;
    value += 1;
    if (value > 2 ** 40) return undefined; // no name is that long; this is garbage
    c = bytes[pos++] ?? 0;
    value = value * 128 + (c & 127);
  }
  return { value, next: pos };
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The index ends with a checksum of its content, an ideal fingerprint. With
 * `index.skipHash` the checksum is all zeros, so we hash the bytes ourselves (FNV-1a).
 */
function fingerprintOf(bytes: Uint8Array): string {
  const trailer = bytes.subarray(Math.max(0, bytes.length - 32));
  if (bytes.subarray(Math.max(0, bytes.length - 20)).some((b) => b !== 0)) return toHex(trailer);
  let hash = 0x811c9dc5;
  for (const b of bytes) hash = Math.imul(hash ^ b, 0x01000193);
  return `fnv:${(hash >>> 0).toString(16)}`;
}

function directoriesOf(entries: ReadonlySet<string>): ReadonlySet<string> {
  const dirs = new Set<string>();
  for (const entry of entries) {
    for (let slash = entry.indexOf('/'); slash > 0; slash = entry.indexOf('/', slash + 1)) {
      dirs.add(entry.slice(0, slash));
    }
  }
  return dirs;
}

// ---- ignore files (dir.c) -----------------------------------------------------------------

/** dir.c add_patterns_from_buffer + parse_path_pattern. */
function parseIgnoreFile(bytes: Uint8Array, base: string): IgnorePattern[] {
  let text = toByteString(bytes);
  if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  const patterns: IgnorePattern[] = [];
  for (let line of text.split('\n')) {
    // Checked before CR removal, as git does (a lone "\r" becomes an empty, inert pattern).
    if (line === '' || line.startsWith('#')) continue;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    // git holds lines as C strings: a NUL ends the pattern.
    const nul = line.indexOf('\0');
    if (nul >= 0) line = line.slice(0, nul);
    line = trimTrailingSpaces(line);
    const pattern = parsePattern(line, base);
    if (pattern) patterns.push(pattern);
  }
  return patterns;
}

/** dir.c trim_trailing_spaces: unescaped trailing spaces (not tabs) go. */
function trimTrailingSpaces(s: string): string {
  let lastSpace = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ' ') {
      if (lastSpace < 0) lastSpace = i;
    } else if (c === '\\') {
      i++;
      if (i >= s.length) return s;
      lastSpace = -1;
    } else {
      lastSpace = -1;
    }
  }
  return lastSpace >= 0 ? s.slice(0, lastSpace) : s;
}

function parsePattern(line: string, base: string): IgnorePattern | undefined {
  let p = line;
  const negative = p.startsWith('!');
  if (negative) p = p.slice(1);
  const mustBeDir = p.endsWith('/');
  if (mustBeDir) p = p.slice(0, -1);
  // An empty pattern can never match a non-empty name; drop it.
  if (p === '') return undefined;
  return {
    pattern: p,
    literalPrefix: simpleLength(p),
    negative,
    mustBeDir,
    noDir: !p.includes('/'),
    endsWith: p.startsWith('*') && simpleLength(p, 1) === p.length,
    base,
  };
}

function isGlobSpecial(c: number): boolean {
  return c === STAR || c === QUESTION || c === LBRACKET || c === BACKSLASH;
}

/** Index of the first glob special character at or after `from` (dir.c simple_length). */
function simpleLength(s: string, from = 0): number {
  let i = from;
  while (i < s.length && !isGlobSpecial(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Whether the highest-precedence matching pattern excludes `pathname` (dir.c
 * last_matching_pattern_from_lists): lists are ordered lowest precedence first, and within a
 * list the last matching line wins. A negated match decides too ("not excluded").
 */
function lastMatchIsExclude(
  lists: readonly (readonly IgnorePattern[])[],
  pathname: string,
  basename: string,
  isDir: boolean,
): boolean {
  for (let l = lists.length - 1; l >= 0; l--) {
    const list = lists[l] ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const pattern = list[i];
      if (pattern && patternMatches(pattern, pathname, basename, isDir)) return !pattern.negative;
    }
  }
  return false;
}

function patternMatches(
  pattern: IgnorePattern,
  pathname: string,
  basename: string,
  isDir: boolean,
): boolean {
  if (pattern.mustBeDir && !isDir) return false;
  if (pattern.noDir) return matchBasename(basename, pattern);
  return matchPathname(pathname, pattern);
}

/** dir.c match_basename. */
function matchBasename(basename: string, pattern: IgnorePattern): boolean {
  const p = pattern.pattern;
  if (pattern.literalPrefix === p.length) return p === basename;
  if (pattern.endsWith) return basename.endsWith(p.slice(1));
  return wildmatch(p, basename, false);
}

/**
 * dir.c match_pathname. The literal prefix is compared first and only the rest goes to
 * wildmatch; that changes meaning in one corner (in `foo**` followed by `/bar`, the `**` then
 * starts the pattern wildmatch sees, so it spans directories), and we copy it because git
 * does it.
 */
function matchPathname(pathname: string, pattern: IgnorePattern): boolean {
  let p = pattern.pattern;
  let prefix = pattern.literalPrefix;
  if (p.startsWith('/')) {
    p = p.slice(1);
    prefix--;
  }
  const base = pattern.base;
  let name = pathname;
  if (base !== '') {
    if (pathname.length < base.length + 1 || pathname[base.length] !== '/') return false;
    if (!pathname.startsWith(base)) return false;
    name = pathname.slice(base.length + 1);
  }
  if (prefix > 0) {
    if (prefix > name.length) return false;
    if (name.slice(0, prefix) !== p.slice(0, prefix)) return false;
    p = p.slice(prefix);
    name = name.slice(prefix);
    if (p === '' && name === '') return true;
  }
  return wildmatch(p, name, true);
}

// ---- wildmatch.c --------------------------------------------------------------------------

const WM_MATCH = 0;
const WM_NOMATCH = 1;
const WM_ABORT_ALL = -1;
const WM_ABORT_TO_STARSTAR = -2;

const STAR = 0x2a;
const QUESTION = 0x3f;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const BANG = 0x21;
const CARET = 0x5e;
const DASH = 0x2d;
const COLON = 0x3a;

/** `*`, `?`, `[...]` and `\` over byte strings; with `pathname`, only `**` crosses `/`. */
function wildmatch(pattern: string, text: string, pathname: boolean): boolean {
  return dowild(pattern, 0, text, 0, pathname) === WM_MATCH;
}

/** The byte at `i`, or 0 past the end (standing in for C's terminating NUL). */
function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : 0;
}

/**
 * A line-by-line port of wildmatch.c dowild (8-bit, case-sensitive). The abort codes let
 * a failing `*` stop its callers early, which keeps patterns like `*a*a*a*b` polynomial.
 */
function dowild(
  pat: string,
  patStart: number,
  text: string,
  textStart: number,
  pathname: boolean,
): number {
  let p = patStart;
  let t = textStart;
  for (; at(pat, p) !== 0; t++, p++) {
    let pCh = at(pat, p);
    let tCh = at(text, t);
    if (tCh === 0 && pCh !== STAR) return WM_ABORT_ALL;
    if (pCh === QUESTION) {
      if (pathname && tCh === SLASH) return WM_NOMATCH;
      continue;
    }
    if (pCh === STAR) {
      let matchSlash: boolean;
      if (at(pat, ++p) === STAR) {
        const prevP = p - 2;
        while (at(pat, ++p) === STAR) {
          // consecutive stars collapse
        }
        if (!pathname) {
          matchSlash = true;
        } else if (
          (prevP < patStart || at(pat, prevP) === SLASH) &&
          (at(pat, p) === 0 ||
            at(pat, p) === SLASH ||
            (at(pat, p) === BACKSLASH && at(pat, p + 1) === SLASH))
        ) {
          // `**/` may match no directory at all: try the rest of the pattern right here.
          if (at(pat, p) === SLASH && dowild(pat, p + 1, text, t, pathname) === WM_MATCH) {
            return WM_MATCH;
          }
          matchSlash = true;
        } else {
          // `**` not delimited by slashes is an ordinary `*`.
          matchSlash = false;
        }
      } else {
        matchSlash = !pathname;
      }
      if (at(pat, p) === 0) {
        // A trailing `**` matches everything, a trailing `*` only up to the next slash.
        if (!matchSlash && text.indexOf('/', t) >= 0) return WM_NOMATCH;
        return WM_MATCH;
      }
      if (!matchSlash && at(pat, p) === SLASH) {
        // One `*` followed by a slash matches up to the next directory separator.
        const slash = text.indexOf('/', t);
        if (slash < 0) return WM_NOMATCH;
        t = slash;
        continue; // the loop's increment consumes the slash in both strings
      }
      for (;;) {
        if (tCh === 0) break;
        const next = at(pat, p);
        if (!isGlobSpecial(next)) {
          // Skip quickly to where the literal after the star could start.
          while ((tCh = at(text, t)) !== 0 && (matchSlash || tCh !== SLASH)) {
            if (tCh === next) break;
            t++;
          }
          // git returns NOMATCH here, which makes `*a*a*a*a*b` exponential (a crafted
          // .gitignore could hang the editor). We return what the star loop itself would have
          // returned after trying every remaining position (rsync's original wildmatch): the
          // same answer, with the pruning intact.
          if (tCh !== next) return tCh === 0 ? WM_ABORT_ALL : WM_ABORT_TO_STARSTAR;
        }
        const matched = dowild(pat, p, text, t, pathname);
        if (matched !== WM_NOMATCH) {
          if (!matchSlash || matched !== WM_ABORT_TO_STARSTAR) return matched;
        } else if (!matchSlash && tCh === SLASH) {
          return WM_ABORT_TO_STARSTAR;
        }
        tCh = at(text, ++t);
      }
      return WM_ABORT_ALL;
    }
    if (pCh === LBRACKET) {
      pCh = at(pat, ++p);
      if (pCh === CARET) pCh = BANG;
      const negated = pCh === BANG;
      if (negated) pCh = at(pat, ++p);
      let prevCh = 0;
      let matched = false;
      // The first character (even `]`) belongs to the class: test before looking for `]`.
      for (;;) {
        if (pCh === 0) return WM_ABORT_ALL;
        if (pCh === BACKSLASH) {
          pCh = at(pat, ++p);
          if (pCh === 0) return WM_ABORT_ALL;
          if (tCh === pCh) matched = true;
        } else if (
          pCh === DASH &&
          prevCh !== 0 &&
          at(pat, p + 1) !== 0 &&
          at(pat, p + 1) !== RBRACKET
        ) {
          pCh = at(pat, ++p);
          if (pCh === BACKSLASH) {
            pCh = at(pat, ++p);
            if (pCh === 0) return WM_ABORT_ALL;
          }
          if (tCh <= pCh && tCh >= prevCh) matched = true;
          pCh = 0; // a range cannot start another range
        } else if (pCh === LBRACKET && at(pat, p + 1) === COLON) {
          p += 2;
          const s = p;
          while ((pCh = at(pat, p)) !== 0 && pCh !== RBRACKET) p++;
          if (pCh === 0) return WM_ABORT_ALL;
          const len = p - s - 1;
          if (len < 0 || at(pat, p - 1) !== COLON) {
            // Not `[:name:]` after all: a literal `[`.
            p = s - 2;
            pCh = LBRACKET;
            if (tCh === pCh) matched = true;
          } else {
            const cls = classMatches(pat.slice(s, s + len), tCh);
            if (cls === undefined) return WM_ABORT_ALL;
            if (cls) matched = true;
            pCh = 0;
          }
        } else if (tCh === pCh) {
          matched = true;
        }
        prevCh = pCh;
        pCh = at(pat, ++p);
        if (pCh === RBRACKET) break;
      }
      if (matched === negated || (pathname && tCh === SLASH)) return WM_NOMATCH;
      continue;
    }
    if (pCh === BACKSLASH) pCh = at(pat, ++p); // the next character is literal
    if (tCh !== pCh) return WM_NOMATCH;
  }
  return t < text.length ? WM_NOMATCH : WM_MATCH;
}

/** POSIX classes with git's ASCII-only ctype (git-compat-util.h); undefined for unknown names. */
function classMatches(name: string, c: number): boolean | undefined {
  const upper = c >= 0x41 && c <= 0x5a;
  const lower = c >= 0x61 && c <= 0x7a;
  const digit = c >= 0x30 && c <= 0x39;
  const graph = c > 0x20 && c < 0x7f;
  switch (name) {
    case 'alnum':
      return upper || lower || digit;
    case 'alpha':
      return upper || lower;
    case 'blank':
      return c === 0x20 || c === 0x09;
    case 'cntrl':
      return c < 0x20 || c === 0x7f;
    case 'digit':
      return digit;
    case 'graph':
      return graph;
    case 'lower':
      return lower;
    case 'print':
      return graph || c === 0x20;
    case 'punct':
      return graph && !upper && !lower && !digit;
    case 'space':
      // git's isspace: no \v or \f.
      return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
    case 'upper':
      return upper;
    case 'xdigit':
      return digit || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    default:
      return undefined;
  }
}
