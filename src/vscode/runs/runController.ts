import * as vscode from 'vscode';
import { effectiveApplyMode } from '../../core/applyMode';
import type { Logger } from '../../core/logger';
import { describeRunError, RunClient, type RunErrorInfo, type RunEvent, type RunOutcome } from '../../core/run';
import { checkDevUrl } from '../../core/trust/devUrl';
import type { LoggedEvent, RunHeader } from '../../core/viewProtocol';
import { openDevUrl } from '../devUrl';
import { Disposable } from '../disposable';
import { EditSession } from '../edits';
import { protectedHold } from '../edits/protectedHold';
import { Commands, ContextKeys } from '../ids';
import type { OpenDevUrlSetting } from '../settings';
import type { RunHistory } from './runHistory';
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
    const claim: ActiveRun = { cancel: async () => { claim.cancelled = true; } };
    this.active = claim;
    void vscode.commands.executeCommand('setContext', ContextKeys.runActive, true);
    let record: RunRecord | undefined;
    let summary: RunSummary | undefined;
    try {
      // Where the run goes and with which key, before anything of the run exists: a refused run
      // leaves no trace in the history.
      const resolved = await this.targets.resolve(options.args, options.folder);
      if (!resolved.ok) {
        showRefusal(resolved.refusal);
        this.logger.info(`run not started (${resolved.refusal.code}): ${resolved.refusal.message}`);
        return failedSummary({ code: resolved.refusal.code, message: resolved.refusal.message });
      }
      const prepared = resolved.target;
      if (claim.cancelled) return { ...failedSummary({ code: 'cancelled_by_user', message: 'The run was cancelled before it started.' }), status: 'cancelled' };
      const created = this.createRun(options, prepared);
      record = created.record;
      summary = await this.runIt(claim, created.record, created.edits, options, prepared);
      return summary;
    } finally {
      if (this.active === claim) this.active = undefined;
      void vscode.commands.executeCommand('setContext', ContextKeys.runActive, false);
      if (record && summary) this.ended.fire({ record, summary });
    }
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

  private async runIt(claim: ActiveRun, record: RunRecord, edits: EditSession | undefined, options: StartRunOptions, target: RunTarget): Promise<RunSummary> {
    const { settings, apiSlug } = target;
    const client = new RunClient({
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      apiStyle: settings.apiStyle,
      idleTimeoutMs: settings.requestTimeoutSeconds * 1000,
      logger: this.clientLogger,
      userAgent: `runtools-vscode/${vscode.version}`,
    });
    this.logger.info(`run ${record.localId}: starting on ${target.origin} (from ${target.originSource}; ${settings.apiStyle} style, agent "${apiSlug}", ${settings.stream ? 'streaming' : 'not streaming'}, edits: ${record.header.applyMode}${options.folder ? ` into ${options.folder.name}` : ''}; key from ${target.keySource})`);
    const handle = client.start({
      apiSlug,
      message: options.message,
      stream: settings.stream,
      params: { ...settings.params, ...options.args.params },
      mounts: options.args.mounts ?? (settings.mounts.length ? settings.mounts : undefined),
      context: { ...settings.context, ...options.context, ...options.args.context },
    });
    claim.record = record;
    claim.cancel = () => handle.cancel();
    this.started.fire(record);
    handle.onRunId((serverRunId) => {
      this.update(record, { serverRunId });
      this.logger.info(`run ${record.localId}: server run id ${serverRunId}`);
    });

    const run = (async () => {
      await this.consume(record, handle.events, edits, settings.openDevUrl);
      const outcome = await handle.outcome;
      await edits?.settled();
      return this.finish(record, outcome, edits, settings.stream, settings.openDevUrl);
    })();
    return options.showProgress ? withRunProgress(this, record, run) : run;
  }

  /** Reads the events; returns once every edit has been handled. */
  private async consume(record: RunRecord, events: AsyncIterable<RunEvent>, edits: EditSession | undefined, openSetting: OpenDevUrlSetting): Promise<void> {
    const editWork: Promise<unknown>[] = [];
    let devUrlOpened = false;
    for await (const event of events) {
      if (record.header.status === 'starting') this.update(record, { status: 'running' });
      const { logged, forView } = record.append(event);
      this.appended.fire({ localId: record.localId, events: [forView] });
      if (event.type === 'file_edit') {
        if (edits) {
          editWork.push(edits.handle(logged.seq, event).catch((error: unknown) => {
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
    this.update(record, {
      status: outcome.status,
      endedAt: Date.now(),
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
