/**
 * The options every manifest is parsed with: YAML as Kubernetes reads it (YAML 1.1 resolution
 * through go-yaml v2). Shared by the `yaml` parse and its fast path (fast-yaml.ts), which must
 * build the same documents.
 */
import type { DocumentOptions, ParseOptions, SchemaOptions, Tags } from 'yaml';

/**
 * go-yaml v2 knows no sexagesimal numbers (`1:20` stays a string) and sigs.k8s.io/yaml turns
 * timestamps back into strings, so neither is a non-string value to Kubernetes.
 */
function goYamlTags(tags: Tags): Tags {
  return tags.filter((tag) => {
    if (typeof tag !== 'object' || tag === null) return true;
    const format = 'format' in tag ? tag.format : undefined;
    return format !== 'TIME' && tag.tag !== 'tag:yaml.org,2002:timestamp';
  });
}

/** How a manifest's documents are parsed. */
export const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: false,
  prettyErrors: false,
  customTags: goYamlTags,
  // `yaml` reports some conversions through process.emitWarning, which Node prints on stderr
  // with the text of a key: nothing of a manifest may reach a log that way.
  logLevel: 'error',
};
