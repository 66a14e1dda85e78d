/**
 * The normalised events of a run, as every consumer (webview, patch planner, tests) sees them.
 * The wire format (docs/protocol.md section 3) is looser; the run client turns every frame into one
 * of these and never throws on a frame it does not understand (it becomes `unknown`).
 */

export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  /** Any other counters the server sent, kept for display. */
  [counter: string]: number | undefined;
}

export interface ThinkingEvent { type: 'thinking'; content: string }
export interface ToolCallEvent { type: 'tool_call'; tool: string; input: unknown }
/** `output` is text; JSON output is kept as its JSON text. */
export interface ToolResultEvent { type: 'tool_result'; output: string; tool?: string }
export interface FileEditEvent {
  type: 'file_edit';
  /** Sandbox path, as sent (mapping onto the workspace is the patch engine's job). */
  path: string;
  /** The diff text in any dialect of docs/protocol.md section 4; may be empty for delete/rename. */
  diff: string;
  /** create | modify | update | delete | rename, or whatever the server sent. */
  action?: string;
  /** Target of a rename, when the server names one (`newPath`, `to` or `new_path` on the wire). */
  newPath?: string;
}
export interface DevUrlEvent { type: 'dev_url'; url: string; port?: number }
export interface ErrorEvent { type: 'error'; message: string; code?: string }
export interface CompleteEvent {
  type: 'complete';
  output?: string;
  /** The newer API's `result`, any JSON. */
  result?: unknown;
  files?: string[];
  devUrl?: string;
  usage?: TokenUsage;
  status?: string;
  /** For a failed run: what the server says went wrong. */
  error?: { message: string; code?: string };
}
/** Anything else: shown raw, never fatal. `data` is the parsed JSON, or the text when not JSON. */
export interface UnknownEvent { type: 'unknown'; event: string; data: unknown }

export type RunEvent =
  | ThinkingEvent
  | ToolCallEvent
  | ToolResultEvent
  | FileEditEvent
  | DevUrlEvent
  | ErrorEvent
  | CompleteEvent
  | UnknownEvent;

export type RunEventType = RunEvent['type'];

/** Final state of a run as the extension reports it. */
export type RunStatus = 'completed' | 'failed' | 'cancelled' | 'interrupted';
