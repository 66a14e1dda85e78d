import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { httpError, redirectError } from '../errorMapping';
import { IdleTimer } from '../idleTimer';
import { RedirectRefused } from '../redirects';
import { normaliseFrame } from '../normalise';
import { apiHeaders } from '../request';
import type { RunTracker } from '../runTracker';
import type { RunErrorInfo } from '../types';
import { idOf, isRecord, num } from '../wireFields';
import { isAbsentStatus, type FollowContext, type StepResult } from './followContext';

/** A command for the agent (docs/protocol.md section 7). */
export type RunCommand = { action: 'pause' } | { action: 'resume' } | { action: 'cancel' } | { action: 'input'; text: string };

/**
 * The run-stream socket (`/v1/run/{apiSlug}/stream/{runId}`, `X-API-Key` on the handshake),
 * on `ws`: Node 20 has no stable WebSocket, and this one takes headers and can refuse redirects.
 * Following, it hands every event message to the tracker; control-only, it ignores them (another
 * transport delivers the events) and only carries commands and their answers.
 */
export class RunStreamSocket {
  private socket: WebSocket | undefined;
  private settled = false;

  constructor(private readonly tracker: RunTracker, private readonly ctx: FollowContext, private readonly controlOnly: boolean) {}

  get open(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Sends a command; false when the socket is not open. */
  send(command: RunCommand): boolean {
    if (!this.open) return false;
    this.socket!.send(JSON.stringify(command));
    return true;
  }

  close(): void {
    this.socket?.terminate();
  }

  /** Connects; resolves once the socket is over (or `onOpen` was called, for the caller to send on it). */
  run(onOpen?: () => void): Promise<StepResult> {
    const { tracker, ctx } = this;
    const url = socketUrl(ctx.endpoint.baseUrl, tracker.apiSlug, tracker.runId!);
    const headers = apiHeaders(ctx.endpoint, 'application/json');
    // Without an event id the socket is taken to replay the run from its start (docs/protocol.md).
    const lastEventId = tracker.ledger.lastEventId;
    if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
    let position = 0;
    let replayed = 0;
    return new Promise<StepResult>((resolve) => {
      const socket = new WebSocket(url, { headers, followRedirects: false, handshakeTimeout: ctx.requestTimeoutMs, maxPayload: 256 * 1024 * 1024 });
      this.socket = socket;
      const idle = this.controlOnly ? undefined : new IdleTimer(ctx.idleTimeoutMs, () => finish({ kind: 'cut', replayed, reason: `The run-stream socket sent nothing for ${Math.round(ctx.idleTimeoutMs / 1000)} s.` }));
      const onAbort = (): void => finish({ kind: 'stopped' });
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const finish = (result: StepResult): void => {
        if (this.settled) return;
        this.settled = true;
        idle?.dispose();
        ctx.signal.removeEventListener('abort', onAbort);
        socket.removeAllListeners('message');
        socket.terminate();
        resolve(result);
      };
      socket.on('unexpected-response', (request, response: IncomingMessage) => {
        request.destroy();
        response.resume();
        finish(this.refused(url, response));
      });
      socket.on('error', (error) => finish({ kind: 'cut', replayed, reason: `The run-stream socket failed: ${ctx.redact(error.message)}` }));
      socket.on('open', () => {
        tracker.transports.runStream = 'offered';
        tracker.setControl({ available: true });
        if (!this.controlOnly) tracker.setConnection({ state: 'live', transport: 'runStream' });
        onOpen?.();
      });
      socket.on('close', (code) => finish(tracker.complete ? { kind: 'complete' } : { kind: 'cut', replayed, reason: `The run-stream socket closed (code ${code}) before the run finished.` }));
      socket.on('message', (data, isBinary) => {
        idle?.touch();
        if (isBinary) return;
        const text = data.toString();
        let message: unknown;
        try {
          message = JSON.parse(text);
        } catch {
          ctx.logger.debug(`Run-stream socket: a message that is not JSON was ignored: ${ctx.redact(text.slice(0, 120))}`);
          return;
        }
        if (!isRecord(message)) return;
        if (message.type === 'control') return this.controlAnswer(message);
        if (this.controlOnly) return;
        const identity = { sequence: num(message.sequence), id: idOf(message.id) ?? idOf(message.eventId), position: lastEventId === undefined ? position : undefined };
        position++;
        if (tracker.offer(normaliseFrame({ data: text }), identity, true)) replayed++;
        if (tracker.complete) finish({ kind: 'complete' });
      });
    });
  }

  private refused(url: string, response: IncomingMessage): StepResult {
    const status = response.statusCode ?? 0;
    // `ws` was told not to follow redirects: a handshake is never re-sent, to this origin or another.
    if (status >= 300 && status < 400) return { kind: 'fatal', error: this.redirect(url, status, response.headers.location) };
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
    const info = httpError(status, headers, '', { operation: 'follow', origin: this.ctx.origin, runId: this.tracker.runId, hasKey: !!this.ctx.endpoint.apiKey, redact: this.ctx.redact });
    // A plain answer (200) to the handshake: nothing speaks WebSocket there.
    if (isAbsentStatus(status) || (status >= 200 && status < 300)) return { kind: 'absent', reason: info.message };
    if (status === 401 || status === 403) return { kind: 'fatal', error: info };
    return { kind: 'cut', replayed: 0, reason: info.message };
  }

  private redirect(url: string, status: number, location: string | undefined): RunErrorInfo {
    const from = new URL(url);
    let shown = 'an address that is not a URL';
    let sameOrigin = false;
    try {
      const target = new URL(location ?? '', from);
      shown = `${target.protocol}//${target.host}${target.pathname}`;
      sameOrigin = target.host === from.host && target.protocol === from.protocol;
    } catch {
      // shown as not a URL
    }
    const refused = new RedirectRefused(status, 'GET', shown, sameOrigin ? 'not-resent' : 'other-origin');
    const error = redirectError(refused, { operation: 'follow', origin: this.ctx.origin, runId: this.tracker.runId, hasKey: !!this.ctx.endpoint.apiKey, redact: this.ctx.redact });
    this.ctx.logger.warn(error.message);
    return error;
  }

  /** The local server answers each command; other servers may not, so this only refines the state. */
  private controlAnswer(message: Record<string, unknown>): void {
    if (typeof message.paused === 'boolean') this.tracker.setControl({ paused: message.paused });
    if (message.ok === false && typeof message.message === 'string') this.ctx.logger.info(`Run-stream command ${String(message.action)}: ${this.ctx.redact(message.message)}`);
  }
}

export function socketUrl(baseUrl: string, apiSlug: string, runId: string): string {
  const url = new URL(`${baseUrl}/v1/run/${encodeURIComponent(apiSlug)}/stream/${encodeURIComponent(runId)}`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
