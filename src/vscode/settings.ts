import * as vscode from 'vscode';
import type { ApplyMode } from '../core/applyMode';
import type { ApiStyle } from '../core/run';
import { chooseBaseUrl, type BaseUrlChoice } from '../core/trust/baseUrlChoice';
import { protectedPatterns, type ProtectedPattern } from '../core/trust/protectedPaths';
import { strictestOf } from '../core/trust/tightenOnly';
import { DEFAULT_BASE_URL, ENV_API_URL, SETTINGS_SECTION, Settings } from './ids';

export type ApplyEditsSetting = ApplyMode;
export type OpenDevUrlSetting = 'simpleBrowser' | 'external' | 'off';

/**
 * The `runtools.*` settings a run needs, read fresh for each run (settings are read where used).
 *
 * Scopes (package.json), chosen so that every setting works in every kind of window: none is
 * `machine` or `machine-overridable`, because a remote window (code-server, Remote-SSH, WSL,
 * Codespaces) drops those from the user settings at the first configuration change.
 *   - `window`: one value per window, from user, remote or workspace settings: the API origin,
 *     agent, request shape and options (the chat view shows one target for the whole window).
 *   - `resource`: may differ per folder of a multi-root workspace: how paths map (sandboxRoot),
 *     how edits apply (applyEdits) and which paths are protected.
 * `restricted` (ignored in the workspace settings of an untrusted workspace): the settings that
 * decide where the user's code and key go or what is sent with them: baseUrl, apiSlug, params,
 * context, mounts.
 * Safety settings follow the tighten-only rule (core/trust/tightenOnly.ts): a repository's value
 * may make them stricter than the user's, never looser.
 */
export interface RunSettings {
  /** Where runs go, and whether that origin came from the repository (runTarget.ts asks first). */
  baseUrl: BaseUrlChoice;
  apiSlug: string;
  apiStyle: ApiStyle;
  stream: boolean;
  params: Record<string, unknown>;
  context: Record<string, unknown>;
  mounts: { workspaceId: string; path: string }[];
  sandboxRoot: string;
  /** Tighten-only: the strictest of the user's (or default) and the repository's values. */
  applyEdits: ApplyEditsSetting;
  /** The user's list (or the defaults) plus what the repository adds; never fewer. */
  protectedPaths: ProtectedPattern[];
  /** Tighten-only, like applyEdits. */
  openDevUrl: OpenDevUrlSetting;
  requestTimeoutSeconds: number;
}

/** What "Try Without an Account" puts in front of the settings for this window only. */
export interface SessionOverride {
  baseUrl: string;
  apiSlug: string;
  apiKey: string | undefined;
}

/** Loosest first: a repository may only move a setting to the right. */
const APPLY_EDITS_ORDER = ['auto', 'review', 'off'] as const;
const OPEN_DEV_URL_ORDER = ['external', 'simpleBrowser', 'off'] as const;

export function readRunSettings(scope?: vscode.Uri): RunSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const get = <T>(key: string, fallback: T): T => config.get<T>(key, fallback) ?? fallback;
  return {
    baseUrl: readBaseUrl(config),
    apiSlug: get(Settings.apiSlug, '').trim(),
    apiStyle: get<string>(Settings.apiStyle, 'slug') === 'agent' ? 'agent' : 'slug',
    stream: get(Settings.stream, true),
    params: objectOrEmpty(get<unknown>(Settings.params, {})),
    context: objectOrEmpty(get<unknown>(Settings.context, {})),
    mounts: mountsOf(get<unknown>(Settings.mounts, [])),
    sandboxRoot: get(Settings.sandboxRoot, '/workspace').trim() || '/workspace',
    applyEdits: strictestOf(config.inspect(Settings.applyEdits), APPLY_EDITS_ORDER, 'auto').value,
    protectedPaths: protectedPatterns(config.inspect(Settings.protectedPaths)),
    openDevUrl: strictestOf(config.inspect(Settings.openDevUrl), OPEN_DEV_URL_ORDER, 'simpleBrowser').value,
    requestTimeoutSeconds: clamp(get(Settings.requestTimeoutSeconds, 120), 5, 3600),
  };
}

/**
 * Each layer of `runtools.baseUrl` as VS Code has it (in an untrusted workspace VS Code already
 * leaves out the workspace's, the setting being `restricted`), plus RUNTOOLS_API_URL.
 */
function readBaseUrl(config: vscode.WorkspaceConfiguration): BaseUrlChoice {
  const inspected = config.inspect<string>(Settings.baseUrl);
  return chooseBaseUrl({
    workspaceFolder: inspected?.workspaceFolderValue,
    workspace: inspected?.workspaceValue,
    user: inspected?.globalValue,
    environment: process.env[ENV_API_URL],
  }, DEFAULT_BASE_URL);
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function mountsOf(value: unknown): { workspaceId: string; path: string }[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (m): m is { workspaceId: string; path: string } => !!m && typeof m.workspaceId === 'string' && typeof m.path === 'string',
  );
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
