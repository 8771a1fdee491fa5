import { looksPasswordName } from '../credentials';
import { isSecret, secretValuesOf } from '../model';
import { resolveSecretValue } from '../secret-values';
import { contentRange } from '../fixes/yaml-edit';
import { isWeakPassword } from '../weak-passwords';
import type { Rule } from './types';

/**
 * A password that attackers try first. Reads each `data` (decoded as the API server does) and
 * `stringData` value of a `v1` Secret whose key is password-like (credentials.ts
 * `looksPasswordName`: `password`, `passwd`, `pass`, `pwd`, `passphrase`, `secret`, and names
 * ending in them such as `db-password` or `adminPassword`; not tokens or API keys, which a
 * system issues) and compares it, ignoring case and one trailing line break, with the
 * built-in list (weak-passwords.ts: the most used breached passwords and software defaults).
 * Templated values are never read; `changeme`/`changeit` are flagged: a manifest applied with
 * one of them runs with it. The range is the value.
 */
export const rule: Rule = {
  id: 'weak-credential',
  severity: 'warning',
  summary: 'A Secret password is a common default or breached password.',
  check({ document, objects, report }) {
    for (const secret of objects.filter(isSecret)) {
      for (const entry of secretValuesOf(secret)) {
        if (!looksPasswordName(entry.key) || !entry.value) continue;
        const resolved = resolveSecretValue(entry, document.text);
        if (resolved.state !== 'bytes') continue;
        const text = resolved.bytes.toString('utf8');
        if (!Buffer.from(text, 'utf8').equals(resolved.bytes) || !isWeakPassword(text)) continue;
        const [start, end] = contentRange(document.text, entry.value);
        report({
          start,
          end,
          message:
            `${entry.field}.${entry.key} of Secret ${secret.name ?? '(unnamed)'} is a common ` +
            'default or breached password (in the built-in list of weak passwords): it is ' +
            'among the first an attacker tries; use a long random one',
        });
      }
    }
  },
};
