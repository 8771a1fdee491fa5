/**
 * `npm run fuzz -- [--seed N] [--inputs N | --minutes M] [--max-run CHARS] [--workers N]
 * [--only INDEX]`: the long fuzz run (the fixed-seed test in `npm test` is a short one).
 * Prints the inputs tried, the crashes and the slowest case; exits 1 on any crash.
 * Defaults: a seed from the clock (printed, to replay), 10 minutes, runs of up to 1 MB, one
 * worker per core.
 */
import { availableParallelism } from 'node:os';
import { describeReport, runFuzz } from './run';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  if (at !== -1) return args[at + 1];
  return args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function numberOption(name: string): number | undefined {
  const value = option(name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} takes a number, not "${value}"`);
  return parsed;
}

async function main(): Promise<number> {
  const seed = numberOption('seed') ?? Date.now() % 1_000_000;
  const inputs = numberOption('inputs');
  const minutes = numberOption('minutes') ?? (inputs === undefined ? 10 : undefined);
  const only = numberOption('only');
  process.stdout.write(
    `fuzzing with seed ${seed}${only !== undefined ? `, input ${only} only` : ''}: replay with npm run fuzz -- --seed ${seed}\n`,
  );
  let lastPrint = Date.now();
  const report = await runFuzz({
    seed,
    ...(inputs !== undefined ? { inputs } : {}),
    ...(minutes !== undefined ? { durationMs: minutes * 60_000 } : {}),
    ...(only !== undefined ? { only } : {}),
    workers: numberOption('workers') ?? availableParallelism(),
    maxRun: numberOption('max-run') ?? 1_048_576,
    maxFixes: numberOption('max-fixes') ?? 64,
    probes: 8,
    onProgress: (progress) => {
      if (Date.now() - lastPrint < 10_000) return;
      lastPrint = Date.now();
      process.stdout.write(
        `  ${progress.inputs} inputs, ${progress.failures.length} crashes, slowest ${progress.slowest?.ms.toFixed(0) ?? 0} ms\n`,
      );
    },
  });
  for (const line of describeReport(report)) process.stdout.write(`${line}\n`);
  return report.failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
