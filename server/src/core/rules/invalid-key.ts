import { doubleQuoted } from '../fixes/scalar-text';
import { isSecret, secretValuesOf } from '../model';
import { isTemplated } from '../placeholders';
import { isMergeKey, kubernetesKeyOf, quotedKey, secretKeyProblems } from '../secret-keys';
import { contentRange } from '../fixes/yaml-edit';
import type { Rule } from './types';

/**
 * The API server merges `stringData` into `data` and checks every key with `IsConfigMapKey`
 * (k8s.io/apimachinery/pkg/util/validation): at most 253 characters, only `[-._a-zA-Z0-9]`, not
 * `.` or `..`, not starting with `..`. A key that fails is rejected with `Invalid value`.
 *
 * Before that, sigs.k8s.io/yaml turns a key that YAML 1.1 reads as a boolean or a number into
 * its JSON text (`yes:` becomes the key `true`, `0644:` the key `420`) and rejects a null key;
 * such keys are reported too, with a fix that quotes the key as typed.
 */
export const rule: Rule = {
  id: 'invalid-key',
  severity: 'error',
  summary: 'A data or stringData key that Kubernetes rejects or renames.',
  check({ document, objects, report }) {
    for (const secret of objects.filter(isSecret)) {
      for (const entry of secretValuesOf(secret)) {
        const keyNode = entry.keyNode;
        if (isMergeKey(keyNode)) continue;
        const [start, end] = contentRange(document.text, keyNode);
        // A templated key (`{{ .Values.name }}: …`) is only known after rendering.
        if (isTemplated(document.text.slice(start, end))) continue;
        const name = kubernetesKeyOf(keyNode);
        const where = `${entry.field} key ${quotedKey(entry.key)}`;
        if (name.readAs === 'null') {
          report({
            start,
            end,
            message: `${where} is null under YAML 1.1: kubectl rejects a null map key`,
          });
          continue;
        }
        // `true:` or `420:` stays the key that was typed; `yes:` and `0644:` do not.
        if (name.readAs && name.key !== entry.key) {
          report({
            start,
            end,
            message: `${where} is ${name.readAs} under YAML 1.1, not a string: the Secret gets the key ${quotedKey(name.key)}`,
            fixes: [
              {
                title: 'Quote the key',
                edits: [{ start, end, newText: doubleQuoted(entry.key) }],
                isPreferred: true,
              },
            ],
          });
          continue;
        }
        const problems = secretKeyProblems(name.key);
        if (problems.length === 0) continue;
        report({
          start,
          end,
          message: `${where} is not a valid Secret key: ${problems.join('; ')}`,
        });
      }
    }
  },
};
