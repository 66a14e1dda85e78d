import type { AgentContext } from './agent/context';
import type { Frame, Scenario } from './scenarios/types';

type Vars = Record<string, string>;

/** Upper bound for parameterised counts, so a typo cannot ask for a run that never ends. */
const maxCount = 5_000_000;
/** Upper bound for one `$repeat` string: big enough for "MBs of output", small enough for memory. */
const maxRepeatBytes = 64 * 1024 * 1024;
/** Keep-alive comments never come faster than this, even at delay scale 0. */
const minKeepAliveMs = 25;

export async function playScenario(ctx: AgentContext, scenario: Scenario): Promise<void> {
  await playFrames(ctx, scenario.frames ?? [], { runId: ctx.run.id });
  if (ctx.run.status === 'running') ctx.run.finish(scenario.final?.status ?? 'completed', scenario.final?.output);
}

async function playFrames(ctx: AgentContext, frames: readonly Frame[], vars: Vars): Promise<void> {
  for (const frame of frames) {
    if ('repeat' in frame) {
      const n = countFrom(frame.repeat, frame.param, ctx.request.params);
      if (frame.unit === 'frames') {
        // n counts frames, not rounds: cycle through the frames until exactly n have played.
        for (let played = 0, i = 1; played < n && frame.frames.length > 0; i++) {
          for (const inner of frame.frames.slice(0, n - played)) {
            await playFrames(ctx, [inner], { ...vars, i: String(i), n: String(n) });
            played++;
          }
        }
      } else {
        for (let i = 1; i <= n; i++) await playFrames(ctx, frame.frames, { ...vars, i: String(i), n: String(n) });
      }
      continue;
    }
    await ctx.pause(frame.delay ?? 0);
    if ('raw' in frame) {
      await ctx.run.broadcast({ raw: expand(frame.raw, vars, ctx.request.params) as string });
    } else if ('comment' in frame) {
      await ctx.run.broadcast({ comment: expand(frame.comment, vars, ctx.request.params) as string });
    } else if ('drop' in frame) {
      ctx.logger.debug(`run ${ctx.run.id}: dropping the connection as scripted`);
      await ctx.run.broadcast({ drop: true });
    } else if ('keepAlive' in frame) {
      for (;;) {
        await ctx.run.broadcast({ comment: frame.keepAlive.comment ?? 'keep-alive' });
        await ctx.pause(frame.keepAlive.every, minKeepAliveMs);
      }
    } else if ('ask' in frame) {
      // Later frames may quote the answer as {{input}}.
      vars.input = await ctx.ask(expand(frame.ask, vars, ctx.request.params) as string);
    } else {
      const data = expand(frame.data ?? {}, vars, ctx.request.params);
      await ctx.run.whenRunnable();
      if (frame.retry !== undefined) await ctx.run.broadcast({ raw: `retry: ${frame.retry}\n\n` });
      await ctx.run.emit(frame.event, data, frame.id);
    }
  }
}

function countFrom(fallback: number, param: string | undefined, params: Record<string, unknown>): number {
  const value = param === undefined ? undefined : params[param];
  const count = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  return Math.max(0, Math.min(maxCount, Math.floor(count)));
}

function expand(value: unknown, vars: Vars, params: Record<string, unknown>): unknown {
  if (typeof value === 'string') return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
  if (Array.isArray(value)) return value.map((item) => expand(item, vars, params));
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.$repeat === 'string') {
      const times = countFrom(Number(record.times ?? 1), record.param as string | undefined, params);
      return record.$repeat.repeat(Math.min(times, Math.floor(maxRepeatBytes / Math.max(1, record.$repeat.length))));
    }
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, expand(item, vars, params)]));
  }
  return value;
}
