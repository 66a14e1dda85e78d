import type { Delivery, RunHandle, RunOutcome } from '../../../src/core/run';
import { RunClient } from '../../../src/core/run/runClient';
import type { RunClientOptions } from '../../../src/core/run/types';
import type { RunEvent } from '../../../src/core/run/events';
import type { LocalServer } from '../../../src/server';

/** Every delivery of a run (with its key), then the outcome. */
export async function deliveriesOf(handle: RunHandle): Promise<{ deliveries: Delivery[]; events: RunEvent[]; outcome: RunOutcome }> {
  const deliveries: Delivery[] = [];
  for await (const delivery of handle.deliveries) deliveries.push(delivery);
  return { deliveries, events: deliveries.map((d) => d.event), outcome: await handle.outcome };
}

export function clientFor(server: LocalServer, options: Partial<RunClientOptions> = {}): RunClient {
  return new RunClient({ baseUrl: server.baseUrl, apiKey: server.apiKey, idleTimeoutMs: 5000, pollIntervalMs: 5, ...options });
}

/** How many times each file_edit key was delivered. */
export function editDeliveries(deliveries: Delivery[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { key, event } of deliveries) if (event.type === 'file_edit') counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

export const demoRequest = { apiSlug: 'demo', message: 'Build a todo app for groceries', stream: true };
