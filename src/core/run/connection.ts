/** How events reach the client right now. */
export type Transport = 'sse' | 'threadEvents' | 'runStream' | 'status';

/** The connection as the view shows it; announced on every change. */
export type ConnectionStatus =
  | { state: 'connecting' }
  | { state: 'live'; transport: Transport }
  | { state: 'reconnecting'; attempt: number; delayMs: number; reason: string }
  | { state: 'caughtUp'; transport: Transport; replayed: number }
  | { state: 'gaveUp'; reason: string; hint?: string }
  | { state: 'closed' };

/** What a running agent can be told, and whether it waits for an answer. */
export interface ControlState {
  /** True where the run-stream socket exists (the commands go over it). */
  available: boolean;
  paused: boolean;
  waitingForInput?: { question: string };
}

export type ControlResult = { ok: true } | { ok: false; message: string };

/** A set of listeners, each called in turn; one that throws does not stop the others. */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly onError: (error: unknown) => void) {}

  add(listener: (value: T) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fire(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }

  get size(): number {
    return this.listeners.size;
  }
}
