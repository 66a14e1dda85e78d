/**
 * Run client throughput and memory, against a baseline of plain fetch + eventsource-parser over
 * the same bytes. Run alone with `npx tsx bench/runClient.bench.ts` (options: --events=N --rounds=N).
 *
 * A large recorded run is generated deterministically and cached under bench/.data/. A loopback
 * server on a worker thread serves it, so that serving does not share the measured event loop.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { createParser } from 'eventsource-parser';
import { RunClient } from '../src/core/run/runClient';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const EVENTS = Number(args.events ?? 60_000);
const ROUNDS = Number(args.rounds ?? 5);
const SEED = 20261128;
const FORMAT_VERSION = 1;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

// ---------------------------------------------------------------------------------------------
// The recorded run

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = 'the of and to in is that for it as with was on be by this are from or have not function const return import export value file test error result data type string number async await promise'.split(' ');

function generateRun(count: number): Buffer {
  const rand = mulberry32(SEED);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const text = (length: number) => {
    const out: string[] = [];
    let size = 0;
    while (size < length) {
      const word = words[int(0, words.length - 1)];
      out.push(word);
      size += word.length + 1;
    }
    return out.join(' ');
  };
  const codeLines = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => `${prefix}  const v${i} = ${text(int(10, 70))}; // ${i}`).join('\n');
  const frames: string[] = [];
  const frame = (event: string, data: unknown) => frames.push(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  for (let i = 0; i < count - 1; i++) {
    const roll = rand();
    if (roll < 0.42) frame('thinking', { content: text(int(40, 600)) });
    else if (roll < 0.6) frame('tool_call', { tool: 'bash', input: { command: `npm test -- --grep "${text(int(10, 80))}"` } });
    else if (roll < 0.78) {
      // Mostly a screenful of output, sometimes a long log.
      const lines = rand() < 0.05 ? int(200, 600) : int(3, 60);
      frame('tool_result', { tool: 'bash', output: Array.from({ length: lines }, () => text(int(20, 110))).join('\n') });
    } else if (roll < 0.9) {
      const removed = int(1, 40);
      const added = int(1, 120);
      const diff = `--- a/src/file${i % 300}.ts\n+++ b/src/file${i % 300}.ts\n@@ -${int(1, 500)},${removed} +${int(1, 500)},${added} @@\n${codeLines(removed, '-')}\n${codeLines(added, '+')}\n`;
      frame('file_edit', { path: `/src/file${i % 300}.ts`, action: 'modify', diff });
    } else if (roll < 0.97) frame('progress', { step: i, of: count });
    else if (roll < 0.99) frame('error', { message: text(int(20, 120)), code: 'tool_error' });
    else frame('dev_url', { url: `https://sandbox-${i}.sandboxes.runtools.ai`, port: 3000 });
  }
  frame('complete', { output: text(400), files: ['/src/file1.ts'], usage: { inputTokens: 123456, outputTokens: 654321 } });
  return Buffer.from(frames.join(''), 'utf8');
}

function loadRun(count: number): { file: string; bytes: number } {
  const dir = path.join(__dirname, '.data');
  const file = path.join(dir, `run-v${FORMAT_VERSION}-${SEED}-${count}.sse`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${file}.tmp`, generateRun(count));
    fs.renameSync(`${file}.tmp`, file);
  }
  return { file, bytes: fs.statSync(file).size };
}

// ---------------------------------------------------------------------------------------------
// The server, on its own thread

const serverSource = `
const http = require('node:http');
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const data = fs.readFileSync(workerData.file);
const server = http.createServer(async (req, res) => {
  req.resume();
  await new Promise((r) => req.on('end', r));
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'X-Run-ID': 'run_bench' });
  for (let offset = 0; offset < data.length; offset += 65536) {
    if (!res.write(data.subarray(offset, offset + 65536))) await new Promise((r) => res.once('drain', r));
  }
  res.end();
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

async function startServer(file: string): Promise<{ url: string; stop(): Promise<void> }> {
  const worker = new Worker(serverSource, { eval: true, workerData: { file } });
  const port = await new Promise<number>((resolve, reject) => worker.once('message', resolve).once('error', reject));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      worker.postMessage('stop');
      await worker.terminate();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The two measured readers

interface Sample { ms: number; events: number; peakHeapGrowth: number; peakRssGrowth: number }

async function measure(run: () => Promise<number>): Promise<Sample> {
  gc();
  const start = process.memoryUsage();
  let peakHeap = start.heapUsed;
  let peakRss = start.rss;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }, 5);
  const began = performance.now();
  const events = await run();
  const ms = performance.now() - began;
  clearInterval(sampler);
  const end = process.memoryUsage();
  peakHeap = Math.max(peakHeap, end.heapUsed);
  peakRss = Math.max(peakRss, end.rss);
  return { ms, events, peakHeapGrowth: peakHeap - start.heapUsed, peakRssGrowth: peakRss - start.rss };
}

const body = JSON.stringify({ message: 'bench', stream: true });

async function baseline(url: string, parseJson = false): Promise<number> {
  const response = await fetch(`${url}/v1/run/bench`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', 'X-API-Key': 'rt_test_bench' },
    body,
  });
  let events = 0;
  const parser = createParser({
    onEvent: parseJson
      ? (message) => {
          events++;
          JSON.parse(message.data);
        }
      : () => void events++,
  });
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  return events;
}

async function client(url: string): Promise<number> {
  const handle = new RunClient({ baseUrl: url, apiKey: 'rt_test_bench' }).start({ apiSlug: 'bench', message: 'bench', stream: true });
  let events = 0;
  for await (const _event of handle.events) events++;
  const outcome = await handle.outcome;
  if (outcome.status !== 'completed') throw new Error(`bench run ended ${outcome.status}: ${outcome.error?.message}`);
  return events;
}

// ---------------------------------------------------------------------------------------------

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => bytes / (1024 * 1024);

async function main(): Promise<void> {
  const { file, bytes } = loadRun(EVENTS);
  const server = await startServer(file);
  try {
    // One warm-up each (JIT, connection pool), then alternate so drift hits both alike.
    await baseline(server.url);
    await baseline(server.url, true);
    await client(server.url);
    const base: Sample[] = [];
    const parsed: Sample[] = [];
    const mine: Sample[] = [];
    const contenders: [Sample[], () => Promise<number>][] = [
      [base, () => baseline(server.url)],
      [mine, () => client(server.url)],
      [parsed, () => baseline(server.url, true)],
    ];
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so that drift on a busy machine hits each alike.
      for (let i = 0; i < contenders.length; i++) {
        const [samples, run] = contenders[(i + round) % contenders.length];
        samples.push(await measure(run));
      }
    }
    const baseMs = median(base.map((s) => s.ms));
    const clientMs = median(mine.map((s) => s.ms));
    const line = (name: string, ms: number, events: number) =>
      `${name.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${Math.round(events / (ms / 1000)).toLocaleString('en-US').padStart(10)} events/s  ${(mb(bytes) / (ms / 1000)).toFixed(1).padStart(7)} MB/s`;
    console.log(`runClient bench: ${EVENTS.toLocaleString('en-US')} events, ${mb(bytes).toFixed(1)} MB (${path.relative(process.cwd(), file)}), median of ${ROUNDS} alternating rounds`);
    console.log(line('baseline (fetch + eventsource-parser)', baseMs, base[0].events));
    const parsedMs = median(parsed.map((s) => s.ms));
    console.log(line('  same + JSON.parse of each data', parsedMs, parsed[0].events));
    console.log(line('RunClient (normalised events)', clientMs, mine[0].events));
    console.log(`ratio client/baseline: ${(clientMs / baseMs).toFixed(2)} (target <= 1.30); client/(baseline + JSON.parse): ${(clientMs / parsedMs).toFixed(2)}`);
    const list = (samples: Sample[]) => samples.map((s) => s.ms.toFixed(0)).join(', ');
    console.log(`rounds ms: baseline [${list(base)}], baseline+JSON.parse [${list(parsed)}], client [${list(mine)}]`);
    const peak = (samples: Sample[], key: 'peakHeapGrowth' | 'peakRssGrowth') => mb(Math.max(...samples.map((s) => s[key]))).toFixed(1);
    console.log(`peak growth during a run (max over rounds): client heap +${peak(mine, 'peakHeapGrowth')} MB, rss +${peak(mine, 'peakRssGrowth')} MB; baseline heap +${peak(base, 'peakHeapGrowth')} MB, rss +${peak(base, 'peakRssGrowth')} MB; stream ${mb(bytes).toFixed(1)} MB`);
    if (mine[0].events !== base[0].events) console.log(`WARNING: event counts differ: client ${mine[0].events}, baseline ${base[0].events}`);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
