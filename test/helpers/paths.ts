import * as path from 'node:path';

/** The repository root (tests run from out/test/..., compiled from test/...). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');
export const CLI_BIN = path.join(REPO_ROOT, 'bin', 'secret-guard.js');
/** Preloads for the server and CLI under test (plain JavaScript, not compiled). */
export const NO_CHILD_PROCESS_PRELOAD = path.join(
  REPO_ROOT,
  'test',
  'helpers',
  'no-child-process.js',
);
export const FS_ACCESS_LOG_PRELOAD = path.join(REPO_ROOT, 'test', 'helpers', 'fs-access-log.js');
/** What no-child-process.js writes to stderr when the server or CLI calls child_process. */
export const CHILD_PROCESS_MARKER = 'SECRET_GUARD_CHILD_PROCESS_CALL';
