import type { RunStatus, TokenUsage } from '../../core/run';

/**
 * What `runtools.runPrompt` and `runtools.runSelection` resolve with, once the run has ended and
 * its edits were handled: the contract other extensions, tasks and tests script against.
 * Paths are workspace-relative.
 */
export interface RunSummary {
  id?: string;
  /** The extension's own id of the run (history, undo, review). */
  localId?: string;
  status: RunStatus;
  /** Exactly the agent's answer. */
  output?: string;
  /** What the extension has to say beside it (e.g. why nothing was applied). */
  note?: string;
  devUrl?: string;
  files: string[];
  applied: string[];
  conflicts: { path: string; reason: string }[];
  refused: { path: string; reason: string }[];
  /** Edits whose write failed (nothing of them is on disk). */
  failed?: { path: string; reason: string }[];
  /** Edits waiting to be accepted: review mode, an untrusted workspace, protected paths. */
  pending?: string[];
  usage?: TokenUsage;
  error?: { code?: string; message: string; requestId?: string };
}

/** Arguments `runtools.runPrompt` / `runtools.runSelection` take; with a `message` they ask nothing. */
export interface RunCommandArgs {
  message?: string;
  params?: Record<string, unknown>;
  context?: Record<string, unknown>;
  mounts?: { workspaceId: string; path: string }[];
  apiSlug?: string;
  /** Target workspace folder (its name or URI) in a multi-root workspace. */
  folder?: string;
  /** Continue this thread (the newer API style): a chat's follow-ups pass their chat's thread. */
  threadId?: string;
}

export function parseRunCommandArgs(value: unknown): RunCommandArgs {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const raw = value as Record<string, unknown>;
  const record = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  return {
    message: typeof raw.message === 'string' ? raw.message : undefined,
    params: record(raw.params),
    context: record(raw.context),
    mounts: Array.isArray(raw.mounts) ? (raw.mounts as RunCommandArgs['mounts']) : undefined,
    apiSlug: typeof raw.apiSlug === 'string' && raw.apiSlug.trim() ? raw.apiSlug.trim() : undefined,
    folder: typeof raw.folder === 'string' ? raw.folder : undefined,
    threadId: typeof raw.threadId === 'string' && raw.threadId.trim() ? raw.threadId.trim() : undefined,
  };
}
