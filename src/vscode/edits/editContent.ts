/**
 * Read-only documents for the texts of a run's edits that are not (or no longer) on disk: the
 * text before an edit, the agent's version of a file it could not apply, the diff as sent.
 * URIs: runtools-edit:/<runId>/<seq>/<side>/<relPath>; the session owning the run answers.
 */
import * as vscode from 'vscode';

export const EDIT_CONTENT_SCHEME = 'runtools-edit';

export type ContentSide = 'before' | 'after' | 'intended' | 'diff' | 'original';

export interface EditContentSource {
  readonly runId: string;
  contentFor(seq: number, side: ContentSide, relPath: string): string | undefined;
}

const sources = new Map<string, EditContentSource>();
let registered: vscode.Disposable | undefined;

export function editContentUri(runId: string, seq: number, side: ContentSide, relPath: string): vscode.Uri {
  const path = `/${encodeURIComponent(runId)}/${seq}/${side}/${relPath.split('/').map(encodeURIComponent).join('/')}`;
  return vscode.Uri.from({ scheme: EDIT_CONTENT_SCHEME, path });
}

/** A session makes its texts reachable while it lives. */
export function addEditContentSource(source: EditContentSource): vscode.Disposable {
  sources.set(source.runId, source);
  return new vscode.Disposable(() => {
    if (sources.get(source.runId) === source) sources.delete(source.runId);
  });
}

const provider: vscode.TextDocumentContentProvider = {
  provideTextDocumentContent(uri) {
    const [runId, seq, side, ...rest] = uri.path.slice(1).split('/').map(decodeURIComponent);
    const source = sources.get(runId);
    return source?.contentFor(Number(seq), side as ContentSide, rest.join('/')) ?? null;
  },
};

/** Called once by the composition root (and by tests); calling it again is harmless. */
export function registerEditContentProvider(context: { subscriptions: vscode.Disposable[] }): vscode.Disposable {
  if (!registered) {
    const registration = vscode.workspace.registerTextDocumentContentProvider(EDIT_CONTENT_SCHEME, provider);
    registered = new vscode.Disposable(() => {
      registration.dispose();
      registered = undefined;
    });
    context.subscriptions.push(registered);
  }
  return registered;
}
