import * as vscode from 'vscode';
import { effectiveApplyMode } from '../../core/applyMode';
import { checkDevUrl } from '../../core/trust/devUrl';
import type { Logger } from '../../core/logger';
import { describeRunError, RunClient, type RunErrorInfo, type RunEvent, type RunOutcome } from '../../core/run';
import type { EditView, LoggedEvent, RunHeader } from '../../core/viewProtocol';
import { openDevUrl } from '../devUrl';
import { Disposable } from '../disposable';
import { EditSession } from '../edits';
import { Commands, ContextKeys } from '../ids';
import type { OpenDevUrlSetting } from '../settings';
import type { RunHistory } from './runHistory';
import { RunRecord } from './runRecord';
import { showRefusal, type RunTargetResult, type RunTargets } from './runTarget';
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

interface ActiveRun {
  record: RunRecord;
  cancel(): Promise<void>;
}

/**
 * Starts runs and owns their state: builds the request from settings and arguments, reads the
 * events into the run's record, hands file edits to the run's EditSession, opens the dev URL, and
 * turns the outcome into the summary the commands return. Views listen to its events.
 * One run at a time per window: two runs writing the same files at once would fight.
 */
export class RunController extends Disposable {
  private active: ActiveRun | undefined;
  private starting = false;
  private readonly started = this._register(new vscode.EventEmitter<RunRecord>());
  private readonly appended = this._register(new vscode.EventEmitter<AppendedEvents>());
  private readonly updated = this._register(new vscode.EventEmitter<{ localId: string; header: Partial<RunHeader> }>());
  private readonly editUpdated = this._register(new vscode.EventEmitter<{ localId: string; edit: EditView }>());
  private readonly ended = this._register(new vscode.EventEmitter<{ record: RunRecord; summary: RunSummary }>());

  public readonly onDidStartRun = this.started.event;
  public readonly onDidAppendEvents = this.appended.event;
  public readonly onDidUpdateRun = this.updated.event;
  public readonly onDidUpdateEdit = this.editUpdated.event;
  public readonly onDidEndRun = this.ended.event;

  constructor(
    private readonly targets: RunTargets,
    private readonly history: RunHistory,
    private readonly logger: Logger,
    private readonly clientLogger: Logger,
    private readonly editLogger: Logger,
    /** Where Undo Run keeps the user's version of a file it overwrites. */
    private readonly backupDir: vscode.Uri,
  ) {
    super();
    void vscode.commands.executeCommand('setContext', ContextKeys.hasRuns, history.ids().length > 0);
  }

  public get activeRun(): RunRecord | undefined {
    return this.active?.record;
  }

  public async cancelActive(): Promise<boolean> {
    if (!this.active) return false;
    await this.active.cancel();
    return true;
  }

  public async start(options: StartRunOptions): Promise<RunSummary> {
    if (this.active || this.starting) {
      const message = 'A RunTools run is already active in this window. Cancel it, or wait for it to finish, before starting another.';
      void vscode.window.showWarningMessage(message, 'Cancel Active Run').then((answer) => answer && this.cancelActive());
      return failedSummary({ code: 'run_active', message });
    }
    // Where the run goes and with which key, before anything of the run exists: a refused run
    // leaves no trace in the history.
    // `starting` keeps a second run started meanwhile (two commands in one tick) out.
    this.starting = true;
    let resolved: RunTargetResult;
    try {
      resolved = await this.targets.resolve(options.args, options.folder);
    } finally {
      this.starting = false;
    }
    if (!resolved.ok) {
      showRefusal(resolved.refusal);
      this.logger.info(`run not started (${resolved.refusal.code}): ${resolved.refusal.message}`);
      return failedSummary({ code: resolved.refusal.code, message: resolved.refusal.message });
    }
    const { target } = resolved;
    const { settings } = target;
    const applyMode = effectiveApplyMode(settings.applyEdits, { hasFolder: options.folder !== undefined, trusted: vscode.workspace.isTrusted });

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
      ? new EditSession({ runId: record.localId, folder: options.folder, mode: applyMode, sandboxRoot: settings.sandboxRoot, logger: this.editLogger, backupDir: this.backupDir })
      : undefined;
    this.history.add({ record, edits });
    void vscode.commands.executeCommand('setContext', ContextKeys.hasRuns, true);
    const editSubscription = edits?.onDidChangeEdit((edit) => this.setEdit(record, edit));

    const client = new RunClient({
      baseUrl: target.baseUrl,
      apiKey: target.apiKey,
      apiStyle: settings.apiStyle,
      idleTimeoutMs: settings.requestTimeoutSeconds * 1000,
      logger: this.clientLogger,
      userAgent: `runtools-vscode/${vscode.version}`,
    });
    this.logger.info(`run ${record.localId}: starting on ${target.origin} (from ${target.originSource}; ${settings.apiStyle} style, agent "${target.apiSlug}", ${settings.stream ? 'streaming' : 'not streaming'}, edits: ${applyMode}${options.folder ? ` into ${options.folder.name}` : ''}; key from ${target.keySource})`);
    const handle = client.start({
      apiSlug: target.apiSlug,
      message: options.message,
      stream: settings.stream,
      params: { ...settings.params, ...options.args.params },
      mounts: options.args.mounts ?? (settings.mounts.length ? settings.mounts : undefined),
      context: { ...settings.context, ...options.context, ...options.args.context },
    });
    this.active = { record, cancel: () => handle.cancel() };
    void vscode.commands.executeCommand('setContext', ContextKeys.runActive, true);
    this.started.fire(record);
    handle.onRunId((serverRunId) => {
      this.update(record, { serverRunId });
      this.logger.info(`run ${record.localId}: server run id ${serverRunId}`);
    });

    const work = this.consume(record, handle.events, edits, settings.openDevUrl);
    const run = (async () => {
      const editsDone = await work;
      const outcome = await handle.outcome;
      await editsDone;
      return this.finish(record, outcome, edits, settings.stream, settings.openDevUrl);
    })();

    const summary = options.showProgress ? await this.withProgress(record, run) : await run;
    editSubscription?.dispose();
    this.active = undefined;
    void vscode.commands.executeCommand('setContext', ContextKeys.runActive, false);
    this.ended.fire({ record, summary });
    return summary;
  }

