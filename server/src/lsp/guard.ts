/**
 * Nothing that goes wrong inside the server may crash it or carry a value out of it. An
 * error's message can quote its input (`JSON.parse` puts the text it failed on in its
 * message), and `vscode-jsonrpc` sends a throwing request handler's message to the client as
 * "Request … failed with message: …" and logs a throwing notification handler's message. So
 * every handler registered on the connection is wrapped: an error becomes a log line and an
 * error response that name the error's class only.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Connection } from 'vscode-languageserver/node';

/** An error's class name, never its message. */
export function errorClass(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

type Handler = (...args: unknown[]) => unknown;

/**
 * `handler`, made safe: an exception or rejection is logged as `<what> failed: <Class>` and
 * answered with an InternalError response that says as much (ignored for notifications).
 */
export function guardHandler(what: string, handler: Handler, log: (line: string) => void): Handler {
  const failed = (error: unknown): ResponseError<void> => {
    log(`${what} failed: ${errorClass(error)}`);
    return new ResponseError(
      ErrorCodes.InternalError,
      `Secret Guard could not handle ${what} (${errorClass(error)})`,
    );
  };
  return (...args: unknown[]) => {
    try {
      const result = handler(...args);
      return isThenable(result) ? Promise.resolve(result).catch(failed) : result;
    } catch (error) {
      return failed(error);
    }
  };
}

/**
 * The connection, with every handler that is registered through it (`onHover`, `onRequest`,
 * `languages.inlayHint.on`, the ones `TextDocuments.listen` registers, …) wrapped by
 * {@link guardHandler}. A proxy, so that handlers added later by any feature are guarded too.
 */
export function guardConnection(connection: Connection): Connection {
  const log = (line: string): void => connection.console.error(line);
  const wrap = <T extends object>(target: T, path: string): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        const name = typeof property === 'string' ? property : '';
        if (typeof value === 'function' && /^on[A-Z]?/.test(name) && name !== 'onDispose') {
          return (...args: unknown[]) => {
            const first = args[0] as { method?: unknown } | string | undefined;
            const what =
              typeof first === 'string'
                ? first
                : typeof first === 'object' && first !== null && typeof first.method === 'string'
                  ? first.method
                  : `${path}${name}`;
            const guarded = args.map((arg) =>
              typeof arg === 'function' ? guardHandler(what, arg as Handler, log) : arg,
            );
            return (value as Handler).apply(object, guarded);
          };
        }
        if (typeof value === 'function') return (value as Handler).bind(object);
        // Feature namespaces: connection.languages.inlayHint.on, connection.workspace.on…
        if (
          typeof value === 'object' &&
          value !== null &&
          [
            'languages',
            'workspace',
            'window',
            'client',
            'notebooks',
            'inlayHint',
            'semanticTokens',
            'diagnostics',
            'inlineValue',
            'typeHierarchy',
            'callHierarchy',
            'moniker',
            'foldingRange',
            'onDidChangeWorkspaceFolders',
          ].includes(name)
        ) {
          return wrap(value, `${path}${name}.`);
        }
        return value;
      },
    });
  return wrap(connection, '');
}

/**
 * What a crashing process writes instead of Node's default report: the error's class and the
 * stack's frames (where, in our code), never the message.
 */
export function crashReport(program: string, error: unknown): string {
  const frames =
    error instanceof Error && typeof error.stack === 'string'
      ? error.stack
          .split('\n')
          .filter((line) => /^\s+at /.test(line))
          .slice(0, 10)
      : [];
  return `${program}: internal error (${errorClass(error)})\n${frames.join('\n')}${frames.length > 0 ? '\n' : ''}`;
}
