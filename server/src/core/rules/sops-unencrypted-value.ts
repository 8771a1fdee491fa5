import { contentRange } from '../fixes/yaml-edit';
import { isSecret, secretValuesOf } from '../model';
import type { ParsedDocument } from '../parse';
import type { Rule } from './types';
import { entriesOf, entryOf, isMap, isScalar, isSeq, stringAt } from '../yaml-nodes';
import type { Node, Scalar, YAMLMap } from '../yaml-nodes';

/** aes/cipher.go `encre`: the only encrypted form sops reads (anchored at the start only). */
const ENCRYPTED_VALUE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;

/** sops.go DefaultUnencryptedSuffix. */
const DEFAULT_UNENCRYPTED_SUFFIX = '_unencrypted';

/**
 * The crypt rules of a SOPS file's metadata (stores/stores.go `Metadata.ToInternal`): at most
 * one of these is set; with none, `unencrypted_suffix` defaults to `_unencrypted`.
 */
interface CryptRules {
  unencryptedSuffix?: string;
  encryptedSuffix?: string;
  unencryptedRegex?: RegExp;
  encryptedRegex?: RegExp;
  unencryptedCommentRegex?: RegExp;
  encryptedCommentRegex?: RegExp;
  /** `unencrypted_suffix "_unencrypted"`: how the message names the rule in force. */
  described: string;
}

/**
 * A value that SOPS would have encrypted but that is in plain text: it was added or edited
 * after the file was encrypted (or pasted in from a decrypted copy). It is readable by anyone
 * who can read the file, and `sops --decrypt` fails on it: sops.go `Tree.Decrypt` hands every
 * value in an encrypted position to the cipher, which rejects a string that is not
 * `ENC[AES256_GCM,...]` ("Could not decrypt value") and cannot take a number or boolean.
 *
 * Which values SOPS encrypts follows getsops/sops `Tree.shouldBeEncrypted` (sops.go) exactly,
 * with the rules from the document's own `sops` metadata (SOPS writes it into every document
 * of a multi-document file; a document without it is skipped):
 * - `unencrypted_suffix` (default `_unencrypted` when no rule is set): a value is left plain
 *   when ANY key on its path, at any depth, ends with the suffix (so `stringData_unencrypted:`
 *   exempts every key under it);
 * - `encrypted_suffix`: only values with a key on their path ending with it are encrypted;
 * - `unencrypted_regex` / `encrypted_regex`: the same with a Go regular expression searched in
 *   each key (`regexp.Match`, unanchored), e.g. Flux's `^(data|stringData)$`;
 * - `unencrypted_comment_regex` / `encrypted_comment_regex`: matched against the comments
 *   that yaml.v3 attaches before a key at each level of the path (the comment lines directly
 *   above it, and a comment at the end of its line), text after `#`.
 * Rules are applied in sops' order, the later overriding the earlier (sops refuses files with
 * more than one). A regex that JavaScript cannot evaluate as Go would (`\A`, `\z`, `\Q`,
 * POSIX classes, `\p{...}`, inline flag groups other than a leading `(?i)`, `(?s)`, `(?m)`)
 * makes the rule stay silent for that document rather than guess.
 * `mac_only_encrypted` only changes what the MAC covers, and `version`, `lastmodified` and the
 * key groups say nothing about which values are encrypted: they are not read.
 *
 * sops leaves empty strings and nulls as they are (aes/cipher.go `isEmpty`; sops.go
 * `walkValue` returns nil for nil), so those are never flagged. Placeholders and templates are
 * flagged: sops would have encrypted them too, and decrypting fails on them all the same.
 */
export const rule: Rule = {
  id: 'sops-unencrypted-value',
  severity: 'error',
  summary: 'A Secret value in a SOPS-encrypted file is not encrypted.',
  check({ document, objects, file, report }) {
    if (!file.sopsEncrypted) return;
    const root = document.document.contents;
    const sops = entryOf(root, 'sops')?.value;
    if (!isMap(sops) || entryOf(sops, 'mac') === undefined) return;
    const rules = cryptRulesOf(sops);
    if (!rules) return;
    for (const secret of objects.filter(isSecret)) {
      // Sequence items add no path component in sops (sops.go walkSlice).
      const prefix = secret.root === root ? [] : ['items'];
      for (const entry of secretValuesOf(secret)) {
        const field = entryOf(secret.root, entry.field);
        if (!field) continue;
        const items = prefix.length > 0 ? entryOf(root, 'items') : undefined;
        const levels: Level[] = [
          ...(items ? [{ key: items.keyNode, value: items.value }] : []),
          { key: field.keyNode, value: field.value },
          { key: entry.keyNode, value: entry.value },
        ];
        for (const leaf of leavesOf(entry.value, [...prefix, entry.field, entry.key], levels)) {
          const value: unknown = leaf.node.value;
          if (value === null || value === '') continue;
          if (typeof value === 'string' && ENCRYPTED_VALUE.test(value)) continue;
          const comments = (): string[] => commentsAlong(document, leaf.levels);
          const tooLong = (text: string): boolean => text.length > MAX_MATCHED_LENGTH;
          const commentRules = rules.unencryptedCommentRegex ?? rules.encryptedCommentRegex;
          if (leaf.path.some(tooLong) || (commentRules && comments().some(tooLong))) continue;
          if (!shouldBeEncrypted(rules, leaf.path, comments)) continue;
          const [start, end] = contentRange(document.text, leaf.node);
          report({
            start,
            end,
            message: `${leaf.path.slice(prefix.length).join('.')} is not encrypted, but the rules of this SOPS-encrypted file (${rules.described}) say it should be: the value is readable and sops --decrypt fails on it; encrypt the file again`,
          });
        }
      }
    }
  },
};

