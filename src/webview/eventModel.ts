/**
 * Folds a run's event log into the rows the view shows: consecutive `thinking` pieces become one
 * block, a `tool_result` joins the latest open `tool_call`, a `file_edit` joins the write call
 * that produced it (one row per file change), every other event is a row of its own.
 * Incremental (each batch says which rows are new and which changed) and pure (no DOM), so the
 * renderer appends only and the folding is tested in plain Node.
 */
import type { LoggedEvent } from '../core/viewProtocol';
import type { FileEditEvent, ToolCallEvent, ToolResultEvent } from '../core/run/events';
import { pathKey } from './paths';
import { classifyTool } from './toolKinds';

/**
 * A file_edit folds into a write call for the same path only while that call is among the last
 * rows: an edit that comes much later stands on its own at the end, where the user is looking.
 */
export const FOLD_DISTANCE = 12;

interface RowBase {
  /** Stable across rebuilds: derived from the first event's seq. */
  id: string;
  firstSeq: number;
  /** How many events this row stands for. */
  eventCount: number;
}

export interface ThinkingRow extends RowBase {
  kind: 'thinking';
  pieces: string[];
  length: number;
  lastSeq: number;
  /** Pieces the host cut (their seq and index in `pieces`); "Show all" asks for them. */
  truncated: { seq: number; index: number }[];
}

export type FileEditLogged = LoggedEvent & { event: FileEditEvent };

export interface ToolRow extends RowBase {
  kind: 'tool';
  call?: LoggedEvent & { event: ToolCallEvent };
  result?: LoggedEvent & { event: ToolResultEvent };
  /** The file change this (write) call made: the row is then shown as that edit's card. */
  edit?: FileEditLogged;
}

/** file_edit (when no write call claims it), dev_url, error, unknown, complete: one event, one row. */
export interface SingleRow extends RowBase {
  kind: 'single';
  logged: LoggedEvent;
}

export type Row = ThinkingRow | ToolRow | SingleRow;

export interface FoldResult {
  /** Rows created by this batch, in order. */
  appended: Row[];
  /** Rows that existed before this batch and changed (thinking grew, a call got its result). */
  updated: Row[];
}

/** The whole block; `full` supplies the uncut text of pieces the host cut, once it sent them. */
export function thinkingText(row: ThinkingRow, full?: (seq: number) => string | undefined): string {
  if (!full || row.truncated.length === 0) return row.pieces.join('');
  const pieces = row.pieces.slice();
  for (const { seq, index } of row.truncated) pieces[index] = full(seq) ?? pieces[index];
  return pieces.join('');
}

/** The last `maxChars` characters of a thinking block, without joining all of it. */
export function thinkingTail(row: ThinkingRow, maxChars: number): string {
  let tail = '';
  for (let index = row.pieces.length - 1; index >= 0 && tail.length < maxChars; index--) tail = row.pieces[index] + tail;
  return tail.length > maxChars ? tail.slice(-maxChars) : tail;
}

/** The event of a row that shows a file change, if it does. */
export function rowEdit(row: Row): FileEditLogged | undefined {
  if (row.kind === 'tool') return row.edit;
  return row.kind === 'single' && row.logged.event.type === 'file_edit' ? row.logged as FileEditLogged : undefined;
}

export interface RunLogOptions {
  /** The sandbox folder the paths of events live in (the host's `sandboxRoot`). */
  sandboxRoot?: string;
}

export class RunLog {
  readonly rows: Row[] = [];
  eventCount = 0;
  private lastSeq = -Infinity;
  /** Calls without a result yet, oldest first. */
  private readonly openCalls: ToolRow[] = [];
  /** Write calls no file_edit has claimed yet, by path key, with their row index. */
  private readonly openWrites = new Map<string, { row: ToolRow; index: number }[]>();
  /** Events folded into a row that starts earlier (results, edits): seq -> row. */
  private readonly joined = new Map<number, Row>();
  /** The latest row that shows a change of each path. */
  private readonly editRows = new Map<string, Row>();
  /** File tool calls by path key: they link to the file's edit, so they change when one comes. */
  private readonly fileToolRows = new Map<string, ToolRow[]>();

  constructor(private readonly options: RunLogOptions = {}) {}

