/**
 * `secret-guard-ls`: the language server over stdio (the default), node IPC or a socket, as
 * chosen by the standard `--stdio`, `--node-ipc`, `--socket=<port>` arguments.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { crashReport } from './guard';
import { startServer } from './server';
import { SERVER_NAME, SERVER_VERSION } from './server-info';

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`${SERVER_VERSION}\n`);
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    `${SERVER_NAME} ${SERVER_VERSION}: the Secret Guard for Kubernetes language server\n\n` +
      'usage: secret-guard-ls [--stdio | --node-ipc | --socket=<port>]\n' +
      'With no transport argument it speaks LSP over stdin/stdout.\n',
  );
} else {
  const transports = ['--stdio', '--node-ipc', '--socket', '--pipe', '--clientProcessId'];
  if (!args.some((arg) => transports.some((transport) => arg.startsWith(transport)))) {
    process.argv.push('--stdio');
  }
  // Node's own report of a crash prints the error's message, which may quote a manifest:
  // report the class and the frames instead. A rejection is logged and the server goes on;
  // an uncaught exception leaves it in an unknown state, so it exits and the client restarts it.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(crashReport(SERVER_NAME, reason));
  });
  process.on('uncaughtException', (error) => {
    process.stderr.write(crashReport(SERVER_NAME, error));
    process.exit(1);
  });
  startServer(createConnection(ProposedFeatures.all));
}
