/**
 * Workspace trust (VS Code's Restricted Mode; other editors have no such notion and are
 * trusted). In a workspace that is not trusted the server analyses the text of the documents
 * the editor sends and nothing else: it reads no file (no `.git`, `.gitignore`,
 * `.secret-guard.yaml`, sibling files or other manifests), crawls no folder, and offers no fix
 * that edits another file. So `plaintext-in-repo`, `decrypted-leftover` and
 * `encryption-key-in-repo` are silent there, and cross-file checks see the open documents only.
 *
 * One flag per server process (one workspace), read where the disk would be read; the client
 * sets it at start (`initializationOptions.trusted`) and when trust is granted.
 */

let trusted = true;

/** Whether the server may read the workspace's files. */
export function isTrusted(): boolean {
  return trusted;
}

export function setTrusted(value: boolean): void {
  trusted = value;
}