  /** Reads the events; resolves with a promise of every edit having been handled. */
  private async consume(
    record: RunRecord,
    events: AsyncIterable<RunEvent>,
    edits: EditSession | undefined,
    openSetting: OpenDevUrlSetting,
  ): Promise<Promise<unknown>> {
    const editWork: Promise<unknown>[] = [];
    let devUrlOpened = false;
    for await (const event of events) {
      if (record.header.status === 'starting') this.update(record, { status: 'running' });
      const { logged, forView } = record.append(event);
      this.appended.fire({ localId: record.localId, events: [forView] });
      if (event.type === 'file_edit') {
        if (edits) {
          editWork.push(edits.handle(logged.seq, event).then(
            (edit) => this.setEdit(record, edit),
            (error: unknown) => this.logger.error(`run ${record.localId}: edit #${logged.seq} failed: ${error instanceof Error ? error.message : String(error)}`),
          ));
        } else {
          this.setEdit(record, { seq: logged.seq, paths: [event.path], added: 0, removed: 0, state: 'shown', reason: 'No workspace folder is open, so edits are only shown.' });
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
    return Promise.allSettled(editWork);
  }

  private async finish(record: RunRecord, outcome: RunOutcome, edits: EditSession | undefined, streamed: boolean, openSetting: OpenDevUrlSetting): Promise<RunSummary> {
    let output = outcome.output ?? (outcome.result !== undefined ? JSON.stringify(outcome.result, null, 2) : undefined);
    if (!streamed && outcome.files.length > 0) {
      output = `${output ?? ''}\n\n**Files the agent changed in its sandbox** (a non-streaming answer carries no diffs, so nothing was applied; turn on \`runtools.stream\` to get the edits):\n\n${outcome.files.map((f) => `- \`${f}\``).join('\n')}`.trim();
    }
    const error = outcome.error ? {
      message: describeRunError(outcome.error),
      code: outcome.error.code,
      requestId: outcome.error.requestId ?? outcome.requestId,
      hint: outcome.error.hint,
    } : undefined;
    if (!record.header.devUrl && outcome.devUrl && checkDevUrl(outcome.devUrl).ok) {
      this.update(record, { devUrl: outcome.devUrl });
      void this.openDevUrl(record, outcome.devUrl, openSetting);
    }
    this.update(record, {
      status: outcome.status,
      endedAt: Date.now(),
      output,
      usage: outcome.usage,
      serverRunId: outcome.runId ?? record.header.serverRunId,
      error,
    });
    const summary = edits?.summary();
    this.logger.info(`run ${record.localId}: ${outcome.status} in ${outcome.durationMs} ms${outcome.runId ? `, run id ${outcome.runId}` : ''}${outcome.requestId ? `, request id ${outcome.requestId}` : ''}; ${record.events.length} events, ${summary?.applied.length ?? 0} file(s) applied, ${summary?.conflicts.length ?? 0} conflict(s), ${summary?.refused.length ?? 0} refused`);
    if (outcome.error && outcome.status !== 'cancelled') this.reportFailure(outcome.error, outcome.requestId);
    await this.history.save(record.localId);
    return {
      id: outcome.runId ?? record.header.serverRunId,
      localId: record.localId,
      status: outcome.status,
      output,
      devUrl: record.header.devUrl,
      files: outcome.files,
      applied: summary?.applied ?? [],
      conflicts: summary?.conflicts ?? [],
      refused: summary?.refused ?? [],
      pending: summary?.pending ?? [],
      usage: outcome.usage,
      error: error ? { code: error.code, message: error.message, requestId: error.requestId } : undefined,
    };
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

  private withProgress(record: RunRecord, run: Promise<RunSummary>): Thenable<RunSummary> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'RunTools', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => void this.cancelActive());
        progress.report({ message: `running "${shorten(record.header.prompt, 60)}"...` });
        let lastReport = 0;
        const subscription = this.onDidAppendEvents(({ localId, events }) => {
          if (localId !== record.localId || Date.now() - lastReport < 250) return;
          lastReport = Date.now();
          progress.report({ message: progressLine(events[events.length - 1]) });
        });
        try {
          return await run;
        } finally {
          subscription.dispose();
        }
      },
    );
  }

  private update(record: RunRecord, header: Partial<RunHeader>): void {
    record.update(header);
    this.updated.fire({ localId: record.localId, header });
  }

  private setEdit(record: RunRecord, edit: EditView): void {
    record.setEdit(edit);
    this.editUpdated.fire({ localId: record.localId, edit });
    if (!record.isActive) this.history.scheduleSave(record.localId);
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

function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

function progressLine(logged: LoggedEvent | undefined): string {
  const event = logged?.event;
  switch (event?.type) {
    case 'thinking': return 'thinking...';
    case 'tool_call': return `running ${event.tool}...`;
    case 'tool_result': return 'reading tool output...';
    case 'file_edit': return `editing ${event.path}`;
    case 'dev_url': return `dev server at ${event.url}`;
    case 'error': return `error: ${shorten(event.message, 60)}`;
    case 'complete': return 'finishing...';
    default: return 'working...';
  }
}
