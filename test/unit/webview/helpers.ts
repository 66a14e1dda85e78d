import type { RunEvent } from '../../../src/core/run/events';
import type { LoggedEvent } from '../../../src/core/viewProtocol';

/** Stamps events with consecutive seqs from `start`. */
export function logged(events: RunEvent[], start = 1): LoggedEvent[] {
  return events.map((event, index) => ({ seq: start + index, at: (start + index) * 10, event }));
}

export const think = (content: string): RunEvent => ({ type: 'thinking', content });
export const call = (tool: string, input: unknown = {}): RunEvent => ({ type: 'tool_call', tool, input });
export const result = (output: string, tool?: string): RunEvent => ({ type: 'tool_result', output, ...(tool ? { tool } : {}) });
