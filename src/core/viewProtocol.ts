/**
 * Messages between the extension host and its webviews (the sidebar chat view and the run panels),
 * declared once. The webview imports this file with `import type` only, so nothing of the host ends
 * up in the browser bundle. Both sides `switch` on `type` and end with `assertNever`.
 *
 * The host owns every run's state and event log; a webview is a view of it: on `reset` it throws
 * away what it shows and rebuilds from the snapshot, afterwards it applies the incremental messages.
 */
import * as v from 'valibot';
import { MAX_PARAMS_CHARS, MAX_SLUG_CHARS } from './agents/agentChoice';
import type { EditView } from './edits/editRecord';
import type { ChangedFile } from './review/changedFileTypes';
import type { RunEvent, RunStatus, TokenUsage } from './run/events';
import type { ContextChipView, ContextKind } from './context/contextItems';

/** Where a file_edit stands (the lifecycle is written down in src/core/edits/lifecycle.ts). */
export type { EditState } from './edits/lifecycle';
export type { EditView } from './edits/editRecord';
export type { ChangedFile, ChangedFileState } from './review/changedFileTypes';

/** One event in the log, stamped by the host. Long texts are cut for the view (`truncated`). */
export interface LoggedEvent {
  seq: number;
  /** ms since the run started. */
  at: number;
  event: RunEvent;
  /** Set when a text field was cut for display; the full text is available via `showFullOutput`. */
  truncated?: { field: string; fullLength: number };
}

export type RunViewStatus = 'starting' | 'running' | RunStatus;

export interface RunHeader {
  /** The extension's own id for the run (the server's run id may come late or never). */
  localId: string;
  prompt: string;
  /** Workspace-relative file and line range when the run was started on a selection. */
  selection?: { path: string; startLine: number; endLine: number };
  /** Workspace folder the edits go to. */
  folderName?: string;
  status: RunViewStatus;
  serverRunId?: string;
  startedAt: number;
  endedAt?: number;
  /** Exactly the agent's answer. */
  output?: string;
  /** What the extension has to say about the run beside the answer (e.g. why nothing was applied). */
  note?: string;
  usage?: TokenUsage;
  devUrl?: string;
  error?: { message: string; code?: string; requestId?: string; hint?: string };
  /** How edits are handled for this run: auto, review or off. */
  applyMode: 'auto' | 'review' | 'off';
  /** Set once the run's edits have been reverted. */
  undone?: boolean;
  /** The thread the run belongs to (the newer API), which a chat's follow-ups continue. */
  threadId?: string;
  /** How the extension follows the run on the server while it is active (after a drop, a reload). */
  connection?: RunConnectionView;
  /** What the running agent can be told; `question` while it waits for an answer. */
  control?: { available: boolean; paused: boolean; question?: string };
  /** The chat the run was sent from (history groups runs by it); New Chat starts another. */
  chatId?: string;
}

/** The connection to a running run, for the view: one line, and whether Retry helps. */
export interface RunConnectionView {
  state: 'connecting' | 'live' | 'reconnecting' | 'caughtUp' | 'gaveUp' | 'closed';
  /** What the view says, e.g. "Reconnecting (attempt 2)…" or "Caught up 37 events". */
  text: string;
  canRetry?: boolean;
}

export interface RunView extends RunHeader {
  events: LoggedEvent[];
  edits: EditView[];
  /** The run's changed files, each with its state and what is left to review. */
  files?: ChangedFile[];
}

export interface ViewSnapshot {
  viewKind: 'chat' | 'panel';
  version: string;
  /** chat: the conversation's runs, oldest first; panel: the one run it shows. */
  runs: RunView[];
  /** A run of this view is active (the composer shows Cancel instead of Send). */
  busy: boolean;
  /** Where the key comes from, never the key: lets the view explain how to start. */
  auth: 'secret' | 'environment' | 'none' | 'localServer';
  /**
   * Shown under the composer: the API origin and slug runs go to, and the target folder; and the
   * sandbox folder (`runtools.sandboxRoot`) whose paths the view shows workspace-relative.
   */
  target: { origin: string; apiSlug: string; folderName?: string; sandboxRoot?: string };
  /** The chat view's composer: its context chips and the agent picker (the panel has none). */
  composer?: ComposerState;
}

