// The project's compiled code, as the bench uses it: the core from `out/` (tsc), the CLI and the
// server from their bundles in `dist/` (esbuild). `npm run bench` builds both first.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_BIN = join(ROOT, 'bin', 'secret-guard.js');
export const SERVER_BIN = join(ROOT, 'bin', 'secret-guard-ls.js');

const require = createRequire(join(ROOT, 'package.json'));
for (const built of ['out/server/src/core/analyze.js', 'dist/server.js', 'dist/cli.js']) {
  if (!existsSync(join(ROOT, built))) {
    throw new Error(`bench: ${built} is missing; run npm run build && npx tsc -b`);
  }
}

export const core = {
  analyze: require(join(ROOT, 'out/server/src/core/analyze.js')),
  parse: require(join(ROOT, 'out/server/src/core/parse.js')),
};

/** The project's own `yaml` package: the baseline parser of target 1. */
export const yaml = require('yaml');
