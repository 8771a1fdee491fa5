/** The `secret-guard` bin's entry point. */
import { runCli } from '../cli';

try {
  process.exitCode = runCli(process.argv.slice(2));
} catch (error) {
  // An internal error's message may quote input: print only its class.
  process.stderr.write(
    `secret-guard: internal error (${error instanceof Error ? error.name : 'unknown'})\n`,
  );
  process.exitCode = 2;
}
