import type * as vscode from 'vscode';
import { APPROVED_ORIGINS_STATE } from './ids';

/**
 * The API origins from workspace or folder settings that the user approved, once each, in a
 * question only the user can answer (runTarget.ts). Kept in globalState, never in settings: a
 * repository can write settings files, and no webview message can reach this.
 */
export class OriginApprovals {
  constructor(private readonly state: vscode.Memento) {}

  public isApproved(origin: string): boolean {
    return this.list().includes(origin);
  }

  public async approve(origin: string): Promise<void> {
    if (!this.isApproved(origin)) await this.state.update(APPROVED_ORIGINS_STATE, [...this.list(), origin]);
  }

  public async forget(origin: string): Promise<void> {
    await this.state.update(APPROVED_ORIGINS_STATE, this.list().filter((o) => o !== origin));
  }

  private list(): string[] {
    const value = this.state.get<unknown>(APPROVED_ORIGINS_STATE);
    return Array.isArray(value) ? value.filter((o): o is string => typeof o === 'string') : [];
  }
}
