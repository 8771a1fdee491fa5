/**
 * Masking for screen sharing: one status-bar toggle (and command) that hides every decoded
 * value from hovers and inlay hints at once, remembered per workspace. The server is told with
 * the `secretGuard/setMasked` notification (and `initializationOptions.masked` at start).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SET_MASKED_NOTIFICATION } from '../../server/src/lsp/protocol';
import type { SetMaskedParams } from '../../server/src/lsp/protocol';

const STATE_KEY = 'secretGuard.masked';

export class Masking implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private client: LanguageClient | undefined;

  constructor(
    private readonly state: vscode.Memento,
    commandId: string,
  ) {
    this.item = vscode.window.createStatusBarItem(
      'secretGuard.masking',
      vscode.StatusBarAlignment.Right,
      100,
    );
    this.item.name = 'Secret Guard: mask decoded values';
    this.item.command = commandId;
    this.render();
    this.item.show();
  }

  get masked(): boolean {
    return this.state.get<boolean>(STATE_KEY, false);
  }

  /** The client to notify; until it is set, the state only goes to `initializationOptions`. */
  attach(client: LanguageClient): void {
    this.client = client;
  }

  async toggle(): Promise<boolean> {
    const masked = !this.masked;
    await this.state.update(STATE_KEY, masked);
    this.render();
    const params: SetMaskedParams = { masked };
    await this.client?.sendNotification(SET_MASKED_NOTIFICATION, params);
    return masked;
  }

  private render(): void {
    const masked = this.masked;
    this.item.text = masked ? '$(eye-closed) Secrets masked' : '$(eye) Secrets';
    this.item.tooltip = masked
      ? 'Decoded Secret values are hidden from hovers and inline hints (screen sharing). Click to show them.'
      : 'Decoded Secret values show in hovers (and inline hints). Click to hide them all, e.g. before sharing your screen.';
  }

  dispose(): void {
    this.item.dispose();
  }
}
