/**
 * A workspace full of known secret values for the no-leak test (test/lsp/no-leak.test.ts): the
 * examples (which trip every rule but two) copied into a git work tree of their own, plus files
 * for the rest (a Secret over the size limit, an alias bomb beside a password, a Secret the
 * workspace index must hold), each with values of its own.
 *
 * The known values are read back from the files, not listed by hand, so that a new example is
 * covered as soon as it is added: every string value of a Secret's `data` (as written and
 * decoded) and `stringData` (as written and as base64), the ConfigMap values and env `value`s
 * that the rules call secret, EncryptionConfiguration keys (as written and decoded), and the
 * user names, passwords and `auth` fields inside docker configs; for multi-line values, each
 * long line too. Values
 * shorter than 10 characters, placeholders, SOPS ciphertext and values that are also a name or
 * a key in the files are left out (`payments` is a user name and part of `payments-api`).
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { decodeGoBase64 } from '../../server/src/core/base64';
import {
  detectCredential,
  findSecretSetting,
  looksSecretName,
} from '../../server/src/core/credentials';
import { parseFile } from '../../server/src/core/parse';
import { isPlaceholder } from '../../server/src/core/placeholders';
import { entriesOf } from '../../server/src/core/yaml-nodes';
import { fakeChars } from './fake-credentials';
import { REPO_ROOT } from './paths';

/** A value and the form it was found in (for the failure message). */
export interface KnownValue {
  value: string;
  form: string;
  file: string;
}

const MIN_LENGTH = 10;

/** Distinctive values for the generated files: never in a message by chance. */
export const GENERATED = {
  sizeLimitChunk: `zq-size-${fakeChars(24, 101)}`,
  bombPassword: `zq-bomb-${fakeChars(24, 102)}`,
  indexedPassword: `zq-index-${fakeChars(24, 103)}`,
};

/** Writes the workspace under `root` (a git work tree); returns the manifest paths. */
export function writeLeakWorkspace(root: string): string[] {
  mkdirSync(join(root, '.git', 'refs'), { recursive: true });
  mkdirSync(join(root, '.git', 'objects'), { recursive: true });
  writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  cpSync(join(REPO_ROOT, 'examples'), join(root, 'examples'), { recursive: true });
  mkdirSync(join(root, 'generated'));
  // size-limit: over 1 MiB decoded.
  const big = GENERATED.sizeLimitChunk.repeat(
    Math.ceil(1_100_000 / GENERATED.sizeLimitChunk.length),
  );
  writeFileSync(
    join(root, 'generated', 'too-big.yaml'),
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: too-big\nstringData:\n  blob: ${big}\n`,
  );
  // analysis-limit: an alias bomb beside a password, which must not leak either.
  let bomb = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: bomb\nstringData:\n  password: ${GENERATED.bombPassword}\n  l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
  for (let i = 1; i < 9; i++) {
    bomb += `  l${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]\n`;
  }
  writeFileSync(join(root, 'generated', 'bomb.yaml'), bomb);
  // A Secret only the index knows (never opened), referenced from an open file.
  writeFileSync(
    join(root, 'generated', 'indexed.yaml'),
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: indexed\nstringData:\n  password: ${GENERATED.indexedPassword}\n`,
  );
  writeFileSync(
    join(root, 'generated', 'uses-indexed.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      env:\n        - name: P\n          valueFrom:\n            secretKeyRef: {name: indexed, key: pasword}\n',
  );
  return manifestsUnder(root);
}

function manifestsUnder(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (name === '.git') return [];
      if (statSync(path).isDirectory()) return manifestsUnder(path);
      return /\.(?:ya?ml|json)$/.test(name) ? [path] : [];
    });
}

function stringsUnder(node: Node | null | undefined, out: string[]): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string') out.push(node.value);
    else if (node.source !== undefined) out.push(String(node.source));
  } else if (isMap(node)) {
    for (const entry of entriesOf(node)) stringsUnder(entry.value, out);
  } else if (isSeq(node)) {
    for (const item of node.items) stringsUnder(item as Node, out);
  }
}

/** Values inside a JSON text (a docker config): every string, and decoded `auth` fields. */
function jsonStrings(text: string, out: string[]): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      out.push(value);
      if (key === 'auth') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        out.push(decoded, ...decoded.split(':'));
      }
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, k);
    }
  };
  visit(parsed, '');
}