  /** Adds a batch of events; events at or below the last seen seq are ignored (resent). */
  add(events: readonly LoggedEvent[]): FoldResult {
    const appended: Row[] = [];
    const updated = new Set<Row>();
    const isNew = new Set<Row>();
    const touch = (row: Row) => { if (!isNew.has(row)) updated.add(row); };
    const append = (row: Row) => { this.rows.push(row); appended.push(row); isNew.add(row); };

    for (const logged of events) {
      if (!(logged.seq > this.lastSeq)) continue;
      this.lastSeq = logged.seq;
      this.eventCount++;
      const event = logged.event;
      const last = this.rows[this.rows.length - 1];
      switch (event.type) {
        case 'thinking': {
          const content = typeof event.content === 'string' ? event.content : String(event.content ?? '');
          if (last?.kind === 'thinking') {
            last.pieces.push(content);
            last.length += content.length;
            last.eventCount++;
            last.lastSeq = logged.seq;
            if (logged.truncated) last.truncated.push({ seq: logged.seq, index: last.pieces.length - 1 });
            touch(last);
          } else {
            append({
              kind: 'thinking', id: `e${logged.seq}`, firstSeq: logged.seq, eventCount: 1,
              pieces: [content], length: content.length, lastSeq: logged.seq, truncated: logged.truncated ? [{ seq: logged.seq, index: 0 }] : [],
            });
          }
          break;
        }
        case 'tool_call': {
          const row: ToolRow = { kind: 'tool', id: `e${logged.seq}`, firstSeq: logged.seq, eventCount: 1, call: logged as ToolRow['call'] };
          this.openCalls.push(row);
          append(row);
          this.rememberFileTool(row, event);
          break;
        }
        case 'tool_result': {
          const call = this.takeOpenCall(event.tool);
          const result = logged as ToolRow['result'];
          if (call) {
            call.result = result;
            call.eventCount++;
            this.joined.set(logged.seq, call);
            touch(call);
          } else {
            append({ kind: 'tool', id: `e${logged.seq}`, firstSeq: logged.seq, eventCount: 1, result });
          }
          break;
        }
        case 'file_edit': {
          const edit = logged as FileEditLogged;
          const write = this.takeOpenWrite(edit.event);
          if (write) {
            write.edit = edit;
            write.eventCount++;
            this.joined.set(logged.seq, write);
            touch(write);
            for (const named of this.rememberEdit(write, edit.event)) touch(named);
          } else {
            const row: SingleRow = { kind: 'single', id: `e${logged.seq}`, firstSeq: logged.seq, eventCount: 1, logged };
            append(row);
            for (const named of this.rememberEdit(row, edit.event)) touch(named);
          }
          break;
        }
        default:
          append({ kind: 'single', id: `e${logged.seq}`, firstSeq: logged.seq, eventCount: 1, logged });
      }
    }
    return { appended, updated: [...updated] };
  }

  /** The row that holds the event with this seq, if any. */
  findRow(seq: number): Row | undefined {
    // Rows are ordered by firstSeq; a row's later events (thinking pieces, a result) come after it.
    let low = 0;
    let high = this.rows.length - 1;
    let found: Row | undefined;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.rows[middle].firstSeq <= seq) { found = this.rows[middle]; low = middle + 1; } else high = middle - 1;
    }
    if (found && rowHasSeq(found, seq)) return found;
    // A result or an edit may sit in an earlier call row than the nearest firstSeq.
    return this.joined.get(seq);
  }

  /** The latest row that shows a change of this (sandbox or workspace) path. */
  editRowFor(path: string): Row | undefined {
    return this.editRows.get(pathKey(path, this.options.sandboxRoot));
  }

  private rememberFileTool(row: ToolRow, event: ToolCallEvent): void {
    const kind = classifyTool(event.tool, event.input);
    if (kind.kind !== 'file') return;
    const key = pathKey(kind.path, this.options.sandboxRoot);
    this.fileToolRows.set(key, [...(this.fileToolRows.get(key) ?? []), row]);
    if (kind.action !== 'write') return;
    const list = this.openWrites.get(key) ?? [];
    list.push({ row, index: this.rows.length - 1 });
    this.openWrites.set(key, list);
  }

  /** The latest unclaimed write of the edit's path, if it is recent enough to fold into. */
  private takeOpenWrite(event: FileEditEvent): ToolRow | undefined {
    const key = pathKey(String(event.path ?? ''), this.options.sandboxRoot);
    const list = this.openWrites.get(key);
    const latest = list?.pop();
    if (list && list.length === 0) this.openWrites.delete(key);
    if (!latest || this.rows.length - 1 - latest.index > FOLD_DISTANCE) return undefined;
    return latest.row;
  }

  /** Notes the row as the latest change of its paths; returns the file tool rows that named them. */
  private rememberEdit(row: Row, event: FileEditEvent): ToolRow[] {
    const named: ToolRow[] = [];
    for (const path of [event.path, event.newPath]) {
      if (typeof path !== 'string' || !path) continue;
      const key = pathKey(path, this.options.sandboxRoot);
      const first = !this.editRows.has(key);
      this.editRows.set(key, row);
      if (first) named.push(...(this.fileToolRows.get(key) ?? []).filter((tool) => tool !== row));
    }
    return named;
  }

  /** The latest open call, preferring one of the same tool when the result names it. */
  private takeOpenCall(tool: string | undefined): ToolRow | undefined {
    let index = this.openCalls.length - 1;
    if (tool) {
      for (let named = this.openCalls.length - 1; named >= 0; named--) {
        if (this.openCalls[named].call?.event.tool === tool) { index = named; break; }
      }
    }
    if (index < 0) return undefined;
    return this.openCalls.splice(index, 1)[0];
  }
}

function rowHasSeq(row: Row, seq: number): boolean {
  switch (row.kind) {
    case 'thinking': return seq >= row.firstSeq && seq <= row.lastSeq;
    case 'tool': return row.call?.seq === seq || row.result?.seq === seq || row.edit?.seq === seq;
    case 'single': return row.logged.seq === seq;
  }
}
