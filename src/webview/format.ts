/**
 * Text formatting for the view: durations, token usage, tool inputs, edit states, diff counts.
 * Pure (no DOM), so it is tested in plain Node.
 */
import type { EditState, RunViewStatus } from '../core/viewProtocol';
import type { TokenUsage } from '../core/run/events';

export function formatDuration(ms: number): string {
  const safe = Math.max(0, Number.isFinite(ms) ? ms : 0);
  if (safe < 10_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(safe / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** "1,234 in · 56 out · 7 cacheRead"; empty when there is nothing to show. */
export function formatUsage(usage: TokenUsage | undefined): string {
  if (!usage) return '';
  const parts: string[] = [];
  if (typeof usage.inputTokens === 'number') parts.push(`${numberFormat.format(usage.inputTokens)} in`);
  if (typeof usage.outputTokens === 'number') parts.push(`${numberFormat.format(usage.outputTokens)} out`);
  for (const [name, value] of Object.entries(usage)) {
    if (name === 'inputTokens' || name === 'outputTokens' || typeof value !== 'number') continue;
    parts.push(`${numberFormat.format(value)} ${name}`);
  }
  return parts.length ? `Tokens: ${parts.join(' · ')}` : '';
}

/** JSON on one line; falls back to String() for values JSON cannot represent. */
export function compactJson(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** What a tool call shows as its input: the command for shell tools, compact JSON otherwise. */
export function toolInputSummary(tool: string, input: unknown): string {
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const command = (input as Record<string, unknown>).command;
    if (typeof command === 'string' && /^(bash|shell|sh|terminal|run_command|execute_command)$/i.test(tool)) return command;
    if (Array.isArray(command) && /^(bash|shell|sh)$/i.test(tool)) return command.map(String).join(' ');
  }
  return compactJson(input);
}

export const statusLabels: Record<RunViewStatus, string> = {
  starting: 'Starting…',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export function isActive(status: RunViewStatus): boolean {
  return status === 'starting' || status === 'running';
}

/** State of an edit row before the host has said anything about it. */
export type EditRowState = EditState | 'received';

export const editStateLabels: Record<EditRowState, string> = {
  applied: 'Applied',
  pending: 'Pending review',
  conflict: 'Conflict',
  refused: 'Refused',
  unreadable: 'Unreadable diff',
  rejected: 'Rejected',
  reverted: 'Reverted',
  shown: 'Shown only',
  received: 'Received',
};

/** Counts added and removed lines of a unified diff (headers excluded). */
export function countDiffLines(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++') || line.startsWith('---')) continue;
    if (line.startsWith('+')) added++;
    else if (line.startsWith('-')) removed++;
  }
  return { added, removed };
}

/** The last `maxLines` lines of a text, at most `maxChars` characters. */
export function lastLines(text: string, maxLines: number, maxChars = 600): string {
  const tail = text.length > maxChars ? text.slice(-maxChars) : text;
  const lines = tail.replace(/\s+$/, '').split('\n');
  return lines.slice(-maxLines).join('\n');
}
