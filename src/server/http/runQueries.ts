import type { ServerResponse } from 'node:http';
import { runStatuses, type ServerRunStatus } from '../runs/registry';
import type { ServerDeps } from './deps';
import { HttpError, sendJson } from './respond';

export function getRun(res: ServerResponse, id: string, requestId: string, deps: ServerDeps): void {
  const run = deps.runs.get(id);
  if (!run) throw new HttpError(404, 'not_found', `Run not found: ${id}`);
  sendJson(res, 200, { data: run.summary(), meta: { requestId } }, { 'X-Run-ID': run.id });
}

/** Cancelling a final run changes nothing and answers its status, so a retried cancel is harmless. */
export function cancelRun(res: ServerResponse, id: string, requestId: string, deps: ServerDeps): void {
  const run = deps.runs.get(id);
  if (!run) throw new HttpError(404, 'not_found', `Run not found: ${id}`);
  if (run.cancel()) deps.logger.info(`run ${id} cancelled by request`);
  sendJson(res, 200, { data: run.summary(), meta: { requestId } }, { 'X-Run-ID': run.id });
}

export function listRuns(res: ServerResponse, query: URLSearchParams, requestId: string, deps: ServerDeps): void {
  const agent = query.get('agent') || undefined;
  const status = query.get('status') || undefined;
  if (status !== undefined && !runStatuses.includes(status as ServerRunStatus)) {
    throw new HttpError(400, 'invalid_request', `'status' must be one of ${runStatuses.join(', ')}`);
  }
  const limitText = query.get('limit');
  const limit = limitText === null || limitText === '' ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new HttpError(400, 'invalid_request', "'limit' must be an integer from 1 to 100");
  }
  const runs = deps.runs.list({ agent, status: status as ServerRunStatus | undefined, limit });
  sendJson(res, 200, { data: runs.map((run) => run.summary()), meta: { requestId, count: runs.length } });
}
