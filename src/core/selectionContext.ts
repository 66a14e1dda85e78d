/**
 * What a run started on an editor selection sends: the selection goes both into `context` (for
 * agents that read it) and into the message as a fenced block (for agents that only read the
 * message). Line numbers are 1-based and inclusive.
 */
export interface SelectionInput {
  /** Workspace-relative POSIX path. */
  path: string;
  languageId: string;
  /** The selected text (the whole line when nothing was selected). */
  text: string;
  startLine: number;
  endLine: number;
  /** The full text of lines startLine..endLine. */
  linesText: string;
  workspaceName?: string;
}

/** Longest selection we send; beyond this the agent gets the start and a note. */
export const MAX_SELECTION_CHARS = 100_000;

export function selectionContext(input: SelectionInput): Record<string, unknown> {
  return {
    ...(input.workspaceName ? { workspace: input.workspaceName } : {}),
    file: { path: input.path, language: input.languageId },
    selection: {
      text: cap(input.text),
      startLine: input.startLine,
      endLine: input.endLine,
      linesText: cap(input.linesText),
    },
  };
}

export function selectionMessage(prompt: string, input: SelectionInput): string {
  const fence = longestBacktickRun(input.text) >= 3 ? '`'.repeat(longestBacktickRun(input.text) + 1) : '```';
  const lines = input.startLine === input.endLine ? `line ${input.startLine}` : `lines ${input.startLine}-${input.endLine}`;
  return `${prompt.trim()}\n\nSelected code from \`${input.path}\` (${lines}, ${input.languageId}):\n${fence}${input.languageId}\n${cap(input.text)}\n${fence}`;
}

function cap(text: string): string {
  return text.length <= MAX_SELECTION_CHARS ? text : `${text.slice(0, MAX_SELECTION_CHARS)}\n[... ${text.length - MAX_SELECTION_CHARS} more characters not sent]`;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

/** Earlier turns of a chat, as `context.history`: bounded in count and size. */
export interface ChatTurn { role: 'user' | 'assistant'; content: string }

export const MAX_HISTORY_TURNS = 20;
export const MAX_HISTORY_TURN_CHARS = 4_000;

export function boundedHistory(turns: readonly ChatTurn[]): ChatTurn[] {
  return turns.slice(-MAX_HISTORY_TURNS).map((turn) => ({
    role: turn.role,
    content: turn.content.length <= MAX_HISTORY_TURN_CHARS ? turn.content : `${turn.content.slice(0, MAX_HISTORY_TURN_CHARS)} [...]`,
  }));
}
