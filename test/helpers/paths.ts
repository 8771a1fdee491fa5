import * as path from 'node:path';

/** The repository root (tests run from out/test/..., compiled from test/...). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');
export const CLI_BIN = path.join(REPO_ROOT, 'bin', 'secret-guard.js');
