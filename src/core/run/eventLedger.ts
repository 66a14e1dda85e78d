/** What a transport knows about one event's identity. */
export interface EventIdentity {
  /** The SSE `id:`, or an `id` the socket sent. */
  id?: string;
  /** The thread sequence (thread events; a socket message's `sequence`). */
  sequence?: number;
  /** Index of the event within the run, when the transport replays the run from its start. */
  position?: number;
}

const decimal = /^\d{1,15}$/;
/** Opaque (non-numeric) ids remembered for de-duplication; beyond this the oldest are forgotten. */
const maxRememberedIds = 100_000;

/**
 * Which events of a run were delivered, so that a re-attach delivers each one exactly once.
 *
 * An event is known by its sequence when it has one (a decimal SSE id counts as one: the local
 * server numbers both the same way, see docs/protocol.md), else by its id, else by its position
 * in the run. A replayed event at or below the last sequence, with an id already seen, or (when
 * nothing else identifies it) at a position already delivered, is a duplicate. The first stream
 * is taken as the server sent it: nothing on it is dropped.
 */
export class EventLedger {
  delivered = 0;
  lastEventId: string | undefined;
  lastSequence: number | undefined;
  private readonly ids = new Set<string>();

  constructor(from?: { delivered: number; lastEventId?: string; lastSequence?: number }) {
    if (!from) return;
    this.delivered = from.delivered;
    this.lastEventId = from.lastEventId;
    this.lastSequence = from.lastSequence;
    if (from.lastEventId !== undefined && !decimal.test(from.lastEventId)) this.ids.add(from.lastEventId);
  }

  /** The event's stable key when it is new (and records it), undefined when it is a duplicate. */
  admit(identity: EventIdentity, replayed: boolean): string | undefined {
    const id = identity.id || undefined;
    const sequence = identity.sequence ?? (id !== undefined && decimal.test(id) ? Number(id) : undefined);
    if (replayed && this.isDuplicate(id, sequence, identity.position)) return undefined;
    const position = this.delivered++;
    if (sequence !== undefined) this.lastSequence = Math.max(this.lastSequence ?? 0, sequence);
    if (id !== undefined && sequence === undefined) this.remember(id);
    if (id !== undefined) this.lastEventId = id;
    else if (sequence !== undefined) this.lastEventId = String(sequence);
    return sequence !== undefined ? `seq:${sequence}` : id !== undefined ? `id:${id}` : `pos:${position}`;
  }

  private isDuplicate(id: string | undefined, sequence: number | undefined, position: number | undefined): boolean {
    if (sequence !== undefined && this.lastSequence !== undefined) return sequence <= this.lastSequence;
    if (id !== undefined && this.ids.has(id)) return true;
    // Nothing delivered so far had an identity to compare with: the run's order is all there is.
    return position !== undefined && position < this.delivered;
  }

  private remember(id: string): void {
    if (this.ids.size >= maxRememberedIds) this.ids.delete(this.ids.values().next().value as string);
    this.ids.add(id);
  }
}
