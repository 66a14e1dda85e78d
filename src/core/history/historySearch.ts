/**
 * The run history as the user manages it: runs grouped by chat, and searched by prompt, output
 * and file path. Pure: the host hands in what each run's record says.
 */

/** What search and grouping need of one run (from its header and edits). */
export interface HistoryRun {
  localId: string;
  /** The chat (conversation) the run was sent from; runs before chats were recorded have none. */
  chatId?: string;
  /** The server's thread (the newer API): a chat's runs share it. */
  threadId?: string;
  prompt: string;
  output?: string;
  /** Workspace-relative paths the run changed (and the selection it was started on). */
  paths: readonly string[];
  startedAt: number;
  status: string;
}

export interface ChatGroup {
  /** The chat's id, else its thread's, else its one run's: what "delete this chat" deletes. */
  key: string;
  /** The chat's first prompt. */
  title: string;
  /** Oldest first. */
  runs: HistoryRun[];
  lastAt: number;
}

/**
 * Runs grouped by chat, the chat with the latest run first. Runs share a chat when they share a
 * chat id or a thread id (runs kept from before chats were recorded join by their thread).
 */
export function groupByChat(runs: readonly HistoryRun[]): ChatGroup[] {
  const groups: ChatGroup[] = [];
  const byKey = new Map<string, ChatGroup>();
  for (const run of [...runs].sort((a, b) => a.startedAt - b.startedAt)) {
    const keys = [run.chatId && `chat:${run.chatId}`, run.threadId && `thread:${run.threadId}`].filter((k): k is string => !!k);
    let group = keys.map((k) => byKey.get(k)).find((g) => g !== undefined);
    if (!group) {
      group = { key: keys[0] ?? `run:${run.localId}`, title: firstLine(run.prompt), runs: [], lastAt: run.startedAt };
      groups.push(group);
    }
    group.runs.push(run);
    group.lastAt = Math.max(group.lastAt, run.startedAt);
    for (const key of keys) byKey.set(key, group);
  }
  return groups.sort((a, b) => b.lastAt - a.lastAt);
}

export type MatchField = 'prompt' | 'output' | 'path';

export interface RunMatch {
  run: HistoryRun;
  /** Where the terms were found, in this order: prompt, output, path. */
  fields: MatchField[];
  /** A line of context around the first match outside the prompt (for the list's detail line). */
  snippet?: string;
}

/**
 * Runs matching every word of `query` (case-insensitive; "quoted phrases" stay one term), each in
 * the prompt, the output or a path. An empty query matches every run. Newest first.
 */
export function searchRuns(runs: readonly HistoryRun[], query: string): RunMatch[] {
  const terms = queryTerms(query);
  const matches: RunMatch[] = [];
  for (const run of [...runs].sort((a, b) => b.startedAt - a.startedAt)) {
    const prompt = run.prompt.toLowerCase();
    const output = (run.output ?? '').toLowerCase();
    const paths = run.paths.map((p) => p.toLowerCase());
    const fields = new Set<MatchField>();
    let snippet: string | undefined;
    const all = terms.every((term) => {
      let found = false;
      if (prompt.includes(term)) { fields.add('prompt'); found = true; }
      if (output.includes(term)) {
        fields.add('output');
        snippet ??= around(run.output ?? '', output.indexOf(term), term.length);
        found = true;
      }
      const path = paths.findIndex((p) => p.includes(term));
      if (path >= 0) {
        fields.add('path');
        snippet ??= run.paths[path];
        found = true;
      }
      return found;
    });
    if (!all) continue;
    const ordered = (['prompt', 'output', 'path'] as const).filter((f) => fields.has(f));
    matches.push({ run, fields: ordered, ...(snippet !== undefined ? { snippet } : {}) });
  }
  return matches;
}

export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  for (const match of query.toLowerCase().matchAll(/"([^"]*)"|([^\s"]+)/g)) {
    const term = (match[1] ?? match[2] ?? '').trim();
    if (term) terms.push(term);
  }
  return terms;
}

/** The text around a match, on one line, at most `width` characters each side. */
function around(text: string, index: number, length: number, width = 40): string {
  const start = Math.max(0, index - width);
  const end = Math.min(text.length, index + length + width);
  const line = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${line}${end < text.length ? '…' : ''}`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]!.slice(0, 120) || '(empty prompt)';
}
