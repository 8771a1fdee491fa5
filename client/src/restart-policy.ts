/**
 * What the client does when the language server's connection fails: restart a crashed server
 * (a crash must not leave the user without checks), and say so once per session rather than on
 * every crash; give up, and say that, when it keeps crashing. No `vscode` import, so that a
 * unit test drives it; extension.ts turns its decisions into languageclient actions and
 * notifications.
 */

/** What to do after the connection closed unexpectedly. */
export interface CloseDecision {
  restart: boolean;
  /** Shown to the user when set (a warning when restarting, an error when giving up). */
  message?: string;
}

export class RestartPolicy {
  private readonly restarts: number[] = [];
  private toldRestart = false;

  /**
   * @param maxRestarts restarts allowed within `windowMs` (languageclient's default: 4 in 3 min)
   * @param now the clock (tests pass their own)
   */
  constructor(
    private readonly maxRestarts = 4,
    private readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The server's connection closed without the client stopping it. */
  closed(): CloseDecision {
    const now = this.now();
    while (this.restarts.length > 0 && now - (this.restarts[0] ?? now) >= this.windowMs) {
      this.restarts.shift();
    }
    if (this.restarts.length >= this.maxRestarts) {
      return {
        restart: false,
        message: `Secret Guard's language server stopped ${this.maxRestarts + 1} times in ${Math.round(this.windowMs / 60_000)} minutes and was not restarted; reload the window to start it again.`,
      };
    }
    this.restarts.push(now);
    if (this.toldRestart) return { restart: true };
    this.toldRestart = true;
    return {
      restart: true,
      message: "Secret Guard's language server stopped unexpectedly and was restarted.",
    };
  }

  /**
   * An error reading from or writing to the server: go on while there are few (the close
   * handler decides once the connection is gone), shut the connection down past three.
   */
  error(count: number | undefined): 'continue' | 'shutdown' {
    return (count ?? 1) <= 3 ? 'continue' : 'shutdown';
  }
}
