// Runs one in-process measurement of targets.mjs in a fresh process (its own heap and caches,
// so that one measurement's garbage does not slow the next) and prints its result as JSON.
import * as targets from './targets.mjs';

const [task, inputIndex] = process.argv.slice(2);
const input = targets.inputs()[Number(inputIndex)];
const result = await targets[task](input);
process.stdout.write(JSON.stringify(result));