/** A mapping entry on the way to a value: where the comment rules look for comments. */
interface Level {
  key: Node;
  value: Node | null;
}

/** A scalar under a Secret value, with the sops path (mapping keys only) that leads to it. */
interface Leaf {
  node: Scalar;
  path: string[];
  levels: Level[];
}

/** The scalars of a value: itself, or those inside a map or sequence (sops walks into both). */
function leavesOf(node: Node | null, path: string[], levels: Level[]): Leaf[] {
  if (isScalar(node)) return [{ node, path, levels }];
  if (isMap(node)) {
    return entriesOf(node).flatMap((entry) =>
      leavesOf(
        entry.value,
        [...path, entry.key],
        [...levels, { key: entry.keyNode, value: entry.value }],
      ),
    );
  }
  if (isSeq(node)) return (node.items as Node[]).flatMap((item) => leavesOf(item, path, levels));
  return [];
}

/** Reads the crypt rules, or undefined when one of them cannot be evaluated faithfully. */
function cryptRulesOf(sops: YAMLMap): CryptRules | undefined {
  const text = (key: string): string | undefined => {
    const value = stringAt(sops, key);
    return value === undefined || value === '' ? undefined : value;
  };
  const rules: CryptRules = { described: '' };
  const described: string[] = [];
  const unencryptedSuffix = text('unencrypted_suffix');
  const encryptedSuffix = text('encrypted_suffix');
  if (unencryptedSuffix !== undefined) rules.unencryptedSuffix = unencryptedSuffix;
  if (encryptedSuffix !== undefined) rules.encryptedSuffix = encryptedSuffix;
  for (const [key, field] of [
    ['unencrypted_regex', 'unencryptedRegex'],
    ['encrypted_regex', 'encryptedRegex'],
    ['unencrypted_comment_regex', 'unencryptedCommentRegex'],
    ['encrypted_comment_regex', 'encryptedCommentRegex'],
  ] as const) {
    const source = text(key);
    if (source === undefined) continue;
    const regex = goRegExp(source);
    if (!regex) return undefined;
    rules[field] = regex;
    described.push(`${key} ${JSON.stringify(source)}`);
  }
  if (encryptedSuffix !== undefined) {
    described.unshift(`encrypted_suffix ${JSON.stringify(encryptedSuffix)}`);
  }
  if (unencryptedSuffix !== undefined) {
    described.unshift(`unencrypted_suffix ${JSON.stringify(unencryptedSuffix)}`);
  }
  if (described.length === 0) {
    rules.unencryptedSuffix = DEFAULT_UNENCRYPTED_SUFFIX;
    described.push(`default unencrypted_suffix ${JSON.stringify(DEFAULT_UNENCRYPTED_SUFFIX)}`);
  }
  rules.described = described.join(' and ');
  return rules;
}

/**
 * A Go (RE2) regular expression as a JavaScript one, for the syntax both read alike; undefined
 * for what JavaScript reads differently or not at all.
 */
