import * as vscode from 'vscode';
import { ApiKeyStore } from './vscode/apiKeyStore';
import { clearApiKey, setApiKey } from './vscode/commands/apiKeyCommands';
import {
  cancelRun, openDevUrlCommand, openRunInEditor, reviewEditsCommand, undoRunCommand,
} from './vscode/commands/runManagementCommands';
import { answerAgent, controlRun, retryRun } from './vscode/commands/controlCommands';
import { protectedHold } from './vscode/edits/protectedHold';
import { registerReview } from './vscode/review/registerReview';
import { RunNotifier } from './vscode/runNotifier';
import { readRunSettings } from './vscode/settings';
import { runChatPrompt, runPrompt, runSelection } from './vscode/commands/runCommands';
import { registerEditContentProvider } from './vscode/edits';
import { Commands, Views } from './vscode/ids';
import { LocalServerSession, stopLocalServer, tryLocalServer } from './vscode/localServerSession';
import { loggerFor } from './vscode/log';
import { OriginApprovals } from './vscode/originApprovals';
import { setTestAnswerer, type Answerer } from './vscode/questions';
import { RunController } from './vscode/runs/runController';
import { RunHistory } from './vscode/runs/runHistory';
import { configuredOrigin, RunTargets } from './vscode/runs/runTarget';
import { RunStatusBar } from './vscode/statusBar';
import { ChatSession } from './vscode/views/chatSession';
import { ChatViewProvider } from './vscode/views/chatViewProvider';
import { RunPanels } from './vscode/views/runPanels';
import { ViewActions } from './vscode/views/viewActions';
import type { Received } from './vscode/views/viewConnection';
import type { ComposerState, RunView } from './core/viewProtocol';
import { runViewOf } from './vscode/views/runViews';
import { AgentChoices } from './vscode/agents/agentChoices';
import { addContext } from './vscode/commands/contextCommands';
import { ComposerContext } from './vscode/context/composerContext';
import { deleteFromHistory, exportRun } from './vscode/history/historyActions';
import { showHistory } from './vscode/history/historyPicker';
import { ComposerActions } from './vscode/views/composerActions';

/** What activate() returns in extension-test mode only: hooks for the integration tests. */
export interface TestHooks {
  /** Answers every later question the extension asks (undefined: the user answers again). */
  setAnswerer(answerer: Answerer | undefined): void;
  /** Hands a message to the chat view as if its page had posted it: validated like any other. */
  receiveViewMessage(raw: unknown): Promise<Received>;
  /** Forgets the user's approval of a repository's API origin. */
  forgetOrigin(origin: string): Promise<void>;
  /** The file a run is kept in, and a way to drop it from memory so that it is read back from that file. */
  historyFile(localId: string): string;
  reloadRun(localId: string): Promise<boolean>;
  /** What every view of a run is told: its header and its edits. */
  runView(localId: string): Promise<RunView | undefined>;
  /** The chat view's conversation (its runs, oldest first) and its composer (chips, agent). */
  chatRuns(): readonly string[];
  /** A run holds the window's one run slot (it is released a moment after the run's status is final). */
  runActive(): boolean;
  composerState(): Promise<ComposerState>;
}

