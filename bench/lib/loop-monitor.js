// Preloaded into the language server by the bench (`node --require`): measures how long the
// server's event loop is blocked, from the first turn of the loop (module loading excluded)
// to the process's exit, and writes the figures to $SECRET_GUARD_LOOP_REPORT.
//
// Two figures, because other jobs share the machine: `maxMs` is the longest event-loop delay
// in wall time (perf_hooks.monitorEventLoopDelay), which also counts time the process waited
// for a core; `maxCpuMs` bounds each delay by the CPU time the process used meanwhile (a 1 ms
// timer chain reads process.cpuUsage), which is what our own code blocked.
'use strict';
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');
const { setTimeout } = require('node:timers');

const histogram = monitorEventLoopDelay({ resolution: 1 });
let maxCpuMs = 0;
let running = true;

function tick(lastWall, lastCpu) {
  if (!running) return;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000;
  // The timer was due 1 ms after the last tick: what is past that was a block.
  const blockedMs = Math.min(wall - lastWall, cpuMs) - 1;
  if (blockedMs > maxCpuMs) maxCpuMs = blockedMs;
  setTimeout(() => tick(wall, cpu), 1).unref();
}

setTimeout(() => {
  histogram.enable();
  tick(performance.now(), process.cpuUsage());
}, 0).unref();

process.on('exit', () => {
  running = false;
  histogram.disable();
  const report = process.env.SECRET_GUARD_LOOP_REPORT;
  if (!report) return;
  writeFileSync(
    report,
    JSON.stringify({
      maxMs: histogram.max / 1e6,
      p99Ms: histogram.percentile(99) / 1e6,
      meanMs: histogram.mean / 1e6,
      maxCpuMs,
    }),
  );
});
