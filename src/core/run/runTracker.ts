import type { Logger } from '../logger';
import { Listeners, type ConnectionStatus, type ControlState } from './connection';
import { EventLedger, type EventIdentity } from './eventLedger';
import type { CompleteEvent, RunEvent } from './events';
import { EventQueue } from './eventQueue';
import type { NormalisedFrame } from './normalise';
import type { ResumeState } from './resumeState';
import { RunObservations } from './runOutcome';
import type { ApiStyle } from './types';

/** One delivered event and its stable identity (`seq:12`, `id:abc` or `pos:3`), for the host to persist. */
export interface Delivery {
  key: string;
  event: RunEvent;
  /** True when it came from a re-attach (a replay or the socket), not the first stream. */
  replayed: boolean;
}

/** Unread events before the network is paused, once a consumer iterates. */
const HIGH_WATER = 256;

/** The event names by which a run says it waits for an answer, and that it got one (docs/protocol.md). */
export const inputRequired = 'input_required';
export const inputReceived = 'input_received';

/**
 * What the client knows about one run, whichever transport brings its events: ids, the ledger of
 * delivered events, the queue to the consumer, the connection and control state, and the
 * listeners told about each change. Every transport hands its events to `offer`.
 */
export class RunTracker {
  runId: string | undefined;
  threadId: string | undefined;
  requestId: string | undefined;
  complete: CompleteEvent | undefined;
  retryMs: number | undefined;
  threadCursor: string | undefined;
  transports: ResumeState['transports'];
  connection: ConnectionStatus = { state: 'connecting' };
  control: ControlState;
  readonly ledger: EventLedger;
  readonly seen = new RunObservations();
  readonly queue: EventQueue<Delivery>;
  readonly runIdListeners: Listeners<string>;
  readonly resumeListeners: Listeners<ResumeState>;
  readonly connectionListeners: Listeners<ConnectionStatus>;
  readonly controlListeners: Listeners<ControlState>;

  constructor(
    readonly origin: string,
    readonly apiStyle: ApiStyle,
    readonly apiSlug: string,
    private readonly logger: Logger,
    maxBufferedEvents: number,
    from?: ResumeState,
  ) {
    const onError = (error: unknown) => logger.error(`A run listener failed: ${String(error)}`);
    this.runIdListeners = new Listeners(onError);
    this.resumeListeners = new Listeners(onError);
    this.connectionListeners = new Listeners(onError);
    this.controlListeners = new Listeners(onError);
    this.queue = new EventQueue<Delivery>(HIGH_WATER, maxBufferedEvents, () =>
      logger.warn(`Run events are not being read; events beyond ${maxBufferedEvents} are dropped (the outcome is still reported).`),
    );
    this.ledger = new EventLedger(from);
    this.runId = from?.runId;
    this.threadId = from?.threadId;
    this.retryMs = from?.retryMs;
    this.threadCursor = from?.threadCursor;
    this.transports = { ...(from?.transports ?? { eventIds: false }) };
    this.control = { available: false, paused: false, waitingForInput: from?.waitingForInput };
  }

  /** Hands one event to the consumer unless it is a duplicate or late; true when delivered. */
  offer(frame: NormalisedFrame, identity: EventIdentity, replayed: boolean): boolean {
    if (this.complete) return false;
    const key = this.ledger.admit(identity, replayed);
    if (key === undefined) return false;
    if (!replayed && identity.id !== undefined) this.transports.eventIds = true;
    if (frame.runId) this.setRunId(frame.runId);
    if (frame.threadId) this.threadId ??= frame.threadId;
    const event = frame.event;
    this.seen.observe(event);
    if (event.type === 'unknown' && (event.event === inputRequired || event.event === inputReceived)) this.noteInput(event);
    if (event.type === 'complete') {
      this.complete = event;
      if (this.control.waitingForInput) this.setControl({ waitingForInput: undefined });
    }
    this.queue.push({ key, event, replayed });
    this.announceResume();
    return true;
  }

  setRunId(runId: string): void {
    if (this.runId !== undefined) return;
    this.runId = runId;
    this.logger.info(`Run id: ${runId}`);
    this.runIdListeners.fire(runId);
    this.runIdListeners.clear();
    this.announceResume();
  }

  setConnection(status: ConnectionStatus): void {
    this.connection = status;
    this.connectionListeners.fire(status);
  }

  setControl(change: Partial<ControlState>): void {
    this.control = { ...this.control, ...change };
    if (this.control.waitingForInput === undefined) delete this.control.waitingForInput;
    this.controlListeners.fire(this.control);
    this.announceResume();
  }

  /** Undefined until the server named the run. */
  resumeState(): ResumeState | undefined {
    if (this.runId === undefined) return undefined;
    const state: ResumeState = {
      version: 1,
      origin: this.origin,
      runId: this.runId,
      threadId: this.threadId,
      apiStyle: this.apiStyle,
      apiSlug: this.apiSlug,
      lastEventId: this.ledger.lastEventId,
      lastSequence: this.ledger.lastSequence,
      delivered: this.ledger.delivered,
      threadCursor: this.threadCursor,
      retryMs: this.retryMs,
      transports: { ...this.transports },
      waitingForInput: this.control.waitingForInput,
    };
    for (const key of Object.keys(state) as (keyof ResumeState)[]) if (state[key] === undefined) delete state[key];
    return state;
  }

  announceResume(): void {
    if (this.resumeListeners.size === 0) return;
    const state = this.resumeState();
    if (state) this.resumeListeners.fire(state);
  }

  private noteInput(event: Extract<RunEvent, { type: 'unknown' }>): void {
    const data = event.data as { question?: unknown } | undefined;
    if (event.event === inputRequired) {
      const question = typeof data?.question === 'string' ? data.question : 'The agent is waiting for an answer.';
      this.setControl({ waitingForInput: { question } });
    } else {
      this.setControl({ waitingForInput: undefined });
    }
  }
}

/** The events alone, for consumers that need no keys; iterable once, like the queue. */
export function eventsOf(queue: EventQueue<Delivery>): AsyncIterable<RunEvent> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<RunEvent> {
      const inner = queue[Symbol.asyncIterator]();
      return {
        next: async () => {
          const next = await inner.next();
          return next.done ? { value: undefined, done: true } : { value: next.value.event, done: false };
        },
        return: async () => {
          await inner.return?.();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
