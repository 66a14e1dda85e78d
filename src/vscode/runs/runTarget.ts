import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { checkApiBaseUrl } from '../../core/trust/apiOrigin';
import { describeBaseUrlSource, type BaseUrlSource } from '../../core/trust/baseUrlChoice';
import type { ApiKeyStore, KeySource } from '../apiKeyStore';
import { Commands, ENV_API_KEY } from '../ids';
import type { OriginApprovals } from '../originApprovals';
import { ask } from '../questions';
import { readRunSettings, type RunSettings } from '../settings';
import type { RunCommandArgs } from './runSummary';

/** Where a run goes and with which key: decided once, before the run leaves any trace. */
export interface RunTarget {
  baseUrl: string;
  origin: string;
  /** undefined only for the local server of "Try Without an Account" when it needs none. */
  apiKey: string | undefined;
  keySource: KeySource;
  originSource: BaseUrlSource | 'localServer';
  apiSlug: string;
  settings: RunSettings;
}

/** Why a run did not start: one message, and the buttons that help. */
export interface RunRefusal {
  code: 'invalid_base_url' | 'no_api_slug' | 'no_api_key' | 'origin_not_approved';
  message: string;
  actions: { title: string; command: string; args?: unknown[] }[];
}

export type RunTargetResult = { ok: true; target: RunTarget } | { ok: false; refusal: RunRefusal };

/** What the views show under the composer: where runs go (never the key). */
export interface TargetPreview {
  origin: string;
  apiSlug: string;
  auth: KeySource;
}

const OPEN_SETTINGS = (query: string) => ({ title: 'Open Settings', command: 'workbench.action.openSettings', args: [query] });

/**
 * Resolves the run target from the settings, the session's local server, the key kept for the
 * origin and the user's approval of a repository's origin. The rules (core/trust): plain http
 * only for this machine; a key only for the origin it was stored for (RUNTOOLS_API_KEY: the
 * configured origin only); a baseUrl from workspace or folder settings only once the user
 * approved its origin, in a question only the user (or the extension's own tests) can answer.
 */
