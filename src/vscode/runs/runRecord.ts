import type { ResumeState, RunEvent } from '../../core/run';
import type { EditView, LoggedEvent, RunHeader, RunView } from '../../core/viewProtocol';

/** Text fields longer than this are cut in what the webview gets; the full text stays here. */
export const VIEW_TEXT_LIMIT = 20_000;

/**
 * One run as the host keeps it: the header the views show, the full event log and the edits'
 * states. The webviews are views of this and can be rebuilt from it at any time.
 */
export class RunRecord {
  public readonly events: LoggedEvent[] = [];
  private readonly editsBySeq = new Map<number, EditView>();
  /** What following the run again needs (server run id, thread, last event): kept with the run. */
  public resume: ResumeState | undefined;

  constructor(public header: RunHeader) {}

  public get localId(): string {
    return this.header.localId;
  }

  /** Stamps the event and keeps it; returns the copy the views get (long texts cut). */
  public append(event: RunEvent, now = Date.now()): { logged: LoggedEvent; forView: LoggedEvent } {
    // After the run's early events were dropped from the history, numbering goes on from the last kept one.
    const last = this.events[this.events.length - 1];
    const logged: LoggedEvent = { seq: last ? last.seq + 1 : 0, at: now - this.header.startedAt, event };
    this.events.push(logged);
    return { logged, forView: forView(logged) };
  }

  public update(patch: Partial<RunHeader>): void {
    this.header = { ...this.header, ...patch };
  }

  public setEdit(edit: EditView): void {
    this.editsBySeq.set(edit.seq, edit);
  }

  public get edits(): EditView[] {
    return [...this.editsBySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  public get isActive(): boolean {
    return this.header.status === 'starting' || this.header.status === 'running';
  }

  /** The whole run, as a `reset` snapshot carries it. */
  public toView(): RunView {
    return { ...this.header, events: this.events.map(forView), edits: this.edits };
  }

  public fullText(seq: number): string | undefined {
    const event = this.events[seq]?.event;
    if (!event) return undefined;
    const field = longField(event);
    return field ? String((event as unknown as Record<string, unknown>)[field]) : undefined;
  }
}

function longField(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'tool_result':
      return 'output';
    case 'thinking':
      return 'content';
    case 'file_edit':
      return 'diff';
    case 'complete':
      return 'output';
    default:
      return undefined;
  }
}

/** A copy of the event whose long text field is cut to VIEW_TEXT_LIMIT, marked `truncated`. */
export function forView(logged: LoggedEvent): LoggedEvent {
  const field = longField(logged.event);
  if (!field) return logged;
  const value = (logged.event as unknown as Record<string, unknown>)[field];
  if (typeof value !== 'string' || value.length <= VIEW_TEXT_LIMIT) return logged;
  return {
    ...logged,
    event: { ...logged.event, [field]: value.slice(0, VIEW_TEXT_LIMIT) } as RunEvent,
    truncated: { field, fullLength: value.length },
  };
}
