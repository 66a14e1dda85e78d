import * as vscode from 'vscode';
import { effectiveApplyMode } from '../../core/applyMode';
import type { Logger } from '../../core/logger';
import { describeRunError, RunClient, type ControlResult, type Delivery, type RunErrorInfo, type RunHandle, type RunOutcome } from '../../core/run';
import { checkDevUrl } from '../../core/trust/devUrl';
import type { LoggedEvent, RunHeader } from '../../core/viewProtocol';
import { openDevUrl } from '../devUrl';
import { Disposable } from '../disposable';
import { EditSession } from '../edits';
import { protectedHold } from '../edits/protectedHold';
import { Commands, ContextKeys } from '../ids';
import type { OpenDevUrlSetting } from '../settings';
import type { RunHistory } from './runHistory';
import { connectionView, controlView } from './followView';
import { withRunProgress } from './runProgress';
import { RunRecord } from './runRecord';
import { editsLine, errorOf, outputOf, runNote, summaryOf } from './runResult';
import { showRefusal, type RunTarget, type RunTargets } from './runTarget';
import type { RunCommandArgs, RunSummary } from './runSummary';

export interface StartRunOptions {
  args: RunCommandArgs;
  /** What the user asked, as the views show it. */
  prompt: string;
  /** What is sent as `message` (the prompt, plus the selection for selection runs). */
  message: string;
  /** Context the command built (selection, file, chat history); settings' context is merged under it. */
  context: Record<string, unknown>;
  selection?: RunHeader['selection'];
  folder: vscode.WorkspaceFolder | undefined;
  /** Palette runs show a cancellable progress notification. */
  showProgress: boolean;
}

export interface AppendedEvents { localId: string; events: LoggedEvent[] }

/** The run of this window, from the moment it is claimed (before anything is awaited) to its end. */
interface ActiveRun {
  record?: RunRecord;
  handle?: RunHandle;
  cancel(): Promise<void>;
  /** Cancel was asked for before the run reached the server. */
  cancelled?: boolean;
}

/**
 * Starts runs and follows them: builds the request from settings and arguments, reads the events
 * into the run's record, hands file edits to the run's EditSession, opens the dev URL, and turns
 * the outcome into the summary the commands return. The history announces every later change.
 *
 * One run at a time per window, claimed before the first await: two runs writing the same files
 * at once would fight, and two commands in the same tick must not both start one.
 */
export class RunController extends Disposable {
  private active: ActiveRun | undefined;
  private readonly started = this._register(new vscode.EventEmitter<RunRecord>());
  private readonly appended = this._register(new vscode.EventEmitter<AppendedEvents>());
  private readonly ended = this._register(new vscode.EventEmitter<{ record: RunRecord; summary: RunSummary }>());

  public readonly onDidStartRun = this.started.event;
  public readonly onDidAppendEvents = this.appended.event;
  public readonly onDidEndRun = this.ended.event;

  constructor(
    private readonly targets: RunTargets,
    private readonly history: RunHistory,
    private readonly logger: Logger,
    private readonly clientLogger: Logger,
    private readonly editLogger: Logger,
    /** Where reverts keep the user's version of a file they write over. */
    private readonly backupDir: vscode.Uri,
  ) {
    super();
    void vscode.commands.executeCommand('setContext', ContextKeys.hasRuns, history.ids().length > 0);
  }

  public get activeRun(): RunRecord | undefined {
    return this.active?.record;
  }

  /** A run is active or being started: a new one would be refused. */
  public get isBusy(): boolean {
    return this.active !== undefined;
  }

  public async cancelActive(): Promise<boolean> {
    if (!this.active) return false;
    await this.active.cancel();
    return true;
  }

  /** Tells the user a run is already active (with a way to cancel it); returns the refusal. */
  public refuseBusy(): RunSummary {
    const message = 'A RunTools run is already active in this window. Cancel it, or wait for it to finish, before starting another.';
    void vscode.window.showWarningMessage(message, 'Cancel Active Run').then((answer) => answer && this.cancelActive());
    return failedSummary({ code: 'run_active', message });
  }

