/**
 * Connection faults a request can ask for (`params.dropEvery`, ...), so clients can test how they
 * recover. They act on each event-carrying connection of the run (the SSE answer, a run-stream
 * socket), counting the events written on that connection; the run itself goes on regardless.
 */
export interface Faults {
  /** Drop the connection after every N events written on it. */
  dropEvery?: number;
  /** With dropEvery: cut the next event in the middle of its bytes instead of after a whole one. */
  dropMidEvent?: boolean;
  /** After every N events, write nothing for `stallMs` (longer than a client's idle timeout). */
  stallEvery?: number;
  stallMs?: number;
  /** Re-attaching replays this many events from before the point asked for (a server that resends). */
  replayOverlap?: number;
}

export function faultsOf(params: Record<string, unknown>): Faults {
  const count = (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isInteger(value) && value > 0 ? Math.min(value, 1_000_000) : undefined;
  const faults: Faults = {
    dropEvery: count(params.dropEvery),
    dropMidEvent: params.dropMidEvent === true,
    stallEvery: count(params.stallEvery),
    stallMs: count(params.stallMs) ?? 5_000,
    replayOverlap: count(params.replayOverlap),
  };
  return faults;
}
