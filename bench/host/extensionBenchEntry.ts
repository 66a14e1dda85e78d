/**
 * Runs inside the VS Code extension host for bench/extensionInHost.bench.ts:
 *  - activation: this extension's activate(), beside the built-in Simple Browser's (baseline);
 *  - edit latency: a loopback SSE server in this process sends file_edit events one at a time;
 *    for each, the time from the frame leaving the server to the file changed on disk, through
 *    the real `runtools.runPrompt` command; baseline: the same frames read by plain fetch +
 *    eventsource-parser and written with fs.
 * Writes its figures as JSON to RUNTOOLS_BENCH_RESULT.
 */
import { createParser } from 'eventsource-parser';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, SETTINGS_SECTION } from '../../src/vscode/ids';

const EDITS = Number(process.env.RUNTOOLS_BENCH_EDITS ?? 200);
const KEY = 'rt_test_bench_key_0000000000';

interface Edit { relPath: string; diff: string; expected: string }

/** Half creates, then half modifications of those files: the two common shapes of a file_edit. */
function editsFor(prefix: string): Edit[] {
  const edits: Edit[] = [];
  const half = Math.floor(EDITS / 2);
  for (let i = 0; i < half; i++) edits.push({ relPath: `${prefix}/f${i}.txt`, diff: `+first ${i}\n+second\n`, expected: `first ${i}\nsecond\n` });
  for (let i = 0; i < EDITS - half; i++) {
    edits.push({ relPath: `${prefix}/f${i}.txt`, diff: `@@ -1,2 +1,2 @@\n-first ${i}\n+changed ${i}\n second\n`, expected: `changed ${i}\nsecond\n` });
  }
  return edits;
}

async function waitForContent(file: string, expected: string): Promise<number> {
  for (;;) {
    const text = await fs.promises.readFile(file, 'utf8').catch(() => undefined);
    if (text === expected) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Serves one run: each file_edit is sent when the previous one is on disk. Returns the latencies. */
function startServer(root: string): Promise<{ url: string; latencies: Promise<number[]>; close(): void; nextRun(edits: Edit[]): void }> {
  let edits: Edit[] = [];
  let resolveLatencies!: (value: number[]) => void;
  let latencies = new Promise<number[]>((resolve) => { resolveLatencies = resolve; });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-run-id': `run_${Date.now()}` });
      const measured: number[] = [];
      for (const edit of edits) {
        const frame = `event: file_edit\ndata: ${JSON.stringify({ path: `/workspace/${edit.relPath}`, diff: edit.diff })}\n\n`;
        const sent = await new Promise<number>((resolve) => res.write(frame, () => resolve(performance.now())));
        const seen = await waitForContent(path.join(root, edit.relPath), edit.expected);
        measured.push(seen - sent);
      }
      res.end('event: complete\ndata: {"status":"completed","output":"bench"}\n\n');
      resolveLatencies(measured);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      get latencies() { return latencies; },
      close: () => { server.closeAllConnections(); server.close(); },
      nextRun: (next) => {
        edits = next;
        latencies = new Promise<number[]>((r) => { resolveLatencies = r; });
      },
    });
  }));
}

/** The least a client can do: fetch, eventsource-parser, JSON.parse, write the `+` lines. */
async function baselineConsumer(url: string, root: string): Promise<void> {
  const response = await fetch(`${url}/v1/run/bench`, { method: 'POST', headers: { accept: 'text/event-stream', 'content-type': 'application/json' }, body: '{}' });
  const writes: Promise<void>[] = [];
  const contents = new Map<string, string>();
  const parser = createParser({
    onEvent: (message) => {
      if (message.event !== 'file_edit') return;
      const data = JSON.parse(message.data) as { path: string; diff: string };
      const relPath = data.path.replace(/^\/workspace\//, '');
      // The baseline knows its two shapes by heart: a whole new file, or line 1 replaced.
      const next = data.diff.startsWith('+')
        ? data.diff.split('\n').filter(Boolean).map((l) => l.slice(1)).join('\n') + '\n'
        : `${/\n\+(.*)\n/.exec(data.diff)![1]}\n${contents.get(relPath)!.split('\n')[1]}\n`;
      contents.set(relPath, next);
      const file = path.join(root, relPath);
      writes.push(fs.promises.mkdir(path.dirname(file), { recursive: true }).then(() => fs.promises.writeFile(file, next)));
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
  await Promise.all(writes);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function run(): Promise<void> {
  const resultFile = process.env.RUNTOOLS_BENCH_RESULT!;
  try {
    const ours = vscode.extensions.getExtension(EXTENSION_ID)!;
    const t0 = performance.now();
    await ours.activate();
    const activationMs = performance.now() - t0;
    const simpleBrowser = vscode.extensions.getExtension('vscode.simple-browser');
    let baselineActivationMs: number | undefined;
    if (simpleBrowser && !simpleBrowser.isActive) {
      const t1 = performance.now();
      await simpleBrowser.activate();
      baselineActivationMs = performance.now() - t1;
    }

    const folder = vscode.workspace.workspaceFolders![0]!;
    const root = folder.uri.fsPath;
    const server = await startServer(root);
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    await config.update('baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config.update('apiSlug', 'bench', vscode.ConfigurationTarget.Global);
    await config.update('openDevUrl', 'off', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(Commands.setApiKey, KEY);

    server.nextRun(editsFor('extension'));
    const summary = await vscode.commands.executeCommand<{ status: string; applied: string[] }>(Commands.runPrompt, { message: 'bench' });
    const extension = await server.latencies;
    if (summary.status !== 'completed') throw new Error(`the bench run ended ${summary.status}`);

    server.nextRun(editsFor('baseline'));
    const consumer = baselineConsumer(server.url, root);
    const baseline = await server.latencies;
    await consumer;
    server.close();

    const stats = (values: number[]) => ({ median: percentile(values, 50), p95: percentile(values, 95), count: values.length });
    fs.writeFileSync(resultFile, JSON.stringify({
      vscode: vscode.version, activationMs, baselineActivationMs,
      extension: stats(extension), baseline: stats(baseline),
    }));
  } catch (error) {
    fs.writeFileSync(resultFile, JSON.stringify({ error: (error as Error).stack ?? String(error) }));
    throw error;
  }
}
