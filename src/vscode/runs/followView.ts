/** How following a run on the server reads in the views: one line per connection state, and the agent's controls. */
import type { ConnectionStatus, ControlState } from '../../core/run';
import type { RunConnectionView, RunHeader } from '../../core/viewProtocol';

const transports: Record<string, string> = { sse: 'the event stream', threadEvents: 'the thread\'s events', runStream: 'the run stream', status: 'its status' };

/**
 * The view of a connection state. `previous` keeps "caught up" visible once the stream is live
 * again, so the user sees what the reconnection brought back; a plain live stream shows nothing.
 */
export function connectionView(status: ConnectionStatus, previous: RunConnectionView | undefined): RunConnectionView | undefined {
  switch (status.state) {
    case 'connecting':
      return undefined;
    case 'live':
      return previous?.state === 'caughtUp' ? { ...previous, state: 'live' } : undefined;
    case 'reconnecting':
      return { state: 'reconnecting', text: `Connection lost (${status.reason}); reconnecting, attempt ${status.attempt}…` };
    case 'caughtUp':
      return { state: 'caughtUp', text: `Reconnected through ${transports[status.transport] ?? status.transport}: caught up ${status.replayed} event${status.replayed === 1 ? '' : 's'}.` };
    case 'gaveUp':
      return { state: 'gaveUp', text: `Stopped following the run: ${status.reason}${status.hint ? ` ${status.hint}` : ''}`, canRetry: true };
    case 'closed':
      // The run is over: what the reconnection brought back, or why following stopped, stays said.
      return previous && previous.state !== 'reconnecting' ? previous : undefined;
  }
}

export function controlView(state: ControlState): RunHeader['control'] {
  if (!state.available && !state.waitingForInput) return undefined;
  return { available: state.available, paused: state.paused, ...(state.waitingForInput ? { question: state.waitingForInput.question } : {}) };
}
