/**
 * Coalesces host messages between two animation frames: everything is applied in order once per
 * frame, consecutive `events` of one run become one batch, and a `reset` drops whatever came before
 * it (the snapshot replaces it). Pure; the frame callback is injected.
 */
import type { HostMessage, LoggedEvent } from '../core/viewProtocol';

export function coalesce(messages: readonly HostMessage[]): HostMessage[] {
  let start = 0;
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index].type === 'reset') { start = index; break; }
  }
  const out: HostMessage[] = [];
  for (let index = start; index < messages.length; index++) {
    const message = messages[index];
    const previous = out[out.length - 1];
    if (message.type === 'events' && previous?.type === 'events' && previous.localId === message.localId) {
      // A loop, not push(...events): a batch of many thousands would overflow the argument limit.
      const into = previous.events as LoggedEvent[];
      for (const event of message.events) into.push(event);
      continue;
    }
    // Copy the array so that merging never mutates the message the host sent.
    out.push(message.type === 'events' ? { ...message, events: message.events.slice() } : message);
  }
  return out;
}

export type FrameRequester = (callback: () => void) => void;

export class FrameScheduler {
  private pending: HostMessage[] = [];
  private scheduled = false;

  constructor(
    private readonly requestFrame: FrameRequester,
    private readonly apply: (messages: HostMessage[]) => void,
  ) {}

  push(message: HostMessage): void {
    this.pending.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    this.requestFrame(() => this.flush());
  }

  /** Applies everything queued now (also used by the frame callback). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = coalesce(this.pending);
    this.pending = [];
    this.apply(batch);
  }
}