  public async start(options: StartRunOptions): Promise<RunSummary> {
    if (this.active) return this.refuseBusy();
    return this.claimed(async (claim) => {
      // Where the run goes and with which key, before anything of the run exists: a refused run
      // leaves no trace in the history.
      const resolved = await this.targets.resolve(options.args, options.folder);
      if (!resolved.ok) {
        showRefusal(resolved.refusal);
        this.logger.info(`run not started (${resolved.refusal.code}): ${resolved.refusal.message}`);
        return { summary: failedSummary({ code: resolved.refusal.code, message: resolved.refusal.message }) };
      }
      const target = resolved.target;
      if (claim.cancelled) return { summary: { ...failedSummary({ code: 'cancelled_by_user', message: 'The run was cancelled before it started.' }), status: 'cancelled' } };
      const { record, edits } = this.createRun(options, target);
      const client = this.clientFor(target);
      this.logger.info(`run ${record.localId}: starting on ${target.origin} (from ${target.originSource}; ${target.settings.apiStyle} style, agent "${target.apiSlug}", ${target.settings.stream ? 'streaming' : 'not streaming'}, edits: ${record.header.applyMode}${options.folder ? ` into ${options.folder.name}` : ''}; key from ${target.keySource})`);
      const handle = client.start({
        apiSlug: target.apiSlug,
        message: options.message,
        stream: target.settings.stream,
        params: { ...target.settings.params, ...options.args.params },
        mounts: options.args.mounts ?? (target.settings.mounts.length ? target.settings.mounts : undefined),
        context: { ...target.settings.context, ...options.context, ...options.args.context },
        ...(options.args.threadId ? { threadId: options.args.threadId } : {}),
      });
      claim.record = record;
      this.started.fire(record);
      const run = this.follow(claim, record, edits, handle, target);
      return { record, summary: await (options.showProgress ? withRunProgress(this, record, run) : run) };
    });
  }

  /**
   * Follows a run of the history again: after a window reload (it was active when the window
   * closed), or when the user asks (Retry after the extension gave up). Where the server still
   * has it, the missed events are caught up and the run goes on live; its key goes only to the
   * origin the run was started on, and only while that is still where runs go.
   */
  public async followAgain(localId: string, why: 'reload' | 'retry'): Promise<RunSummary | undefined> {
    if (this.active) {
      if (why === 'retry') this.refuseBusy();
      return undefined;
    }
    return this.claimed(async (claim) => {
      const entry = await this.history.get(localId);
      const resume = entry?.record.resume;
      if (!entry) return { summary: undefined };
      const record = entry.record;
      const folder = entry.edits?.folder;
      const stop = (message: string, hint?: string) => {
        this.update(record, { status: 'interrupted', connection: undefined, control: undefined, error: { message, hint } });
        this.logger.info(`run ${localId}: not followed again: ${message}`);
        return { summary: undefined };
      };
      if (!resume) return stop('The window was closed while this run was active, before the server named the run, so it cannot be followed again.', 'It may have finished on the server; look for it in the RunTools dashboard.');
      const resolved = await this.targets.resolve({ apiSlug: resume.apiSlug }, folder);
      if (!resolved.ok) return stop(`The run cannot be followed again: ${resolved.refusal.message}`);
      if (resolved.target.origin !== resume.origin) {
        return stop(`The run was started on ${resume.origin}, but runs now go to ${resolved.target.origin}; its key is not sent elsewhere to follow it.`, `Point runtools.baseUrl at ${resume.origin} again to follow it.`);
      }
      if (claim.cancelled) return stop('Following the run again was cancelled.');
      this.logger.info(`run ${localId}: following run ${resume.runId} again on ${resume.origin} (${why}; ${resume.delivered} events so far)`);
      this.update(record, { status: 'running', endedAt: undefined, error: undefined, connection: { state: 'reconnecting', text: why === 'reload' ? 'The window was reloaded; following the run again…' : 'Following the run again…' } });
      const handle = this.clientFor(resolved.target).attach(resume);
      this.started.fire(record);
      return { record, summary: await this.follow(claim, record, entry.edits, handle, resolved.target) };
    });
  }

  /** The runs that were active when the window last closed are followed again, one after the other. */
  public async followActiveAfterReload(): Promise<void> {
    for (const localId of this.history.activeIds()) {
      this.history.markActive(localId, false);
      await this.followAgain(localId, 'reload');
    }
  }

  public pauseActive(): Promise<ControlResult> {
    return this.control((handle) => handle.pause());
  }

  public resumeActive(): Promise<ControlResult> {
    return this.control((handle) => handle.resume());
  }

