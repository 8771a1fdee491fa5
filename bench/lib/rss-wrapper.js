// Runs the CLI bundle in this process and, at exit, writes its peak RSS and CPU time to
// $SECRET_GUARD_RSS_REPORT: the bench's way to read what the CLI cost without /usr/bin/time.
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(
    process.env.SECRET_GUARD_RSS_REPORT,
    JSON.stringify({ maxRssBytes: usage.maxRSS * 1024, userMs: usage.userCPUTime / 1000 }),
  );
});
require(join(__dirname, '..', '..', 'dist', 'cli.js'));
