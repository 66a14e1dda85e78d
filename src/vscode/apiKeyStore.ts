import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { ENV_API_KEY, LEGACY_SECRET_API_KEY, SECRET_API_KEY_PREFIX } from './ids';
import type { SessionOverride } from './settings';

export type KeySource = 'localServer' | 'secret' | 'environment' | 'none';

/**
 * API keys, one per origin: a key stored for one origin is never handed out for another.
 * SecretStorage holds `runtools.apiKey:<origin>`; the RUNTOOLS_API_KEY environment variable
 * stands for the configured origin only (the user's own: user settings, RUNTOOLS_API_URL or the
 * default, never a repository's). "Try Without an Account" puts its local server and key in
 * front of both for this window. A key is only ever handed to the run client: never to a
 * setting, a log line or a webview.
 */
export class ApiKeyStore {
  private override: SessionOverride | undefined;
  private migration: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  public readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    /** The user's own origin, where the key of older versions moves (undefined while the setting is invalid). */
    private readonly configuredOrigin: () => string | undefined,
    private readonly logger: Logger,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(SECRET_API_KEY_PREFIX) || event.key === LEGACY_SECRET_API_KEY) this.changed.fire();
    });
  }

  public setSessionOverride(override: SessionOverride | undefined): void {
    this.override = override;
    this.changed.fire();
  }

  public get sessionOverride(): SessionOverride | undefined {
    return this.override;
  }

  /** The key for `origin`: the one stored for it, else RUNTOOLS_API_KEY when `origin` is the configured one. */
  public async keyFor(origin: string): Promise<{ key: string | undefined; source: KeySource }> {
    await this.migrateLegacyKey();
    const stored = await this.secrets.get(secretName(origin));
    if (stored) return { key: stored, source: 'secret' };
    const fromEnvironment = process.env[ENV_API_KEY]?.trim();
    if (fromEnvironment && origin === this.configuredOrigin()) return { key: fromEnvironment, source: 'environment' };
    return { key: undefined, source: 'none' };
  }

  public async store(origin: string, key: string): Promise<void> {
    await this.migrateLegacyKey();
    await this.secrets.store(secretName(origin), key);
  }

  public async clear(origin: string): Promise<void> {
    await this.migrateLegacyKey();
    await this.secrets.delete(secretName(origin));
  }

  /**
   * Versions before keys were kept per origin stored one key for whatever origin was in use.
   * It moves, once, to the configured origin: the user's own choice, which is where that key was
   * meant to go (a repository's baseUrl could have been in effect when it was set, but its origin
   * is exactly where a key must not follow). Nothing moves while the configured URL is invalid.
   */
  private migrateLegacyKey(): Promise<void> {
    this.migration ??= (async () => {
      const legacy = await this.secrets.get(LEGACY_SECRET_API_KEY);
      if (!legacy) return;
      const origin = this.configuredOrigin();
      if (!origin) {
        this.migration = undefined; // try again once the setting is valid
        return;
      }
      if (!(await this.secrets.get(secretName(origin)))) await this.secrets.store(secretName(origin), legacy);
      await this.secrets.delete(LEGACY_SECRET_API_KEY);
      this.logger.info(`the API key stored by an earlier version now belongs to ${origin} (your configured origin); keys are kept per origin`);
    })();
    return this.migration;
  }

  public dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function secretName(origin: string): string {
  return `${SECRET_API_KEY_PREFIX}${origin}`;
}

/** Keys start rt_live_ or rt_test_ (PROTOCOL.md 1); anything else is most likely a paste error. */
export function validateApiKey(value: string): string | undefined {
  const key = value.trim();
  if (!key) return 'Enter the key, or press Escape to cancel.';
  if (/\s/.test(key)) return 'A key has no spaces or line breaks.';
  if (!/^rt_(live|test)_/.test(key)) return 'RunTools keys start with rt_live_ or rt_test_.';
  return undefined;
}