function goRegExp(source: string): RegExp | undefined {
  let body = source;
  let flags = '';
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading) {
    const letters = leading[1] ?? '';
    if (letters.includes('U')) return undefined;
    flags = [...new Set(letters)].join('');
    body = body.slice(leading[0].length);
  }
  body = body.replace(/\(\?P</g, '(?<');
  if (/\\[AzQEpP]|\[\[:|\(\?(?![:<])|\(\?<[=!]/.test(body)) return undefined;
  if (!isLinearEnough(body)) return undefined;
  try {
    const regex = new RegExp(body, flags);
    regex.test(''); // JavaScript compiles lazily: a pattern too large to compile fails here
    return regex;
  } catch {
    return undefined;
  }
}

/**
 * Go matches with RE2, in time linear in the key; JavaScript backtracks, and a hostile file's
 * `encrypted_regex: (a+)+$` would take forever on one key. Only patterns that backtrack at
 * most polynomially over the short texts they see (keys of at most 253 characters, see
 * {@link MAX_MATCHED_LENGTH}) are evaluated: at most 256 characters, no back-reference, no
 * quantified group, and at most two unbounded quantifiers (`*`, `+`, `{n,}`). Real rules
 * (`^(data|stringData)$`, `_unencrypted$`, `sops:enc`) are far inside.
 */
function isLinearEnough(body: string): boolean {
  if (body.length > 256 || /\\[1-9k]/.test(body)) return false;
  let unbounded = 0;
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    const next = body[i + 1];
    const quantified = next === '*' || next === '+' || next === '?' || next === '{';
    if (c === ')' && quantified) return false;
    if (c === '*' || c === '+' || (c === '{' && /^\{\d*,\}/.test(body.slice(i)))) unbounded++;
  }
  return unbounded <= 2;
}

/**
 * Keys and comments longer than this are not matched against the file's regular expressions
 * (a Kubernetes key has at most 253 characters; invalid-key reports longer ones): the rule
 * stays silent on such a value rather than spend superlinear time on it.
 */
const MAX_MATCHED_LENGTH = 253;

/** sops.go `Tree.shouldBeEncrypted`, in its order, for a value (not a comment). */
function shouldBeEncrypted(
  rules: CryptRules,
  path: readonly string[],
  comments: () => string[],
): boolean {
  let encrypted = true;
  const { unencryptedSuffix, encryptedSuffix } = rules;
  if (unencryptedSuffix !== undefined && path.some((key) => key.endsWith(unencryptedSuffix))) {
    encrypted = false;
  }
  if (encryptedSuffix !== undefined) {
    encrypted = path.some((key) => key.endsWith(encryptedSuffix));
  }
  if (rules.unencryptedRegex && path.some((key) => rules.unencryptedRegex?.test(key))) {
    encrypted = false;
  }
  if (rules.encryptedRegex) {
    encrypted = path.some((key) => rules.encryptedRegex?.test(key));
  }
  if (
    rules.unencryptedCommentRegex &&
    comments().some((c) => rules.unencryptedCommentRegex?.test(c))
  ) {
    encrypted = false;
  }
  if (rules.encryptedCommentRegex) {
    encrypted = comments().some((c) => rules.encryptedCommentRegex?.test(c));
  }
  return encrypted;
}

/**
 * The comments in force along a path, as yaml.v3 and sops' YAML store attach them: at each
 * level, the comment lines directly above the key (blank lines between are allowed; lines
 * indented deeper than the key belong to the previous entry's content) and a comment at the
 * end of the key's line. Each is the text after `#`, as sops keeps it.
 */
function commentsAlong(document: ParsedDocument, levels: readonly Level[]): string[] {
  const text = document.text;
  const comments: string[] = [];
  for (const level of levels) {
    const keyRange = level.key.range;
    if (!keyRange) continue;
    const lineStart = text.lastIndexOf('\n', keyRange[0] - 1) + 1;
    const column = keyRange[0] - lineStart;
    const startsLine = /^[ \t-]*$/.test(text.slice(lineStart, keyRange[0]));
    if (startsLine) {
      const above: string[] = [];
      let cursor = lineStart;
      while (cursor > 0) {
        const previousStart = text.lastIndexOf('\n', cursor - 2) + 1;
        const line = text.slice(previousStart, cursor - 1).replace(/\r$/, '');
        const comment = /^([ \t]*)#(.*)$/.exec(line);
        if (comment) {
          if ((comment[1] ?? '').length <= column) above.unshift((comment[2] ?? '').trimEnd());
        } else if (!/^[ \t]*$/.test(line)) {
          break;
        }
        cursor = previousStart;
      }
      for (const comment of above) comments.push(comment); // not push(...): may be 100,000s
    }
    const value = level.value;
    const sameLineScalar =
      isScalar(value) &&
      value.range &&
      value.type !== 'BLOCK_LITERAL' &&
      value.type !== 'BLOCK_FOLDED' &&
      !text.slice(keyRange[1], value.range[0]).includes('\n');
    const from = sameLineScalar && value.range ? value.range[1] : keyRange[1];
    const lineEnd = text.indexOf('\n', from);
    const rest = text.slice(from, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
    const trailing = /(?:^|[ \t])#(.*)$/.exec(rest);
    if (trailing) comments.push((trailing[1] ?? '').trimEnd());
  }
  return comments;
}