/** Composition root: build the long-lived objects, register them, stop. */
export function activate(context: vscode.ExtensionContext): { testHooks: TestHooks } | undefined {
  const log = vscode.window.createOutputChannel('RunTools', { log: true });
  context.subscriptions.push(log);
  const version = String(context.extension.packageJSON.version ?? '');
  log.info(`RunTools ${version} activated in VS Code ${vscode.version}`);

  const keys = new ApiKeyStore(context.secrets, configuredOrigin, loggerFor(log, 'keys'));
  const approvals = new OriginApprovals(context.globalState);
  const targets = new RunTargets(keys, approvals, loggerFor(log, 'trust'));
  const backupDir = vscode.Uri.joinPath(context.globalStorageUri, 'backups');
  const history = new RunHistory(
    context.workspaceState,
    vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'runs'),
    loggerFor(log, 'history'),
    loggerFor(log, 'edits'),
    backupDir,
    // A run followed again after a reload keeps holding protected paths for review.
    (folder) => ({ holdReason: protectedHold(folder, readRunSettings(folder.uri).protectedPaths) }),
  );
  const controller = new RunController(targets, history, loggerFor(log, 'run'), loggerFor(log, 'client'), loggerFor(log, 'edits'), backupDir);
  const localServer = new LocalServerSession(keys, loggerFor(log, 'local-server'));
  const chat = new ChatSession(context.workspaceState, history);
  const actions = new ViewActions(controller, history);
  // The chat composer beside the prompt box: context chips, and the agent picked per workspace.
  const composer = { context: new ComposerContext(), agents: new AgentChoices(context.workspaceState) };
  context.subscriptions.push(composer.context, composer.agents);
  const composerActions = new ComposerActions(composer.context, composer.agents, targets);
  const chatView = new ChatViewProvider(
    context.extensionUri, version, controller, history, chat, targets, actions,
    (text) => runChatPrompt(controller, chat, composer, text), log, composerActions,
  );
  // Every run of the window joins the chat view's conversation, and palette runs reveal it.
  context.subscriptions.push(controller.onDidStartRun((record) => {
    chat.add(record.localId);
    if (!chatView.isVisible) void chatView.reveal();
  }));
  const panels = new RunPanels(context.extensionUri, version, controller, history, targets, actions, log);
  const isShowing = (localId: string) => chatView.isShowing(localId) || panels.isShowing(localId);
  const notifier = new RunNotifier(controller, { isShowing });
  const statusBar = new RunStatusBar(controller, isShowing);
  context.subscriptions.push(chatView.onDidShow(() => statusBar.seen()), panels.onDidShow((localId) => statusBar.seen(localId)));

  context.subscriptions.push(
    keys, targets, history, controller, localServer, chatView, panels, notifier,
    statusBar,
    registerEditContentProvider(context),
    vscode.window.registerWebviewViewProvider(Views.chat, chatView),
    vscode.commands.registerCommand(Commands.runPrompt, (args?: unknown) => runPrompt(controller, composer.agents, args)),
    vscode.commands.registerCommand(Commands.runSelection, (args?: unknown) => runSelection(controller, composer.agents, args)),
    vscode.commands.registerCommand(Commands.openChat, () => vscode.commands.executeCommand(`${Views.chat}.focus`)),
    vscode.commands.registerCommand(Commands.cancelRun, () => cancelRun(controller)),
    vscode.commands.registerCommand(Commands.pauseRun, () => controlRun(controller, 'pause')),
    vscode.commands.registerCommand(Commands.resumeRun, () => controlRun(controller, 'resume')),
    vscode.commands.registerCommand(Commands.answerAgent, (text?: unknown) => answerAgent(controller, text)),
    vscode.commands.registerCommand(Commands.retryRun, (args?: unknown) => retryRun(controller, history, args)),
    vscode.commands.registerCommand(Commands.undoRun, (args?: unknown) => undoRunCommand(history, args)),
    vscode.commands.registerCommand(Commands.reviewEdits, (args?: unknown) => reviewEditsCommand(history, args)),
    ...registerReview(history, loggerFor(log, 'review')),
    vscode.commands.registerCommand(Commands.openDevUrl, (args?: unknown) => openDevUrlCommand(history, args)),
    vscode.commands.registerCommand(Commands.openRunInEditor, (args?: unknown) => openRunInEditor(panels, history, args)),
    vscode.commands.registerCommand(Commands.showHistory, (args?: unknown) => showHistory(panels, history, args)),
    vscode.commands.registerCommand(Commands.newChat, () => chatView.newChat()),
    vscode.commands.registerCommand(Commands.setApiKey, (args?: unknown) => setApiKey(keys, targets, args)),
    vscode.commands.registerCommand(Commands.clearApiKey, (args?: unknown) => clearApiKey(keys, targets, args)),
    vscode.commands.registerCommand(Commands.tryLocalServer, (args?: unknown) => tryLocalServer(localServer, args)),
    vscode.commands.registerCommand(Commands.stopLocalServer, () => stopLocalServer(localServer)),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    vscode.commands.registerCommand(Commands.addContext, (args?: unknown) => addContext(composer.context, () => chatView.reveal(), args)),
    vscode.commands.registerCommand(Commands.deleteFromHistory, (args?: unknown) => deleteFromHistory(history, args)),
    vscode.commands.registerCommand(Commands.exportRun, (args?: unknown) => exportRun(history, args)),
  );
  // Runs that were active when the window closed go on being followed (their agents kept working).
  void controller.followActiveAfterReload().catch((error: unknown) => log.error(`[run] following runs again after the reload failed: ${(error as Error)?.message ?? String(error)}`));
  // Only the extension's own tests get hooks: no other extension can answer for the user.
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  context.subscriptions.push({ dispose: () => setTestAnswerer(undefined) });
  return {
    testHooks: {
      setAnswerer: setTestAnswerer,
      receiveViewMessage: (raw) => chatView.receiveAsIfPosted(raw),
      forgetOrigin: (origin) => approvals.forget(origin),
      historyFile: (localId) => history.storedFile(localId).fsPath,
      reloadRun: (localId) => history.evict(localId),
      runView: async (localId) => { const entry = await history.get(localId); return entry ? runViewOf(entry) : undefined; },
      chatRuns: () => chat.ids,
      runActive: () => controller.isBusy,
      composerState: () => composerActions.state(),
    },
  };
}

export function deactivate(): void {}
