import type { Logger } from '../logger';
import type { ConnectionStatus, ControlResult, ControlState } from './connection';
import type { RunEvent, RunStatus, TokenUsage } from './events';
import type { ResumeState } from './resumeState';
import type { Delivery } from './runTracker';

/** `slug`: `POST /v1/run/{apiSlug}` (docs/protocol.md 1). `agent`: the newer `POST /v1/run` with `agent`/`prompt`. */
export type ApiStyle = 'slug' | 'agent';

export interface RunClientOptions {
  /** Origin of the API, e.g. `https://api.runtools.ai`. A trailing slash is fine. */
  baseUrl: string;
  apiKey?: string;
  apiStyle?: ApiStyle;
  /** A streaming run that receives no bytes for this long ends as `interrupted`. Default 120 000. */
  idleTimeoutMs?: number;
  /** How long a non-streaming run may take to answer. Default 900 000 (15 min). */
  responseTimeoutMs?: number;
  /** Timeout of the small calls: status, cancel, list. Default 15 000. */
  requestTimeoutMs?: number;
  logger?: Logger;
  userAgent?: string;
  /**
   * Events kept for a consumer that has not started iterating `events` yet. Once a consumer
   * iterates, the client reads the network only as fast as it consumes. Default 1024.
   */
  maxBufferedEvents?: number;
  /**
   * Following a run again after its stream broke (docs/protocol.md, "Following a run again").
   * `false`: a broken stream ends the run as interrupted after one status check.
   */
  reconnect?: false | { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** How often thread events are polled once caught up, when no run-stream socket exists. Default 1000. */
  pollIntervalMs?: number;
}

export interface RunRequest {
  /** The deployment's slug (`slug` style) or agent name (`agent` style). */
  apiSlug: string;
  message: string;
  stream: boolean;
  params?: Record<string, unknown>;
  mounts?: { workspaceId: string; path: string }[];
  context?: Record<string, unknown>;
  /** `agent` style only: continue a thread. */
  threadId?: string;
  /** `agent` style only. */
  metadata?: Record<string, unknown>;
}

export type RunErrorKind = 'http' | 'network' | 'timeout' | 'protocol' | 'agent' | 'cancelled';

/** Everything a user needs to understand a failure. Never carries the API key. */
export interface RunErrorInfo {
  kind: RunErrorKind;
  /** What happened, in one sentence. */
  message: string;
  /** HTTP status, for `http` errors. */
  status?: number;
  /** The server's error code (`not_found`, `tool_error`, ...) or the network error code (`ECONNREFUSED`). */
  code?: string;
  requestId?: string;
  /** What the user can do about it. */
  hint?: string;
  /** For 429: seconds to wait before trying again. */
  retryAfterSeconds?: number;
}

export interface RunOutcome {
  status: RunStatus;
  runId?: string;
  output?: string;
  /** The newer API's `result`, any JSON. */
  result?: unknown;
  devUrl?: string;
  /** Files the run changed (the answer's `files`, else the paths of its `file_edit` events). */
  files: string[];
  usage?: TokenUsage;
  /** Set unless `status` is `completed`. */
  error?: RunErrorInfo;
  requestId?: string;
  durationMs: number;
  threadId?: string;
  /**
   * For an `interrupted` run: the status the server reported afterwards (`completed`, `running`, ...).
   * The run stays `interrupted` because its events after the cut never arrived.
   */
  serverStatus?: string;
}

export interface RunHandle {
  /** Known as soon as the header, an event or the answer names it. */
  readonly runId: string | undefined;
  /**
   * The normalised events, for one consumer. Iterate from the start: once iterated, the client
   * reads only as fast as the consumer; leaving the loop early stops delivery (not the run).
   * Never throws: failures are in `outcome`.
   */
  readonly events: AsyncIterable<RunEvent>;
  /** Settles once the run is over. Never rejects. */
  readonly outcome: Promise<RunOutcome>;
  /** Stops reading at once and asks the server to cancel. Never rejects; no-op once the run is over. */
  cancel(): Promise<void>;
  /** Called once with the run id as soon as it is known (at once if it already is). */
  onRunId(listener: (runId: string) => void): { dispose(): void };

  /**
   * The same events as `events`, each with its stable key (`seq:12`, `id:abc` or `pos:3`): the host
   * records the keys of the `file_edit` events it applied and skips a key that comes again.
   * Iterate either this or `events`, not both.
   */
  readonly deliveries: AsyncIterable<Delivery>;
  /** Enough to re-attach after a reload (`RunClient.attach`); undefined until the run id is known. */
  readonly resumeState: ResumeState | undefined;
  /** Called on every change of the resume state (each delivered event): persist it lazily. */
  onResumeState(listener: (state: ResumeState) => void): { dispose(): void };
  readonly connection: ConnectionStatus;
  onConnection(listener: (status: ConnectionStatus) => void): { dispose(): void };
  /** Pause, resume and answers go over the run-stream socket, where the server has one. */
  readonly control: ControlState;
  onControl(listener: (state: ControlState) => void): { dispose(): void };
  pause(): Promise<ControlResult>;
  resume(): Promise<ControlResult>;
  /** Answers an agent that asked (`control.waitingForInput`). */
  input(text: string): Promise<ControlResult>;
  /** After the client gave up following the run (`connection.state === 'gaveUp'`): a new handle that tries again. */
  retry(): RunHandle | undefined;
}

/** A run as `GET /v1/run/{id}` (or a non-streaming answer) describes it. */
export interface RunSnapshot {
  id?: string;
  /** As sent: `completed`, `failed`, `cancelled`, `running`, ... */
  status?: string;
  output?: string;
  result?: unknown;
  devUrl?: string;
  files?: string[];
  usage?: TokenUsage;
  threadId?: string;
  agent?: string;
  createdAt?: string;
  completedAt?: string;
  /** The failure the server reports for a failed run. */
  error?: { message: string; code?: string };
  requestId?: string;
}

export interface ListRunsQuery {
  agent?: string;
  status?: string;
  limit?: number;
}
