import type { ServerResponse } from 'node:http';
import { createAgentContext, type AgentContext } from '../agent/context';
import { demoAgentSlug, runDemoAgent } from '../agent/demoAgent';
import type { RunRequest } from '../runs/request';
import type { Run } from '../runs/registry';
import { SilentSink, SseSink, type RunSink } from '../runs/sink';
import type { Scenario } from '../scenarios';
import type { ServerDeps } from './deps';
import { HttpError, sendJson } from './respond';

/** Starts a run and answers it: as SSE while it runs, or as JSON once it is final. */
export async function startRun(res: ServerResponse, request: RunRequest, requestId: string, deps: ServerDeps): Promise<void> {
  if (request.agent !== demoAgentSlug) {
    throw new HttpError(404, 'not_found', `Deployment not found: ${request.agent}`);
  }
  const scenario = resolveScenario(request.params.scenario, deps.scenarios);
  if (scenario?.response) return sendScenarioResponse(res, scenario.response, requestId);

  const run = deps.runs.create(request);
  deps.logger.info(`run ${run.id} started (${request.shape} shape, ${request.stream ? 'streaming' : 'json'}${scenario ? `, scenario ${String(request.params.scenario)}` : ''})`);
  res.setHeader('X-Run-ID', run.id);
  res.setHeader('X-Thread-ID', run.threadId);

  let sink: RunSink;
  if (request.stream) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    sink = new SseSink(res);
  } else {
    sink = new SilentSink(res);
  }
  // A client that goes away takes its run with it; a scripted drop is the server's doing and does not.
  res.on('close', () => {
    if (!res.writableFinished && !sink.dropped && run.cancel()) {
      deps.logger.info(`run ${run.id} cancelled: the client disconnected`);
    }
  });

  const ctx = createAgentContext(run, sink, deps.sandboxes, deps.logger, deps.delayScale);
  run.done = execute(ctx, scenario, deps);
  await run.done;
  deps.logger.info(`run ${run.id} ended: ${run.status}`);

  if (request.stream) {
    if (run.status === 'cancelled') await sink.event('complete', { status: 'cancelled', output: 'Run cancelled.' });
    if (!res.destroyed) res.end();
  } else if (!res.destroyed) {
    sendJson(res, 200, jsonAnswer(run, requestId));
  }
}

async function execute(ctx: AgentContext, scenario: Scenario | undefined, deps: ServerDeps): Promise<void> {
  try {
    await runDemoAgent(ctx, scenario);
    if (ctx.run.status === 'running') ctx.run.finish('completed');
  } catch (error) {
    if (ctx.signal.aborted) return; // cancelled: the status already says so
    deps.logger.error(error instanceof Error ? error : String(error));
    const message = `The demo agent failed: ${error instanceof Error ? error.message : String(error)}`;
    ctx.run.observe('error', { code: 'internal_error', message });
    ctx.run.finish('failed', message);
    await ctx.sink.event('error', { code: 'internal_error', message });
    await ctx.sink.event('complete', { status: 'failed', output: message });
  }
}

function resolveScenario(name: unknown, scenarios: ServerDeps['scenarios']): Scenario | undefined {
  if (name === undefined || name === null || name === '') return undefined;
  if (typeof name !== 'string' || !Object.hasOwn(scenarios, name)) {
    const known = Object.keys(scenarios).sort().join(', ');
    throw new HttpError(400, 'invalid_request', `Unknown scenario '${String(name)}'. Known scenarios: ${known}`);
  }
  return scenarios[name];
}

function sendScenarioResponse(res: ServerResponse, response: NonNullable<Scenario['response']>, requestId: string): void {
  if (response.body !== undefined) {
    res.writeHead(response.status, { ...response.headers, 'Content-Type': response.contentType ?? 'text/plain; charset=utf-8' });
    res.end(response.body);
    return;
  }
  const error = response.error ?? { code: 'internal_error', message: 'Scripted failure' };
  sendJson(res, response.status, { error: { ...error, requestId } }, response.headers);
}

/** The documented envelope for the slug shape; the newer shape answers without it (`runId`, `result`). */
function jsonAnswer(run: Run, requestId: string): unknown {
  const summary = run.summary();
  if (run.request.shape === 'slug') return { data: summary, meta: { requestId } };
  const { id, output, result, ...rest } = summary;
  return { runId: id, ...rest, result: result ?? output, requestId };
}
