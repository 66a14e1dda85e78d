import type { Logger } from '../../../src/core/logger';
import type { RunEvent } from '../../../src/core/run/events';
import type { RunHandle, RunOutcome } from '../../../src/core/run/types';

/** Reads every event of a run, then its outcome. */
export async function collect(handle: RunHandle): Promise<{ events: RunEvent[]; outcome: RunOutcome }> {
  const events: RunEvent[] = [];
  for await (const event of handle.events) events.push(event);
  return { events, outcome: await handle.outcome };
}

/** A logger that keeps every line, to check what would reach the log. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  trace(message: string, ...args: unknown[]): void { this.record('trace', message, args); }
  debug(message: string, ...args: unknown[]): void { this.record('debug', message, args); }
  info(message: string, ...args: unknown[]): void { this.record('info', message, args); }
  warn(message: string, ...args: unknown[]): void { this.record('warn', message, args); }
  error(message: string | Error, ...args: unknown[]): void { this.record('error', message, args); }

  get text(): string {
    return this.lines.join('\n');
  }

  private record(level: string, message: unknown, args: unknown[]): void {
    const describe = (value: unknown) => (value instanceof Error ? `${value.name}: ${value.message}` : typeof value === 'string' ? value : JSON.stringify(value));
    this.lines.push(`${level} ${[message, ...args].map(describe).join(' ')}`);
  }
}

/** Every way to split `bytes` in two. */
export function* splitPoints(bytes: Buffer): Generator<[Buffer, Buffer]> {
  for (let i = 1; i < bytes.length; i++) yield [bytes.subarray(0, i), bytes.subarray(i)];
}

/** Number of events the SSE standard dispatches for a prefix of the sample (blank lines, minus the retry block). */
export function dispatchedCount(prefix: Buffer, lineEnd: string): number {
  const separator = Buffer.from(lineEnd + lineEnd);
  let count = 0;
  for (let i = prefix.indexOf(separator); i !== -1; i = prefix.indexOf(separator, i + separator.length)) count++;
  // A lone CR is a line end too: a body that stops at `\r\n\r` has ended its event (SSE standard).
  if (lineEnd === '\r\n' && prefix.subarray(-3).equals(Buffer.from('\r\n\r'))) count++;
  return Math.max(0, count - 1);
}
