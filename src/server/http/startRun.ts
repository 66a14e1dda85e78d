import type { ServerResponse } from 'node:http';
import { createAgentContext, type AgentContext } from '../agent/context';
import { demoAgentSlug, runDemoAgent } from '../agent/demoAgent';
import { faultsOf } from '../runs/faults';
import { SseListener } from '../runs/listeners';
import type { RunRequest } from '../runs/request';
import type { Run } from '../runs/registry';
import type { Scenario } from '../scenarios';
import type { ServerDeps } from './deps';
import { HttpError, sendJson } from './respond';

/**
 * Starts a run and answers it: as SSE while it runs, or as JSON once it is final. The run does
 * not belong to the connection: a client that goes away leaves it running (until it finishes,
 * is cancelled, or reaches the server's lifetime limit), and can follow it again.
 */
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
  res.on('close', () => {
    if (!res.writableFinished && run.status === 'running') deps.logger.info(`run ${run.id}: the client disconnected; the run goes on`);
  });

  let listener: SseListener | undefined;
  if (request.stream) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    listener = new SseListener(res, faultsOf(request.params), {
      eventIds: deps.resumption.eventIds,
      retryMs: deps.resumption.eventIds ? deps.retryMs : undefined,
    });
    run.follow(listener, 0);
  }

  const ctx = createAgentContext(run, deps.sandboxes, deps.logger, deps.delayScale);
  run.done = execute(ctx, scenario, deps);
  void run.done.then(() => deps.logger.info(`run ${run.id} ended: ${run.status}`));
  if (listener) {
    await listener.whenClosed();
    return;
  }
  // A non-streaming answer waits for the run; a client that leaves meanwhile just misses it.
  await Promise.race([run.done, new Promise<void>((resolve) => res.once('close', () => resolve()))]);
  if (!res.destroyed) sendJson(res, 200, jsonAnswer(run, requestId));
}

async function execute(ctx: AgentContext, scenario: Scenario | undefined, deps: ServerDeps): Promise<void> {
  const { run } = ctx;
  const lifetime = setTimeout(() => {
    if (run.expire(`The run was still going after ${Math.round(deps.maxRunLifetimeMs / 1000)} s, the local server's limit; it was stopped.`)) {
      deps.logger.info(`run ${run.id} expired`);
    }
  }, deps.maxRunLifetimeMs);
  lifetime.unref();
  try {
    await runDemoAgent(ctx, scenario);
    if (run.status === 'running') run.finish('completed');
  } catch (error) {
    if (!ctx.signal.aborted) {
      deps.logger.error(error instanceof Error ? error : String(error));
      const message = `The demo agent failed: ${error instanceof Error ? error.message : String(error)}`;
      await run.emit('error', { code: 'internal_error', message });
      run.finish('failed', message);
      await run.emit('complete', { status: 'failed', output: message });
    }
  } finally {
    clearTimeout(lifetime);
  }
  // Logged, so a client that re-attaches later learns how the run ended too.
  const summary = run.summary();
  if (run.status === 'cancelled') await run.emit('complete', { status: 'cancelled', output: 'Run cancelled.' });
  else if (summary.error?.code === 'run_expired') {
    await run.emit('error', { code: 'run_expired', message: summary.error.message });
    await run.emit('complete', { status: 'failed', output: summary.output });
  }
  run.endStreams();
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