export class RunTargets implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** The key, the local server or an approval changed: what the views show may have too. */
  public readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly keys: ApiKeyStore, private readonly approvals: OriginApprovals, private readonly logger: Logger) {
    this.subscription = keys.onDidChange(() => this.changed.fire());
  }

  public async resolve(args: RunCommandArgs, folder: vscode.WorkspaceFolder | undefined): Promise<RunTargetResult> {
    const settings = readRunSettings(folder?.uri);
    const override = this.keys.sessionOverride;
    if (override) {
      const checked = checkApiBaseUrl(override.baseUrl);
      if (!checked.ok) return refuse('invalid_base_url', `${checked.message} ${checked.hint}`, []);
      return { ok: true, target: { baseUrl: checked.baseUrl, origin: checked.origin, apiKey: override.apiKey, keySource: 'localServer', originSource: 'localServer', apiSlug: args.apiSlug ?? override.apiSlug, settings } };
    }

    const choice = settings.baseUrl;
    const checked = checkApiBaseUrl(choice.baseUrl);
    if (!checked.ok) {
      return refuse('invalid_base_url', `The run did not start: runtools.baseUrl (from ${describeBaseUrlSource(choice.source)}) is not usable. ${checked.message} ${checked.hint}`, [OPEN_SETTINGS('runtools.baseUrl')]);
    }
    const apiSlug = args.apiSlug ?? settings.apiSlug;
    if (!apiSlug) {
      return refuse('no_api_slug', 'No agent is set: set "runtools.apiSlug" to the slug of your deployed agent (or pass apiSlug to the command).', [OPEN_SETTINGS('runtools.apiSlug')]);
    }
    const { key, source } = await this.keys.keyFor(checked.origin);
    if (!key) {
      const where = choice.fromRepository ? ` (named by ${describeBaseUrlSource(choice.source)})` : '';
      return refuse('no_api_key', `No RunTools API key is set for ${checked.origin}${where}. Set one (it is kept in VS Code's secret storage and sent only to that origin), set ${ENV_API_KEY} (used for your configured origin only), or try the local server, which needs no account.`, [
        { title: 'Set API Key...', command: Commands.setApiKey },
        { title: 'Try Without an Account', command: Commands.tryLocalServer },
      ]);
    }
    if (choice.fromRepository && !this.approvals.isApproved(checked.origin)) {
      const approved = await this.askApproval(checked.origin, choice.source, choice.configured.baseUrl);
      if (!approved) {
        return refuse('origin_not_approved', `The run did not start: runtools.baseUrl in ${describeBaseUrlSource(choice.source)} sends runs to ${checked.origin}, which you have not approved, so nothing was sent there. Run again and allow it, or remove runtools.baseUrl from those settings to use your own origin (${displayOrigin(choice.configured.baseUrl)}).`, [
          { title: 'Open Workspace Settings', command: 'workbench.action.openWorkspaceSettingsFile' },
        ]);
      }
    }
    return { ok: true, target: { baseUrl: checked.baseUrl, origin: checked.origin, apiKey: key, keySource: source, originSource: choice.source, apiSlug, settings } };
  }

  /** Where runs would go now, for the views: asks nothing. */
  public async preview(): Promise<TargetPreview> {
    const settings = readRunSettings();
    const override = this.keys.sessionOverride;
    if (override) return { origin: displayOrigin(override.baseUrl), apiSlug: override.apiSlug, auth: 'localServer' };
    const checked = checkApiBaseUrl(settings.baseUrl.baseUrl);
    if (!checked.ok) return { origin: 'invalid runtools.baseUrl', apiSlug: settings.apiSlug, auth: 'none' };
    const pending = settings.baseUrl.fromRepository && !this.approvals.isApproved(checked.origin);
    return {
      origin: pending ? `${checked.origin} (from ${describeBaseUrlSource(settings.baseUrl.source)}, asks before the first run)` : checked.origin,
      apiSlug: settings.apiSlug,
      auth: (await this.keys.keyFor(checked.origin)).source,
    };
  }

  /** The origin a key typed now belongs to: where runs go by the settings (the local server aside). */
  public keyOrigin(): { ok: true; origin: string; fromRepository: boolean } | { ok: false; message: string } {
    const { baseUrl } = readRunSettings();
    const checked = checkApiBaseUrl(baseUrl.baseUrl);
    return checked.ok ? { ok: true, origin: checked.origin, fromRepository: baseUrl.fromRepository } : { ok: false, message: `${checked.message} ${checked.hint}` };
  }

  private async askApproval(origin: string, source: BaseUrlSource, configuredBaseUrl: string): Promise<boolean> {
    const allow = `Allow Runs to ${origin}`;
    const answer = await ask({
      kind: 'approveOrigin',
      modal: true,
      severity: 'warning',
      message: `${capitalise(describeBaseUrlSource(source))} send RunTools runs to ${origin}. Allow it?`,
      detail: `runtools.baseUrl there names ${origin} instead of your own origin (${displayOrigin(configuredBaseUrl)}). A repository's settings can be written by anyone who commits to it. Runs there receive your prompts, selections and file context, and the API key stored for ${origin} (never a key of another origin). You are asked once for each origin.`,
      choices: [allow],
    }).then(undefined, (error: unknown) => {
      // A dialog the window refuses to show (extension-test mode) is a question not answered.
      this.logger.warn(`the question about ${origin} could not be shown: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    if (answer !== allow) {
      this.logger.info(`runs to ${origin} (from ${describeBaseUrlSource(source)}) were not approved`);
      return false;
    }
    await this.approvals.approve(origin);
    this.logger.info(`runs to ${origin} (from ${describeBaseUrlSource(source)}) approved by the user`);
    this.changed.fire();
    return true;
  }

  public dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The user's own origin (user settings, RUNTOOLS_API_URL or the default), or undefined while it is invalid. */
export function configuredOrigin(): string | undefined {
  const checked = checkApiBaseUrl(readRunSettings().baseUrl.configured.baseUrl);
  return checked.ok ? checked.origin : undefined;
}

/** Shows the refusal with its buttons (through ask, so tests see it) without waiting for an answer. */
export function showRefusal(refusal: RunRefusal): void {
  void ask({ kind: 'runRefused', message: `RunTools: ${refusal.message}`, choices: refusal.actions.map((a) => a.title) }).then((answer) => {
    const action = refusal.actions.find((a) => a.title === answer);
    if (action) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  });
}

function refuse(code: RunRefusal['code'], message: string, actions: RunRefusal['actions']): RunTargetResult {
  return { ok: false, refusal: { code, message, actions } };
}

function displayOrigin(baseUrl: string): string {
  const checked = checkApiBaseUrl(baseUrl);
  return checked.ok ? checked.origin : baseUrl;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
