// Preloaded into the language server by the bench (`node --expose-gc --require`): on SIGUSR2 it
// collects all garbage and writes the heap's figures to $SECRET_GUARD_HEAP_REPORT. RSS alone
// cannot tell memory the server keeps from garbage V8 has not collected yet (it collects old
// objects lazily, and keeps freed pages for a while).
'use strict';
const { renameSync, writeFileSync } = require('node:fs');

process.on('SIGUSR2', () => {
  const report = process.env.SECRET_GUARD_HEAP_REPORT;
  if (!report || typeof globalThis.gc !== 'function') return;
  globalThis.gc();
  const { heapUsed, rss } = process.memoryUsage();
  // Whole or not at all: the bench waits for the file to appear.
  writeFileSync(`${report}.part`, JSON.stringify({ heapUsedBytes: heapUsed, rssBytes: rss }));
  renameSync(`${report}.part`, report);
});
