/**
 * Which base URL a run uses, and whether the user has to approve it first.
 *
 * The user's own choice is the user settings value, else RUNTOOLS_API_URL, else the default: the
 * "configured" origin, the only one the RUNTOOLS_API_KEY environment variable applies to. A value
 * from the workspace or folder settings comes from the repository, which anyone can write: it
 * wins as VS Code's settings do, but a run goes there only once the user approved its origin
 * (unless it is the configured origin anyway).
 */
import { originOf } from './apiOrigin';

export type BaseUrlSource = 'workspaceFolder' | 'workspace' | 'user' | 'environment' | 'default';

export interface BaseUrlLayers {
  workspaceFolder?: unknown;
  workspace?: unknown;
  user?: unknown;
  environment?: string;
}

export interface BaseUrlChoice {
  baseUrl: string;
  source: BaseUrlSource;
  /** The user's own choice (user settings, environment, default). */
  configured: { baseUrl: string; source: 'user' | 'environment' | 'default' };
  /** The chosen URL comes from the repository and names another origin than the configured one. */
  fromRepository: boolean;
}

export function chooseBaseUrl(layers: BaseUrlLayers, defaultUrl: string): BaseUrlChoice {
  const user = text(layers.user);
  const environment = text(layers.environment);
  const configured = user !== undefined ? { baseUrl: user, source: 'user' as const }
    : environment !== undefined ? { baseUrl: environment, source: 'environment' as const }
      : { baseUrl: defaultUrl, source: 'default' as const };
  const folder = text(layers.workspaceFolder);
  const workspace = text(layers.workspace);
  const repository = folder !== undefined ? { baseUrl: folder, source: 'workspaceFolder' as const }
    : workspace !== undefined ? { baseUrl: workspace, source: 'workspace' as const }
      : undefined;
  if (!repository) return { ...configured, configured, fromRepository: false };
  const sameOrigin = originOf(repository.baseUrl) !== undefined && originOf(repository.baseUrl) === originOf(configured.baseUrl);
  return { ...repository, configured, fromRepository: !sameOrigin };
}

/** Where a setting's value came from, for messages. */
export function describeBaseUrlSource(source: BaseUrlSource): string {
  switch (source) {
    case 'workspaceFolder': return "this folder's settings (.vscode/settings.json)";
    case 'workspace': return "this workspace's settings";
    case 'user': return 'your user settings';
    case 'environment': return 'the RUNTOOLS_API_URL environment variable';
    case 'default': return 'the default';
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
