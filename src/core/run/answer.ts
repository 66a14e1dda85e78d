import type { RunSnapshot } from './types';
import { idOf, isRecord, str, stringList, usageOf } from './wireFields';

/**
 * Reads a run as a non-streaming answer or `GET /v1/run/{id}` describes it (docs/protocol.md 2 and 5):
 * with or without the `data` envelope, old (`id`, `output`) and new (`runId`, `result`) names.
 * Returns undefined when the JSON is not an object at all.
 */
export function parseRunSnapshot(json: unknown): RunSnapshot | undefined {
  if (!isRecord(json)) return undefined;
  const run = isRecord(json.data) ? json.data : isRecord(json.run) ? json.run : json;
  const meta = isRecord(json.meta) ? json.meta : {};
  return snapshotOf(run, str(meta.requestId) ?? str(json.requestId));
}

/** `{data:[...]}`, `{data:{runs:[...]}}`, `{runs:[...]}` or a bare array. */
export function parseRunList(json: unknown): RunSnapshot[] | undefined {
  const data = isRecord(json) ? json.data ?? json.runs ?? json.items : json;
  const list = isRecord(data) ? data.runs ?? data.items : data;
  if (!Array.isArray(list)) return undefined;
  return list.filter(isRecord).map((run) => snapshotOf(run, undefined));
}

function snapshotOf(run: Record<string, unknown>, requestId: string | undefined): RunSnapshot {
  const output = run.output;
  const snapshot: RunSnapshot = {
    id: idOf(run.runId) ?? idOf(run.run_id) ?? idOf(run.id),
    status: str(run.status),
    output: typeof output === 'string' ? output : undefined,
    // A non-string `output` is structured data: keep it where structured data goes.
    result: run.result ?? (output !== undefined && typeof output !== 'string' ? output : undefined),
    devUrl: str(run.devUrl) ?? str(run.dev_url),
    files: stringList(run.files),
    usage: usageOf(run.usage),
    threadId: idOf(run.threadId) ?? idOf(run.thread_id),
    agent: str(run.agent),
    createdAt: str(run.createdAt) ?? str(run.created_at),
    completedAt: str(run.completedAt) ?? str(run.completed_at),
    error: errorOf(run.error),
    requestId,
  };
  for (const key of Object.keys(snapshot) as (keyof RunSnapshot)[]) if (snapshot[key] === undefined) delete snapshot[key];
  return snapshot;
}

function errorOf(value: unknown): RunSnapshot['error'] {
  if (typeof value === 'string' && value) return { message: value };
  if (!isRecord(value)) return undefined;
  const message = str(value.message) ?? str(value.code);
  return message ? { message, code: str(value.code) } : undefined;
}
