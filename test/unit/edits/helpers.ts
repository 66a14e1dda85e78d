/** Building file_edit events and engines over an in-memory workspace for the edit engine's tests. */
import { createTwoFilesPatch } from 'diff';
import { RunEdits, type ApplyMode, type AskOverwrite, type EditView } from '../../../src/core/edits';
import type { FileEditEvent } from '../../../src/core/run/events';
import { MemoryWorkspace } from './memoryWorkspace';

/** A git-style diff of one file, as an agent would send it. */
export function modify(path: string, before: string, after: string): FileEditEvent {
  return { type: 'file_edit', path: `/workspace/${path}`, diff: createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after) };
}

export function create(path: string, text: string): FileEditEvent {
  return { type: 'file_edit', path: `/workspace/${path}`, action: 'create', diff: text.split('\n').slice(0, -1).map((l) => `+${l}`).join('\n') + '\n' };
}

export function remove(path: string): FileEditEvent {
  return { type: 'file_edit', path: `/workspace/${path}`, action: 'delete', diff: '' };
}

export function rename(from: string, to: string): FileEditEvent {
  return { type: 'file_edit', path: `/workspace/${from}`, action: 'rename', newPath: `/workspace/${to}`, diff: '' };
}

export function lines(n: number, prefix = 'line'): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');
}

export interface Engine {
  ws: MemoryWorkspace;
  edits: RunEdits;
  /** Every view the listeners heard, in order. */
  heard: EditView[];
  /** Every state move seen, as `from>to`. */
  moves: Set<string>;
}

export function engine(mode: ApplyMode, files: Record<string, string> = {}, options: { askOverwrite?: AskOverwrite; holdReason?: (p: string) => string | undefined; ws?: MemoryWorkspace } = {}): Engine {
  const ws = options.ws ?? new MemoryWorkspace(files);
  const edits = new RunEdits({ runId: 'run-1', mode, sandboxRoot: '/workspace', port: ws, askOverwrite: options.askOverwrite, holdReason: options.holdReason });
  return watch(ws, edits);
}

/** Follows an engine's announcements, as a view would. */
export function watch(ws: MemoryWorkspace, edits: RunEdits): Engine {
  const heard: EditView[] = [];
  const moves = new Set<string>();
  const last = new Map<number, string>();
  edits.onDidChange((view) => {
    heard.push(view);
    moves.add(`${last.get(view.seq) ?? 'received'}>${view.state}`);
    last.set(view.seq, view.state);
  });
  return { ws, edits, heard, moves };
}

export function states(edits: RunEdits): string[] {
  return edits.edits().map((e) => `${e.seq}:${e.state}`);
}