  /** Answers the active run's agent, which asked a question. */
  public answerActive(text: string): Promise<ControlResult> {
    return this.control((handle) => handle.input(text));
  }

  private async control(op: (handle: RunHandle) => Promise<ControlResult>): Promise<ControlResult> {
    const handle = this.active?.handle;
    if (!handle) return { ok: false, message: 'No run is active.' };
    if (!handle.control.available) return { ok: false, message: 'This server offers no way to talk to a running agent (no run-stream socket).' };
    return op(handle);
  }

  /**
   * Runs `op` with the window's one run slot, taken before the first await (two commands in the
   * same tick cannot both have it) and given back however `op` ends.
   */
  private async claimed<T extends RunSummary | undefined>(op: (claim: ActiveRun) => Promise<{ record?: RunRecord; summary: T }>): Promise<T> {
    const claim: ActiveRun = { cancel: async () => { claim.cancelled = true; } };
    this.active = claim;
    void vscode.commands.executeCommand('setContext', ContextKeys.runActive, true);
    let outcome: { record?: RunRecord; summary: T } | undefined;
    try {
      outcome = await op(claim);
      return outcome.summary;
    } finally {
      if (this.active === claim) this.active = undefined;
      void vscode.commands.executeCommand('setContext', ContextKeys.runActive, false);
      if (outcome?.record && outcome.summary) this.ended.fire({ record: outcome.record, summary: outcome.summary });
    }
  }

  private clientFor(target: RunTarget): RunClient {
    return new RunClient({
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      apiStyle: target.settings.apiStyle,
      idleTimeoutMs: target.settings.requestTimeoutSeconds * 1000,
      logger: this.clientLogger,
      userAgent: `runtools-vscode/${vscode.version}`,
    });
  }

  private createRun(options: StartRunOptions, prepared: RunTarget): { record: RunRecord; edits: EditSession | undefined } {
    const applyMode = effectiveApplyMode(prepared.settings.applyEdits, { hasFolder: options.folder !== undefined, trusted: vscode.workspace.isTrusted });
    const record = new RunRecord({
      localId: newLocalId(),
      prompt: options.prompt,
      selection: options.selection,
      folderName: options.folder?.name,
      status: 'starting',
      startedAt: Date.now(),
      applyMode,
    });
    const edits = options.folder
      ? new EditSession({
        runId: record.localId, folder: options.folder, mode: applyMode, sandboxRoot: prepared.settings.sandboxRoot, logger: this.editLogger, backupDir: this.backupDir,
        holdReason: protectedHold(options.folder, prepared.settings.protectedPaths),
      })
      : undefined;
    this.history.add({ record, edits });
    void vscode.commands.executeCommand('setContext', ContextKeys.hasRuns, true);
    return { record, edits };
  }

  /** Follows a handle to its end: events into the record, edits into the session, state into the views and the history. */
  private async follow(claim: ActiveRun, record: RunRecord, edits: EditSession | undefined, handle: RunHandle, target: RunTarget): Promise<RunSummary> {
    const { settings } = target;
    claim.record = record;
    claim.handle = handle;
    claim.cancel = () => handle.cancel();
    this.history.markActive(record.localId, true);
    const subscriptions = [
      handle.onRunId((serverRunId) => {
        this.update(record, { serverRunId });
        this.logger.info(`run ${record.localId}: server run id ${serverRunId}`);
      }),
      handle.onResumeState((state) => {
        this.history.setResume(record.localId, state);
        if (state.threadId && state.threadId !== record.header.threadId) this.update(record, { threadId: state.threadId });
      }),
      handle.onConnection((status) => {
        const view = connectionView(status, record.header.connection);
        if (JSON.stringify(view) !== JSON.stringify(record.header.connection)) this.update(record, { connection: view });
        if (status.state === 'reconnecting' || status.state === 'gaveUp') this.logger.info(`run ${record.localId}: ${view?.text ?? status.state}`);
      }),
      handle.onControl((state) => this.update(record, { control: controlView(state) })),
    ];
    try {
      await this.consume(record, handle.deliveries, edits, settings.openDevUrl);
      const outcome = await handle.outcome;
      await edits?.settled();
      return await this.finish(record, outcome, edits, settings.stream, settings.openDevUrl);
    } finally {
      for (const subscription of subscriptions) subscription.dispose();
      this.history.markActive(record.localId, false);
    }
  }

