import * as vscode from 'vscode';
import type { ApplyMode } from '../core/applyMode';
import type { ApiStyle } from '../core/run';
import { DEFAULT_BASE_URL, ENV_API_URL, SETTINGS_SECTION, Settings } from './ids';

export type ApplyEditsSetting = ApplyMode;
export type OpenDevUrlSetting = 'simpleBrowser' | 'external' | 'off';

/** The `runtools.*` settings a run needs, read fresh for each run (settings are read where used). */
export interface RunSettings {
  baseUrl: string;
  apiSlug: string;
  apiStyle: ApiStyle;
  stream: boolean;
  params: Record<string, unknown>;
  context: Record<string, unknown>;
  mounts: { workspaceId: string; path: string }[];
  sandboxRoot: string;
  applyEdits: ApplyEditsSetting;
  openDevUrl: OpenDevUrlSetting;
  requestTimeoutSeconds: number;
}

/** What "Try Without an Account" puts in front of the settings for this window only. */
export interface SessionOverride {
  baseUrl: string;
  apiSlug: string;
  apiKey: string | undefined;
}

export function readRunSettings(scope?: vscode.Uri): RunSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const get = <T>(key: string, fallback: T): T => config.get<T>(key, fallback) ?? fallback;
  return {
    baseUrl: resolveBaseUrl(config),
    apiSlug: get(Settings.apiSlug, '').trim(),
    apiStyle: get<string>(Settings.apiStyle, 'slug') === 'agent' ? 'agent' : 'slug',
    stream: get(Settings.stream, true),
    params: objectOrEmpty(get<unknown>(Settings.params, {})),
    context: objectOrEmpty(get<unknown>(Settings.context, {})),
    mounts: mountsOf(get<unknown>(Settings.mounts, [])),
    sandboxRoot: get(Settings.sandboxRoot, '/workspace').trim() || '/workspace',
    applyEdits: oneOf(get<string>(Settings.applyEdits, 'auto'), ['auto', 'review', 'off'] as const, 'auto'),
    openDevUrl: oneOf(get<string>(Settings.openDevUrl, 'simpleBrowser'), ['simpleBrowser', 'external', 'off'] as const, 'simpleBrowser'),
    requestTimeoutSeconds: clamp(get(Settings.requestTimeoutSeconds, 120), 5, 3600),
  };
}

/** An explicitly set `runtools.baseUrl` wins; else RUNTOOLS_API_URL; else the default. */
function resolveBaseUrl(config: vscode.WorkspaceConfiguration): string {
  const inspected = config.inspect<string>(Settings.baseUrl);
  const explicit = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
  if (explicit && explicit.trim()) return explicit.trim();
  return process.env[ENV_API_URL]?.trim() || DEFAULT_BASE_URL;
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

function oneOf<T extends string>(value: string, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
