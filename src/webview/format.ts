/**
 * Text formatting for the view: durations, token usage, JSON, edit states, diff counts.
 * Pure (no DOM), so it is tested in plain Node.
 */
import { EDIT_STATE_LABELS } from '../core/edits/stateLabels';
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

/** State of an edit row ('received' before the host has said anything about it). */
export type EditRowState = EditState;

export const editStateLabels: Readonly<Record<EditRowState, string>> = EDIT_STATE_LABELS;

/** One line about a run's edits, from their states: what is written, what waits, what did not apply. */
export function editsLine(edits: readonly { state: EditState }[]): string {
  const count = (states: EditState[]) => edits.filter((e) => states.includes(e.state)).length;
  const parts: string[] = [];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const written = count(['applied', 'accepted']);
  const pending = count(['pending']);
  const notApplied = count(['conflict', 'refused', 'unreadable', 'failed']);
  const reverted = count(['reverted']);
  if (written) parts.push(plural(written, 'edit applied', 'edits applied'));
  if (pending) parts.push(plural(pending, 'edit waiting for review', 'edits waiting for review'));
  if (notApplied) parts.push(plural(notApplied, 'edit not applied', 'edits not applied'));
  if (reverted) parts.push(plural(reverted, 'edit reverted', 'edits reverted'));
  return parts.join(' · ');
}

export { countDiffLines } from '../core/diffStats';

/** The last `maxLines` lines of a text, at most `maxChars` characters. */
export function lastLines(text: string, maxLines: number, maxChars = 600): string {
  const tail = text.length > maxChars ? text.slice(-maxChars) : text;
  const lines = tail.replace(/\s+$/, '').split('\n');
  return lines.slice(-maxLines).join('\n');
}
