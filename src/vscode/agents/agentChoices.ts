/**
 * The agent picked in the chat view, and the params kept for each agent: remembered per
 * workspace in workspaceState, never in settings, so a repository cannot write them. A pick is the
 * user's own choice: it stands above `runtools.apiSlug`, below a command's explicit arguments.
 * The params of the picked agent go with its runs only (never to another agent a script names).
 */
import * as vscode from 'vscode';
import { checkAgentSlug, formatParams, parseAgentParams, rememberRecent, type Checked } from '../../core/agents/agentChoice';
import type { AgentView } from '../../core/viewProtocol';
import type { RunCommandArgs } from '../runs/runSummary';

const AGENTS_KEY = 'runtools.agents';

interface StoredAgents {
  /** The picked agent; none: the settings' agent. */
  current?: string;
  recent: string[];
  params: Record<string, Record<string, unknown>>;
}

export class AgentChoices implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  public readonly onDidChange = this.changed.event;

  constructor(private readonly storage: vscode.Memento) {}

  /** The picked agent and its params, or undefined when runs go to the settings' agent. */
  public get picked(): { apiSlug: string; params: Record<string, unknown> } | undefined {
    const { current, params } = this.stored();
    return current ? { apiSlug: current, params: params[current] ?? {} } : undefined;
  }

  /** Picks an agent with its params (the editor's JSON text); both are checked again here. */
  public async choose(apiSlug: string, paramsText: string): Promise<Checked<string>> {
    const slug = checkAgentSlug(apiSlug);
    if (!slug.ok) return slug;
    const params = parseAgentParams(paramsText);
    if (!params.ok) return params;
    const stored = this.stored();
    const next: StoredAgents = {
      current: slug.value,
      recent: rememberRecent(stored.recent, slug.value),
      params: { ...stored.params, [slug.value]: params.value },
    };
    // Params kept only for the agents still in the list.
    next.params = Object.fromEntries(Object.entries(next.params).filter(([key]) => next.recent.includes(key)));
    await this.storage.update(AGENTS_KEY, next);
    this.changed.fire();
    return slug;
  }

  /** Back to the settings' agent (the recent list and their params stay). */
  public async reset(): Promise<void> {
    await this.storage.update(AGENTS_KEY, { ...this.stored(), current: undefined });
    this.changed.fire();
  }

  /**
   * A run's arguments with the pick filled in where they leave it open: the agent when none is
   * named, and its params under the ones given. Arguments naming another agent are left alone.
   */
  public applyTo(args: RunCommandArgs): RunCommandArgs {
    const picked = this.picked;
    if (!picked || (args.apiSlug && args.apiSlug !== picked.apiSlug)) return args;
    return { ...args, apiSlug: picked.apiSlug, params: { ...picked.params, ...args.params } };
  }

  /** What the picker shows, given where runs go without a pick. */
  public view(fallback: { apiSlug: string; source: AgentView['source'] }, settingsSlug: string): AgentView {
    const { current, recent, params } = this.stored();
    return {
      apiSlug: current ?? fallback.apiSlug,
      source: current ? 'picked' : fallback.source,
      settingsSlug,
      recent: recent.map((apiSlug) => ({ apiSlug, params: formatParams(params[apiSlug]) })),
    };
  }

  private stored(): StoredAgents {
    const raw = this.storage.get<Partial<StoredAgents>>(AGENTS_KEY);
    return {
      current: typeof raw?.current === 'string' ? raw.current : undefined,
      recent: Array.isArray(raw?.recent) ? raw.recent.filter((s): s is string => typeof s === 'string') : [],
      params: raw?.params && typeof raw.params === 'object' ? raw.params : {},
    };
  }

  public dispose(): void {
    this.changed.dispose();
  }
}