/** What the composer shows beside the prompt box; the host keeps it (src/vscode/context, src/vscode/agents). */
export interface ComposerState {
  chips: ContextChipView[];
  /** The chips' size together, e.g. "12 KB of 256 KB". */
  contextSize: string;
  agent: AgentView;
}

/** The agent picker: which agent runs go to, why, and the recent ones with the params kept for each. */
export interface AgentView {
  apiSlug: string;
  /** picked: in this view (kept per workspace); settings: runtools.apiSlug; localServer: Try Without an Account. */
  source: 'picked' | 'settings' | 'localServer' | 'none';
  /** The settings' agent, offered as "back to the settings". */
  settingsSlug: string;
  /** Newest first, each with its params as the JSON editor shows them (empty: none). */
  recent: { apiSlug: string; params: string }[];
}

/** Host -> webview. */
export type HostMessage =
  | { type: 'reset'; snapshot: ViewSnapshot }
  | { type: 'runStarted'; run: RunView }
  | { type: 'events'; localId: string; events: LoggedEvent[] }
  | { type: 'runUpdated'; localId: string; header: Partial<RunHeader> }
  | { type: 'editUpdated'; localId: string; edit: EditView }
  /** The run's changed files after any decision (the whole list: it is short). */
  | { type: 'filesUpdated'; localId: string; files: ChangedFile[] }
  | { type: 'busy'; busy: boolean }
  | { type: 'fullOutput'; localId: string; seq: number; text: string }
  /** The host did not start the prompt (a run is active, no key...): the composer gets it back. */
  | { type: 'promptRefused'; text: string; reason: string }
  /** The composer's chips or agent changed. */
  | { type: 'composerUpdated'; composer: ComposerState }
  /** A context chip or an agent the host did not take, and why (the composer shows it). */
  | { type: 'composerRefused'; reason: string };

/** Webview -> host. Every one is checked at run time against `viewMessageSchemas` below. */
export type ViewMessage =
  | { type: 'ready' }
  | { type: 'submitPrompt'; text: string }
  | { type: 'cancelRun'; localId: string }
  /** Talk to the run's agent over the run-stream socket (where the server has one). */
  | { type: 'pauseRun'; localId: string }
  | { type: 'resumeRun'; localId: string }
  | { type: 'answerRun'; localId: string; text: string }
  /** Follow a run again after the extension gave up following it. */
  | { type: 'retryRun'; localId: string }
  | { type: 'newChat' }
  | { type: 'openInEditor'; localId: string }
  | { type: 'openDiff'; localId: string; seq: number; path: string }
  | { type: 'openFile'; localId: string; seq: number; path: string }
  | { type: 'acceptEdit'; localId: string; seq: number }
  | { type: 'rejectEdit'; localId: string; seq: number }
  | { type: 'undoRun'; localId: string }
  /** Keep or Undo one changed file of the run, or (no path) all of them: runtools.keepChanges / undoChanges. */
  | { type: 'keepChanges'; localId: string; path?: string }
  | { type: 'undoChanges'; localId: string; path?: string }
  /** Opens a changed file at its first change. */
  | { type: 'openChange'; localId: string; path: string }
  /** Merges a conflicting edit of the file in the editor. */
  | { type: 'resolveConflict'; localId: string; path: string }
  | { type: 'reviewEdits'; localId: string }
  /** One of the run's own dev URLs: opened as `runtools.openDevUrl` says. */
  | { type: 'openDevUrl'; localId: string; url: string }
  /** A link in the agent's output: opened through VS Code's link protection, never in the Simple Browser. */
  | { type: 'openLink'; url: string }
  | { type: 'showFullOutput'; localId: string; seq: number }
  /** A code block's Insert at Cursor: the text goes into the active editor at its selection. */
  | { type: 'insertAtCursor'; text: string }
  | { type: 'runCommand'; command: ViewCommand }
  /** The composer's context: add a chip of a kind (`ask`: the host asks which), remove one. */
  | { type: 'addContext'; kind: ContextKind | 'ask' }
  | { type: 'removeContext'; id: string }
  /** The agent picker: run this agent with these params (the editor's JSON text), or go back to the settings' agent. */
  | { type: 'setAgent'; apiSlug: string; params: string }
  | { type: 'resetAgent' };

/** The only commands a webview may run (the no-key card's buttons, the error's Show Log). */
export const VIEW_COMMANDS = ['runtools.setApiKey', 'runtools.tryLocalServer', 'runtools.showLog'] as const;
export type ViewCommand = typeof VIEW_COMMANDS[number];

