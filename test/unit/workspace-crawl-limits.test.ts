/**
 * The language server's crawl of the workspace (lsp/workspace-secrets.ts) is capped in files,
 * bytes and folders, and never follows a symbolic link out of the workspace.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CRAWL_LIMITS, WorkspaceSecrets } from '../../server/src/lsp/workspace-secrets';
import type { CrawlLimits } from '../../server/src/lsp/workspace-secrets';

let base: string;
let root: string;
const secret = (name: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ndata:\n  k: YQ==\n`;

before(() => {
  base = mkdtempSync(join(tmpdir(), 'secret-guard-crawl-'));
  root = join(base, 'root');
  for (let folder = 0; folder < 4; folder++) {
    mkdirSync(join(root, `f${folder}`), { recursive: true });
    for (let file = 0; file < 5; file++) {
      writeFileSync(join(root, `f${folder}`, `s${file}.yaml`), secret(`s-${folder}-${file}`));
    }
  }
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'o.yaml'), secret('outside'));
  symlinkSync(join(base, 'outside'), join(root, 'f0', 'link-dir'), 'dir');
  symlinkSync(join(base, 'outside', 'o.yaml'), join(root, 'f0', 'link.yaml'), 'file');
});
after(() => rmSync(base, { recursive: true, force: true }));

async function crawl(limits: Partial<CrawlLimits>): Promise<string[]> {
  const secrets = new WorkspaceSecrets(() => undefined, { ...CRAWL_LIMITS, ...limits });
  await secrets.crawl([root]);
  return secrets.index.paths().sort();
}

test('everything in the workspace is indexed, nothing behind a symbolic link', async () => {
  const paths = await crawl({});
  assert.equal(paths.length, 20);
  assert.ok(paths.every((path) => path.startsWith(root) && !path.includes('link')));
});

test('at most maxFiles files', async () => {
  assert.equal((await crawl({ maxFiles: 7 })).length, 7);
});

test('at most maxFileBytes a file', async () => {
  assert.equal((await crawl({ maxFileBytes: 10 })).length, 0);
});

test('reading stops past maxTotalBytes in all', async () => {
  const one = secret('s-0-0').length;
  const paths = await crawl({ maxTotalBytes: one * 3 + 1, batchSize: 2 });
  assert.ok(paths.length >= 3 && paths.length <= 4, `${paths.length} files`);
});

test('at most maxFolders folders listed', async () => {
  // The root and one folder under it.
  assert.equal((await crawl({ maxFolders: 2 })).length, 5);
});
