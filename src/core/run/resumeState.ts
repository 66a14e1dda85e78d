import type { ApiStyle } from './types';
import { isRecord, num, str } from './wireFields';

/** `offered`: it answered; `absent`: the server said it has no such thing (404, 405, 501). Unknown until tried. */
export type TransportAvailability = 'offered' | 'absent';

/**
 * Everything needed to follow a run again after a window reload, as plain JSON. The host
 * persists it with the run and passes it to `RunClient.attach`. It holds no secret.
 */
export interface ResumeState {
  version: 1;
  /** The API origin the run belongs to: attach refuses a client of another origin. */
  origin: string;
  runId: string;
  threadId?: string;
  apiStyle: ApiStyle;
  /** The slug (or agent name) the run was started with: the run-stream socket's path needs it. */
  apiSlug: string;
  /** The last SSE id (or sequence) delivered: sent as `Last-Event-ID`. */
  lastEventId?: string;
  lastSequence?: number;
  /** How many events of the run were delivered. */
  delivered: number;
  /** Where thread events continue. */
  threadCursor?: string;
  /** The server's `retry:`, in ms. */
  retryMs?: number;
  /** What the server showed so far. */
  transports: { eventIds: boolean; threadEvents?: TransportAvailability; runStream?: TransportAvailability };
  /** Set while the agent waits for an answer. */
  waitingForInput?: { question: string };
}

/** Reads a persisted resume state; a string says what is wrong with it. Never throws. */
export function readResumeState(value: unknown): ResumeState | string {
  if (!isRecord(value)) return 'The saved run state is not an object.';
  if (value.version !== 1) return `The saved run state has version ${String(value.version)}; this extension reads version 1.`;
  const origin = str(value.origin);
  const runId = str(value.runId);
  const apiSlug = str(value.apiSlug);
  const apiStyle = value.apiStyle === 'agent' || value.apiStyle === 'slug' ? value.apiStyle : undefined;
  const delivered = num(value.delivered);
  if (!origin || !runId || apiSlug === undefined || !apiStyle || delivered === undefined) {
    return 'The saved run state lacks its origin, run id, agent, API style or event count.';
  }
  const transports = isRecord(value.transports) ? value.transports : {};
  const availability = (v: unknown) => (v === 'offered' || v === 'absent' ? v : undefined);
  const waiting = isRecord(value.waitingForInput) ? str(value.waitingForInput.question) : undefined;
  const state: ResumeState = {
    version: 1,
    origin,
    runId,
    threadId: str(value.threadId),
    apiStyle,
    apiSlug,
    lastEventId: str(value.lastEventId),
    lastSequence: num(value.lastSequence),
    delivered,
    threadCursor: str(value.threadCursor),
    retryMs: num(value.retryMs),
    transports: {
      eventIds: transports.eventIds === true,
      threadEvents: availability(transports.threadEvents),
      runStream: availability(transports.runStream),
    },
    waitingForInput: waiting !== undefined ? { question: waiting } : undefined,
  };
  for (const key of Object.keys(state) as (keyof ResumeState)[]) if (state[key] === undefined) delete state[key];
  return state;
}