/*
 * The run-time shape of every ViewMessage, one entry per type: the host trusts nothing a webview
 * posts (its page renders the agent's output). Adding a message: one line in the union above,
 * one entry here; the compiler insists on both. Extra fields make a message malformed. The
 * webview imports this file with `import type` only, so valibot never reaches its bundle.
 */
const localId = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const path = v.pipe(v.string(), v.minLength(1), v.maxLength(4096));
const url = v.pipe(v.string(), v.minLength(1), v.maxLength(8192));
const message = <T extends v.ObjectEntries>(entries: T) => v.strictObject(entries);
const CONTEXT_KINDS = ['selection', 'file', 'openEditors', 'problems'] as const satisfies readonly ContextKind[];

export const viewMessageSchemas = {
  ready: message({ type: v.literal('ready') }),
  submitPrompt: message({ type: v.literal('submitPrompt'), text: v.pipe(v.string(), v.maxLength(1_000_000)) }),
  cancelRun: message({ type: v.literal('cancelRun'), localId }),
  pauseRun: message({ type: v.literal('pauseRun'), localId }),
  resumeRun: message({ type: v.literal('resumeRun'), localId }),
  answerRun: message({ type: v.literal('answerRun'), localId, text: v.pipe(v.string(), v.minLength(1), v.maxLength(100_000)) }),
  retryRun: message({ type: v.literal('retryRun'), localId }),
  newChat: message({ type: v.literal('newChat') }),
  openInEditor: message({ type: v.literal('openInEditor'), localId }),
  openDiff: message({ type: v.literal('openDiff'), localId, seq, path }),
  openFile: message({ type: v.literal('openFile'), localId, seq, path }),
  acceptEdit: message({ type: v.literal('acceptEdit'), localId, seq }),
  rejectEdit: message({ type: v.literal('rejectEdit'), localId, seq }),
  undoRun: message({ type: v.literal('undoRun'), localId }),
  keepChanges: message({ type: v.literal('keepChanges'), localId, path: v.optional(path) }),
  undoChanges: message({ type: v.literal('undoChanges'), localId, path: v.optional(path) }),
  openChange: message({ type: v.literal('openChange'), localId, path }),
  resolveConflict: message({ type: v.literal('resolveConflict'), localId, path }),
  reviewEdits: message({ type: v.literal('reviewEdits'), localId }),
  openDevUrl: message({ type: v.literal('openDevUrl'), localId, url }),
  openLink: message({ type: v.literal('openLink'), url }),
  showFullOutput: message({ type: v.literal('showFullOutput'), localId, seq }),
  insertAtCursor: message({ type: v.literal('insertAtCursor'), text: v.pipe(v.string(), v.maxLength(1_000_000)) }),
  runCommand: message({ type: v.literal('runCommand'), command: v.picklist(VIEW_COMMANDS) }),
  addContext: message({ type: v.literal('addContext'), kind: v.picklist([...CONTEXT_KINDS, 'ask']) }),
  removeContext: message({ type: v.literal('removeContext'), id: v.pipe(v.string(), v.minLength(1), v.maxLength(4200)) }),
  // The slug's and the params' rules are checked again by the host (core/agents/agentChoice.ts).
  setAgent: message({ type: v.literal('setAgent'), apiSlug: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_SLUG_CHARS)), params: v.pipe(v.string(), v.maxLength(MAX_PARAMS_CHARS)) }),
  resetAgent: message({ type: v.literal('resetAgent') }),
} satisfies { [K in ViewMessage['type']]: v.GenericSchema<Extract<ViewMessage, { type: K }>> };

/** A message from a webview as it is, or why it is dropped (for the log: never the whole message). */
export function parseViewMessage(raw: unknown): { ok: true; message: ViewMessage } | { ok: false; reason: string } {
  const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') return { ok: false, reason: 'a message without a type' };
  const shown = JSON.stringify(type.slice(0, 40));
  if (!Object.hasOwn(viewMessageSchemas, type)) return { ok: false, reason: `an unknown message type ${shown}` };
  const result = v.safeParse(viewMessageSchemas[type as ViewMessage['type']], raw);
  if (result.success) return { ok: true, message: result.output as ViewMessage };
  const issue = result.issues[0];
  const where = issue.path?.map((p) => String(p.key)).join('.') || 'the message';
  return { ok: false, reason: `a malformed ${shown} message (${where}: ${issue.message})` };
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}
