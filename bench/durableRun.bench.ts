/**
 * A run that survives drops: a 1,000-event run with 200 file edits, cut every 50 events, against
 * the same run uncut, in the same session, each applied by the edit engine into its own folder.
 * Prints whether the delivered events and the two folders are identical (byte for byte), how
 * many changes were written (each edit once), and how long each recovery took (from the cut being
 * noticed to the first event delivered again), per means of re-attaching. The server advertises `retry: 0`,
 * so the figures are the client's and the server's work, not a wait they were told to make.
 * Run alone with `npx tsx bench/durableRun.bench.ts` (options: --events=N --dropEvery=N --rounds=N).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunEdits } from '../src/core/edits';
import type { Delivery } from '../src/core/run';
import { FolderPort, folderBytes, sameFolders } from './support/folderPort';
import { RunClient } from '../src/core/run/runClient';
import { startLocalServer, type Resumption, type Scenario } from '../src/server';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const EVENTS = Number(args.events ?? 1000);
const DROP_EVERY = Number(args.dropEvery ?? 50);
const ROUNDS = Number(args.rounds ?? 3);

/** Five frames a round, the fifth a file_edit: EVENTS/5 edits, each creating its own file. */
const scenario: Scenario = {
  description: 'bench: many events, one in five a file_edit',
  frames: [
    {
      repeat: EVENTS,
      unit: 'frames',
      frames: [
        { event: 'thinking', data: { content: 'Step {{i}}: reading the code around the change. ' } },
        { event: 'tool_call', data: { tool: 'bash', input: { command: 'grep -n todo src/f{{i}}.ts' } } },
        { event: 'tool_result', data: { tool: 'bash', output: '12: // todo {{i}}\n' } },
        { event: 'thinking', data: { content: 'Writing file {{i}}. ' } },
        { event: 'file_edit', data: { path: '/workspace/src/f{{i}}.ts', action: 'create', diff: '+export const value{{i}} = {{i}};\n+// written in step {{i}}\n' } },
      ],
    },
    { event: 'complete', data: { status: 'completed', output: 'bench done' } },
  ],
};

const means: Record<string, Partial<Resumption>> = {
  'thread events + socket': {},
  'thread events only': { runStream: false },
  'socket only': { threadEvents: false },
};

interface Measured { deliveries: Delivery[]; ms: number; recoveries: number[]; status: string; folder: string; writes: number }

async function measure(client: RunClient, params: Record<string, unknown>): Promise<Measured> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'runtools-durable-bench-'));
  const port = new FolderPort(folder);
  const edits = new RunEdits({ runId: 'bench', mode: 'auto', sandboxRoot: '/workspace', port });
  const applying: Promise<unknown>[] = [];
  const started = performance.now();
  const handle = client.start({ apiSlug: 'demo', message: 'bench', stream: true, params: { scenario: 'bench', ...params } });
  const recoveries: number[] = [];
  let cutAt: number | undefined;
  handle.onConnection((status) => {
    if (status.state === 'reconnecting' && cutAt === undefined) cutAt = performance.now();
  });
  const deliveries: Delivery[] = [];
  for await (const delivery of handle.deliveries) {
    if (cutAt !== undefined) {
      recoveries.push(performance.now() - cutAt);
      cutAt = undefined;
    }
    deliveries.push(delivery);
    if (delivery.event.type === 'file_edit') applying.push(edits.receive(deliveries.length, delivery.event, delivery.key));
  }
  const outcome = await handle.outcome;
  await Promise.all(applying);
  return { deliveries, ms: performance.now() - started, recoveries, status: outcome.status, folder, writes: port.writes };
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  console.log(`durableRun bench: ${EVENTS.toLocaleString('en-US')} events (${EVENTS / 5} file edits), a drop every ${DROP_EVERY} events, ${ROUNDS} alternating rounds per means`);
  let failed = false;
  for (const [name, resumption] of Object.entries(means)) {
    const server = await startLocalServer({ delayScale: 0, retryMs: 0, resumption, scenarios: { bench: scenario } });
    try {
      const client = new RunClient({ baseUrl: server.baseUrl, apiKey: server.apiKey, pollIntervalMs: 5 });
      const uncutMs: number[] = [];
      const cutMs: number[] = [];
      const recoveries: number[] = [];
      let identical = true;
      let editsOnce = true;
      let sameFiles = true;
      for (let round = 0; round < ROUNDS; round++) {
        const uncut = await measure(client, {});
        const cut = await measure(client, { dropEvery: DROP_EVERY });
        uncutMs.push(uncut.ms);
        cutMs.push(cut.ms);
        recoveries.push(...cut.recoveries);
        identical &&= cut.status === 'completed' && JSON.stringify(cut.deliveries.map((d) => d.event)) === JSON.stringify(uncut.deliveries.map((d) => d.event));
        const edits = cut.deliveries.filter((d) => d.event.type === 'file_edit').map((d) => d.key);
        editsOnce &&= edits.length === EVENTS / 5 && new Set(edits).size === edits.length && cut.writes === uncut.writes && cut.writes === EVENTS / 5;
        const a = folderBytes(uncut.folder);
        sameFiles &&= a.size === EVENTS / 5 && sameFolders(a, folderBytes(cut.folder));
        for (const dir of [uncut.folder, cut.folder]) fs.rmSync(dir, { recursive: true, force: true });
      }
      const median = (values: number[]) => quantile(values, 0.5);
      console.log(`${name}:`);
      console.log(`  events identical to the uncut run: ${identical ? 'yes' : 'NO'}; every file_edit delivered and written exactly once: ${editsOnce ? 'yes' : 'NO'}; folders byte-identical: ${sameFiles ? 'yes' : 'NO'}`);
      console.log(`  run time: uncut ${ms(median(uncutMs))}, cut ${ms(median(cutMs))} (ratio ${(median(cutMs) / median(uncutMs)).toFixed(2)})`);
      console.log(`  recoveries: ${recoveries.length} (${(recoveries.length / ROUNDS).toFixed(0)} per run), median ${ms(median(recoveries))}, p95 ${ms(quantile(recoveries, 0.95))}`);
      failed ||= !identical || !editsOnce || !sameFiles;
    } finally {
      await server.close();
    }
  }
  if (failed) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
