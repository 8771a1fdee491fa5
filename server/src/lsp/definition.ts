/**
 * Go to definition from a Secret's name or key in a pod spec (`secretKeyRef`, `secretRef`,
 * `secret.secretName`, volume `items[].key`) to the Secrets that define it.
 */
import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseFile } from '../core/parse';
import { secretDefinitionsAt } from '../core/references';
import { secretLookupForFile } from '../core/secret-index';
import type { SecretLookup } from '../core/secret-index';
import { pathOfUri, uriOfPath } from './uri';

export function provideDefinition(
  document: TextDocument,
  params: DefinitionParams,
  secrets: SecretLookup | undefined,
): Location[] {
  const text = document.getText();
  const path = pathOfUri(document.uri);
  // The document's own current text wins over what the index read of its file.
  const lookup = secretLookupForFile(secrets, path, text, parseFile(text)).lookup;
  return secretDefinitionsAt(text, document.offsetAt(params.position), lookup).map(
    (definition) => ({
      uri:
        definition.path === undefined || definition.path === path
          ? document.uri
          : uriOfPath(definition.path),
      range: { start: definition.span.startPosition, end: definition.span.endPosition },
    }),
  );
}
