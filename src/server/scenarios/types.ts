/**
 * A scripted run: the frames a request with `params.scenario` receives instead of the demo agent.
 * Strings inside frames may use `{{runId}}`, and inside `repeat` also `{{i}}` (1-based) and `{{n}}`.
 * A value `{"$repeat": "text", "times": 1000, "param": "lines"}` becomes the text repeated
 * (`params.lines` overrides `times`), for huge payloads that would not fit in a JSON file.
 */
export interface Scenario {
  description: string;
  /** Answer with this HTTP status instead of starting a run (429, 500, ...). */
  response?: {
    status: number;
    headers?: Record<string, string>;
    /** Sent in the error envelope; ignored when `body` is given. */
    error?: { code: string; message: string };
    /** A raw body, e.g. the HTML page of a failing proxy. */
    body?: string;
    contentType?: string;
  };
  frames?: Frame[];
  /** The run's status when the frames end without a `complete` event. */
  final?: { status: 'completed' | 'failed'; output?: string };
  /** For tests and readers: workspace-relative contents after every file_edit applied (null = deleted). */
  expectedFiles?: Record<string, string | null>;
}

interface Timed {
  /** Milliseconds to wait before this frame, at delay scale 1. */
  delay?: number;
}

/** A well-formed event; without `event` only `data:` lines are written (the `type`-field servers). */
export interface EventFrame extends Timed {
  event?: string;
  data?: unknown;
  /** Its SSE `id:` instead of the sequence number. */
  id?: string;
  /** Written as a `retry:` block just before the event. */
  retry?: number;
}
export interface RawFrame extends Timed { raw: string }
export interface CommentFrame extends Timed { comment: string }
/** Destroys the socket; the run goes on without a listener, so `GET /v1/run/{id}` sees it finish. */
export interface DropFrame extends Timed { drop: true }
/**
 * Asks the user: emits `input_required` with `{question}`, waits for the run-stream socket's
 * `input` command, then emits `input_received` with `{text}`; later frames may use `{{input}}`.
 */
export interface AskFrame extends Timed { ask: string }
/** Keep-alive comments every `every` ms until the run is cancelled or the client goes. */
export interface KeepAliveFrame extends Timed { keepAlive: { every: number; comment?: string } }
/**
 * Plays `frames` `repeat` times; `params[param]` overrides the count. With `unit: 'frames'` the
 * count is of frames played (cycling through `frames`), so `params.events: 10000` means 10,000 events.
 */
export interface RepeatFrame { repeat: number; param?: string; unit?: 'rounds' | 'frames'; frames: Frame[] }

export type Frame = EventFrame | RawFrame | CommentFrame | DropFrame | KeepAliveFrame | AskFrame | RepeatFrame;