  /** Reads the events; returns once every edit has been handled. */
  private async consume(record: RunRecord, deliveries: AsyncIterable<Delivery>, edits: EditSession | undefined, openSetting: OpenDevUrlSetting): Promise<void> {
    const editWork: Promise<unknown>[] = [];
    let devUrlOpened = !!record.header.devUrl;
    for await (const { event, key } of deliveries) {
      if (record.header.status === 'starting') this.update(record, { status: 'running' });
      const { logged, forView } = record.append(event);
      this.appended.fire({ localId: record.localId, events: [forView] });
      if (event.type === 'file_edit') {
        if (edits) {
          // The key makes a file_edit delivered again (after a drop, a reload) the same edit: applied once.
          editWork.push(edits.handle(logged.seq, event, key).catch((error: unknown) => {
            this.logger.error(`run ${record.localId}: edit #${logged.seq} failed: ${error instanceof Error ? error.message : String(error)}`);
          }));
        } else {
          this.history.setEdit(record.localId, { seq: logged.seq, paths: [event.path], added: 0, removed: 0, state: 'shown', reason: 'No workspace folder is open, so edits are only shown.' });
        }
      } else if (event.type === 'dev_url') {
        const checked = checkDevUrl(event.url);
        if (!checked.ok) {
          this.logger.warn(`run ${record.localId}: dev URL refused: ${checked.reason}`);
          continue;
        }
        this.update(record, { devUrl: event.url });
        if (!devUrlOpened) {
          devUrlOpened = true;
          void this.openDevUrl(record, event.url, openSetting);
        }
      }
    }
    await Promise.allSettled(editWork);
  }

  private async finish(record: RunRecord, outcome: RunOutcome, edits: EditSession | undefined, streamed: boolean, openSetting: OpenDevUrlSetting): Promise<RunSummary> {
    if (!record.header.devUrl && outcome.devUrl && checkDevUrl(outcome.devUrl).ok) {
      this.update(record, { devUrl: outcome.devUrl });
      void this.openDevUrl(record, outcome.devUrl, openSetting);
    }
    // What following the run brought back (caught up N events) or why it stopped stays in view.
    const kept = record.header.connection;
    const gaveUp = kept && (kept.state === 'gaveUp' || kept.text.startsWith('Reconnected')) ? kept : undefined;
    this.update(record, {
      status: outcome.status,
      endedAt: Date.now(),
      connection: gaveUp,
      control: undefined,
      ...(outcome.threadId ? { threadId: outcome.threadId } : {}),
      output: outputOf(outcome),
      note: runNote(outcome, streamed),
      usage: outcome.usage,
      serverRunId: outcome.runId ?? record.header.serverRunId,
      error: errorOf(outcome),
    });
    const summary = summaryOf(record.localId, outcome, record.header, edits?.summary());
    this.logger.info(`run ${record.localId}: ${outcome.status} in ${outcome.durationMs} ms${outcome.runId ? `, run id ${outcome.runId}` : ''}${outcome.requestId ? `, request id ${outcome.requestId}` : ''}; ${record.events.length} events${edits ? `; ${editsLine(summary) || 'no file changes'}` : ''}`);
    if (outcome.error && outcome.status !== 'cancelled') this.reportFailure(outcome.error, outcome.requestId);
    await this.history.save(record.localId);
    return summary;
  }

  private reportFailure(error: RunErrorInfo, requestId: string | undefined): void {
    const id = error.requestId ?? requestId;
    const message = `RunTools: ${describeRunError(error)}${id && !describeRunError(error).includes(id) ? ` (request id ${id})` : ''}`;
    void vscode.window.showErrorMessage(message, 'Show Log').then((answer) => answer && vscode.commands.executeCommand(Commands.showLog));
  }

  private async openDevUrl(record: RunRecord, url: string, how: OpenDevUrlSetting): Promise<void> {
    try {
      const result = await openDevUrl(url, how);
      if (!result.opened && result.reason) this.logger.info(`run ${record.localId}: dev URL not opened: ${result.reason}`);
    } catch (error) {
      this.logger.warn(`run ${record.localId}: could not open the dev URL: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private update(record: RunRecord, header: Partial<RunHeader>): void {
    this.history.updateHeader(record.localId, header);
  }
}

function failedSummary(error: { code: string; message: string }): RunSummary {
  return { status: 'failed', files: [], applied: [], conflicts: [], refused: [], error };
}

let counter = 0;
function newLocalId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
