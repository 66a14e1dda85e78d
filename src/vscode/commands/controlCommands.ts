/** Talking to a running agent (pause, resume, answer its question) and following a run again (Retry). */
import * as vscode from 'vscode';
import type { ControlResult } from '../../core/run';
import type { RunController } from '../runs/runController';
import type { RunHistory } from '../runs/runHistory';
import type { RunSummary } from '../runs/runSummary';

export async function controlRun(controller: RunController, action: 'pause' | 'resume'): Promise<ControlResult> {
  const result = action === 'pause' ? await controller.pauseActive() : await controller.resumeActive();
  if (!result.ok) void vscode.window.showWarningMessage(`RunTools: could not ${action} the run: ${result.message}`);
  return result;
}

/** runtools.answerAgent: the text as its argument (tasks, tests), else asked for, with the agent's question as the prompt. */
export async function answerAgent(controller: RunController, raw: unknown): Promise<ControlResult> {
  const question = controller.activeRun?.header.control?.question;
  const text = typeof raw === 'string' ? raw : await vscode.window.showInputBox({
    title: 'RunTools: Answer the Agent',
    prompt: question ?? 'The agent is not waiting for an answer; what you send reaches it as input.',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Type an answer, or press Escape.'),
  });
  if (text === undefined || !text.trim()) return { ok: false, message: 'No answer was entered.' };
  const result = await controller.answerActive(text);
  if (!result.ok) void vscode.window.showWarningMessage(`RunTools: the answer did not reach the agent: ${result.message}`);
  return result;
}

/** runtools.retryRun: follows a run the extension stopped following (the latest such run, or `{ localId }`). */
export async function retryRun(controller: RunController, history: RunHistory, raw: unknown): Promise<RunSummary | undefined> {
  const localId = typeof raw === 'string' ? raw
    : raw && typeof raw === 'object' && typeof (raw as { localId?: unknown }).localId === 'string' ? (raw as { localId: string }).localId
      : (await history.latest((e) => !!e.record.resume && e.record.header.status === 'interrupted'))?.record.localId;
  if (!localId) {
    void vscode.window.showInformationMessage('RunTools: no interrupted run can be followed again.');
    return undefined;
  }
  return controller.followAgain(localId, 'retry');
}
