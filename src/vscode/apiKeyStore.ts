import * as vscode from 'vscode';
import { ENV_API_KEY, SECRET_API_KEY } from './ids';
import type { SessionOverride } from './settings';

export type KeySource = 'localServer' | 'secret' | 'environment' | 'none';

/**
 * Where the API key comes from, in order: the local server of this window (Try Without an
 * Account), VS Code's SecretStorage, the RUNTOOLS_API_KEY environment variable. The key itself
 * is only ever handed to the run client: never to a setting, a log line or a webview.
 */
export class ApiKeyStore {
  private override: SessionOverride | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  public readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    secrets.onDidChange((event) => {
      if (event.key === SECRET_API_KEY) this.changed.fire();
    });
  }

  public setSessionOverride(override: SessionOverride | undefined): void {
    this.override = override;
    this.changed.fire();
  }

  public get sessionOverride(): SessionOverride | undefined {
    return this.override;
  }

  public async resolve(): Promise<{ key: string | undefined; source: KeySource }> {
    if (this.override) return { key: this.override.apiKey, source: 'localServer' };
    const stored = await this.secrets.get(SECRET_API_KEY);
    if (stored) return { key: stored, source: 'secret' };
    const fromEnvironment = process.env[ENV_API_KEY]?.trim();
    if (fromEnvironment) return { key: fromEnvironment, source: 'environment' };
    return { key: undefined, source: 'none' };
  }

  public async store(key: string): Promise<void> {
    await this.secrets.store(SECRET_API_KEY, key);
  }

  public async clear(): Promise<void> {
    await this.secrets.delete(SECRET_API_KEY);
  }

  public dispose(): void {
    this.changed.dispose();
  }
}

/** Keys start rt_live_ or rt_test_ (PROTOCOL.md 1); anything else is most likely a paste error. */
export function validateApiKey(value: string): string | undefined {
  const key = value.trim();
  if (!key) return 'Enter the key, or press Escape to cancel.';
  if (/\s/.test(key)) return 'A key has no spaces or line breaks.';
  if (!/^rt_(live|test)_/.test(key)) return 'RunTools keys start with rt_live_ or rt_test_.';
  return undefined;
}
