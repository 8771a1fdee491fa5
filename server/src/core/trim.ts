/**
 * `text` without the runs of `char` at its start and end, in linear time. The regular
 * expression that says the same, `/^-+|-+$/g`, retries `-+$` from every dash of each run
 * inside the text: quadratic, ten seconds for a 100 KB key turned into a name.
 */
export function trimRuns(text: string, char: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === char) start++;
  while (end > start && text[end - 1] === char) end--;
  return text.slice(start, end);
}

/** `text` without the trailing characters that are in `chars` (see {@link trimRuns}). */
export function trimEnd(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1] ?? '')) end--;
  return text.slice(0, end);
}

/**
 * Splits `text` before its trailing white space (spaces, tabs, line breaks), so that a regular
 * expression anchored at the end (`…$`) can run on the tail alone: run on the whole text, it
 * would be retried from every line break of a long blank run inside it.
 */
export function splitTrailingSpace(text: string): [string, string] {
  const end = trimEnd(text, ' \t\r\n').length;
  return [text.slice(0, end), text.slice(end)];
}