/** Every known value of the files, in every form a leak could take. */
export function knownValues(root: string, files: readonly string[]): KnownValue[] {
  const found = new Map<string, KnownValue>();
  const add = (value: string, form: string, file: string): void => {
    const candidates = [value, ...value.split(/\r?\n/)].map((v) => v.trim());
    for (const candidate of candidates) {
      if (candidate.length < MIN_LENGTH || isPlaceholder(candidate)) continue;
      if (/^ENC\[/.test(candidate) || /^-----(?:BEGIN|END) /.test(candidate)) continue;
      if (!found.has(candidate)) found.set(candidate, { value: candidate, form, file });
    }
  };
  const addEncoded = (value: string, form: string, file: string): void => {
    add(value, `${form} as written`, file);
    const decoded = decodeGoBase64(value);
    if (!decoded.ok) return;
    const text = decoded.bytes.toString('utf8');
    add(text, `${form} decoded`, file);
    const inner: string[] = [];
    jsonStrings(text, inner);
    inner.forEach((v) => add(v, `${form} decoded, in its JSON`, file));
  };
  const addPlain = (value: string, form: string, file: string): void => {
    add(value, `${form} as written`, file);
    add(Buffer.from(value, 'utf8').toString('base64'), `${form} as base64`, file);
    const inner: string[] = [];
    jsonStrings(value, inner);
    inner.forEach((v) => add(v, `${form}, in its JSON`, file));
  };
  for (const path of files) {
    const file = relative(root, path);
    const text = readFileSync(path, 'utf8');
    for (const document of parseFile(text)) {
      const contents = document.document.contents;
      if (!isMap(contents)) continue;
      const kind = entriesOf(contents).find((e) => e.key === 'kind');
      const kindText = isScalar(kind?.value) ? String(kind?.value.value) : '';
      for (const entry of entriesOf(contents)) {
        if (kindText === 'Secret' && (entry.key === 'data' || entry.key === 'stringData')) {
          for (const item of entriesOf(entry.value)) {
            const values: string[] = [];
            stringsUnder(item.value, values);
            for (const value of values) {
              if (entry.key === 'data') addEncoded(value, `Secret data.${item.key}`, file);
              else addPlain(value, `Secret stringData.${item.key}`, file);
            }
          }
        }
        // A ConfigMap entry is a secret when a rule would say so: a secret-looking key, a
        // known credential, or a `password = …` line in a configuration file.
        if (kindText === 'ConfigMap' && entry.key === 'data') {
          for (const item of entriesOf(entry.value)) {
            const values: string[] = [];
            stringsUnder(item.value, values);
            for (const value of values) {
              if (looksSecretName(item.key) || detectCredential(value)) {
                addPlain(value, `ConfigMap data.${item.key}`, file);
              }
              for (const line of value.split('\n')) {
                if (findSecretSetting(line))
                  add(line.replace(/^[^=:]*[=:]\s*/, ''), `ConfigMap ${item.key} setting`, file);
              }
            }
          }
        }
      }
    }
    // Env values under secret-looking names, or that are credentials; encryption keys.
    for (const match of text.matchAll(/-\s+name:\s*"?([\w.-]+)"?\s*\n\s*value:\s*(.+)/g)) {
      const value = (match[2] ?? '').trim().replace(/^["']|["']$/g, '');
      if (looksSecretName(match[1] ?? '') || detectCredential(value))
        add(value, `env ${match[1] ?? ''}`, file);
    }
    for (const match of text.matchAll(/^\s*secret:\s*(\S+)\s*$/gm)) {
      addEncoded((match[1] ?? '').replace(/^["']|["']$/g, ''), 'an encryption key', file);
    }
  }
  // A value that is also a name or a key somewhere (`payments-api` as a data value and as a
  // Secret's name) cannot be told apart in a message: it is left out.
  const names = new Set<string>();
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(/^\s*(?:-\s+)?([\w./-]+):(?:\s+(\S+))?/gm)) {
      names.add(match[1] ?? '');
      if (/(?:name|namespace|key|path|Path|ref|Ref|type|kind|apiVersion)"?$/.test(match[1] ?? '')) {
        names.add((match[2] ?? '').replace(/^["']|["',]$/g, ''));
      }
    }
  }
  return [...found.values()].filter((known) => !names.has(known.value));
}

/** Every string inside a JSON value (keys included), for leak checks. */
export function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((item) => stringLeaves(item, out));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out.push(key);
      stringLeaves(item, out);
    }
  }
  return out;
}

/** The known values found in `texts`: each with where it was found. */
export function leaksIn(
  texts: readonly { where: string; text: string }[],
  values: readonly KnownValue[],
): string[] {
  const leaks: string[] = [];
  for (const { where, text } of texts) {
    for (const known of values) {
      const at = text.indexOf(known.value);
      if (at !== -1) {
        // The context helps tell a leak from a value that is also, say, a name: test data.
        const context = text.slice(Math.max(0, at - 60), at + known.value.length + 20);
        leaks.push(`${where} holds ${known.form} of ${known.file}: ${JSON.stringify(context)}`);
      }
    }
  }
  return leaks;
}
