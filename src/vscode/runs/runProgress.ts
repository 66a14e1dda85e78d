/** The cancellable progress notification of a palette run: what the agent is doing, at most four times a second. */
import * as vscode from 'vscode';
import type { LoggedEvent } from '../../core/viewProtocol';
import type { AppendedEvents } from './runController';
import type { RunRecord } from './runRecord';

export interface ProgressSource {
  onDidAppendEvents: vscode.Event<AppendedEvents>;
  cancelActive(): Promise<boolean>;
}

export function withRunProgress<T>(source: ProgressSource, record: RunRecord, run: Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'RunTools', cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => void source.cancelActive());
      progress.report({ message: `running "${shorten(record.header.prompt, 60)}"...` });
      let lastReport = 0;
      const subscription = source.onDidAppendEvents(({ localId, events }) => {
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

export function shorten(text: string, max: number): string {
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
