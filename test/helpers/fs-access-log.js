// Preloaded (`node --require`) into a language server under test: appends every path that the
// server hands to node:fs (read, list, stat, open, watch) to the file named by
// SECRET_GUARD_FS_LOG, one `<function> <path>` a line. The untrusted-workspace tests read it to
// prove that a server in Restricted Mode touches no file of the workspace.
'use strict';
const fs = require('node:fs');
const { URL } = require('node:url');
const { Buffer } = require('node:buffer');

const log = process.env.SECRET_GUARD_FS_LOG;
if (log) {
  let writing = false;
  const record = (name, target) => {
    if (writing) return;
    writing = true;
    try {
      const text =
        typeof target === 'string'
          ? target
          : target instanceof URL
            ? target.pathname
            : Buffer.isBuffer(target)
              ? target.toString('utf8')
              : typeof target === 'number'
                ? `fd:${target}`
                : String(target);
      fs.appendFileSync(log, `${name} ${text}\n`);
    } catch {
      // Logging is best effort.
    } finally {
      writing = false;
    }
  };
  const wrap = (owner, name, label) => {
    const original = owner[name];
    if (typeof original !== 'function') return;
    owner[name] = function (...args) {
      record(label, args[0]);
      return original.apply(this, args);
    };
  };
  const names = [
    'readFile',
    'readFileSync',
    'readdir',
    'readdirSync',
    'opendir',
    'opendirSync',
    'stat',
    'statSync',
    'lstat',
    'lstatSync',
    'open',
    'openSync',
    'exists',
    'existsSync',
    'access',
    'accessSync',
    'realpath',
    'realpathSync',
    'createReadStream',
    'watch',
    'watchFile',
  ];
  for (const name of names) wrap(fs, name, name);
  for (const name of [
    'readFile',
    'readdir',
    'opendir',
    'stat',
    'lstat',
    'open',
    'access',
    'realpath',
  ]) {
    wrap(fs.promises, name, `promises.${name}`);
  }
}
