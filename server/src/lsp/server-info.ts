/** Identity reported in `initialize` and by `--version`. */
export const SERVER_NAME = 'secret-guard-ls';
export const SERVER_VERSION = '0.1.0';
