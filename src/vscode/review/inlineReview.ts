/**
 * The agent's changes shown in place in every editor that has some: the lines it wrote on a green
 * background, the lines it would replace (waiting for review) struck through on red, the text it
 * removed or would add beside them (in full on hover), and a CodeLens above each change with Keep,
 * Undo and "change N of M". A conflict gets a CodeLens offering the merge. Everything follows the
 * runs' edits as they change (history events) and the document as the user types.
 */
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../ids';
import type { RunHistory } from '../runs/runHistory';
import { Disposable } from '../disposable';
import { changeAtLine, type LocatedChange, type ReviewIndex } from './reviewIndex';

const MAX_INLINE = 80;

export class InlineReview extends Disposable implements vscode.CodeLensProvider {
  private readonly lensesChanged = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly cache = new Map<string, { version: number; changes: Promise<LocatedChange[]> }>();
  private readonly written = this._register(vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  }));
  private readonly replaced = this._register(vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
    textDecoration: 'line-through',
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  }));
  private readonly ghost = this._register(vscode.window.createTextEditorDecorationType({}));
  private refreshTimer: NodeJS.Timeout | undefined;
  /** The context keys as last set (undefined: not yet). */
  private context: { atCursor?: boolean; inFile?: boolean } = {};

  constructor(private readonly index: ReviewIndex, history: RunHistory) {
    super();
    // Workspace files are file: documents to the extension host, in remote windows as well.
    this._register(vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this));
    this._register(history.onDidUpdateEdit(() => this.refreshSoon(true)));
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.refreshSoon(false)));
    this._register(vscode.workspace.onDidChangeTextDocument((event) => {
      if (vscode.window.visibleTextEditors.some((e) => e.document === event.document)) this.refreshSoon(false);
    }));
    this._register(vscode.window.onDidChangeTextEditorSelection((event) => void this.updateContext(event.textEditor)));
    this._register(vscode.window.onDidChangeActiveTextEditor((editor) => void this.updateContext(editor)));
    this.refreshSoon(false);
  }

  /** The changes of a document as they stand (cached per document version). */
  changes(document: vscode.TextDocument): Promise<LocatedChange[]> {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version) return cached.changes;
    const changes = this.index.changesIn(document).catch(() => []);
    this.cache.set(key, { version: document.version, changes });
    return changes;
  }

  /** Shows everything again soon; `edits` when an edit changed (the texts did not, so the cache must go). */
  refreshSoon(edits: boolean): void {
    if (edits) this.cache.clear();
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 150);
  }

  async refresh(): Promise<void> {
    this.lensesChanged.fire();
    await Promise.all(vscode.window.visibleTextEditors.map((editor) => this.decorate(editor)));
    await this.updateContext(vscode.window.activeTextEditor);
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const lenses: vscode.CodeLens[] = [];
    for (const conflict of await this.index.conflictsIn(document.uri)) {
      const top = new vscode.Range(0, 0, 0, 0);
      const args = { run: conflict.localId, path: conflict.path, seq: conflict.seq };
      lenses.push(new vscode.CodeLens(top, { title: `$(warning) The agent's edit #${conflict.seq} overlaps your changes`, command: Commands.resolveConflict, arguments: [args], tooltip: conflict.reason }));
      lenses.push(new vscode.CodeLens(top, { title: 'Merge in the Editor', command: Commands.resolveConflict, arguments: [args] }));
    }
    const changes = await this.changes(document);
    // The whole file at once, at its top, for each run with more than one change here.
    for (const [localId, count] of countByRun(changes)) {
      if (count < 2) continue;
      const top = new vscode.Range(0, 0, 0, 0);
      const args = { run: localId, path: changes.find((c) => c.localId === localId)!.path };
      lenses.push(
        new vscode.CodeLens(top, { title: `RunTools: ${count} changes in this file`, command: Commands.nextChange, tooltip: 'Go to the next change' }),
        new vscode.CodeLens(top, { title: 'Keep All', command: Commands.keepChanges, arguments: [args], tooltip: 'Keep every change of this file' }),
        new vscode.CodeLens(top, { title: 'Undo All', command: Commands.undoChanges, arguments: [args], tooltip: 'Undo every change of this file' }),
      );
    }
    for (const change of changes) {
      const at = new vscode.Range(Math.min(change.from, Math.max(0, document.lineCount - 1)), 0, Math.min(change.from, Math.max(0, document.lineCount - 1)), 0);
      const args = { run: change.localId, path: change.path, hunk: change.index };
      const what = change.mark === 'pending' ? 'write it' : 'end its review';
      lenses.push(
        new vscode.CodeLens(at, { title: '$(check) Keep', command: Commands.keepChanges, arguments: [args], tooltip: `Keep this change (${what})` }),
        new vscode.CodeLens(at, { title: '$(discard) Undo', command: Commands.undoChanges, arguments: [args], tooltip: change.mark === 'pending' ? 'Turn this change down (nothing is written)' : 'Put back the lines the agent replaced here' }),
        new vscode.CodeLens(at, { title: `Change ${change.index + 1} of ${change.total}${change.mark === 'pending' ? ' · waiting for review' : ''}`, command: Commands.nextChange, tooltip: 'Go to the next change' }),
      );
    }
    return lenses;
  }

  private async decorate(editor: vscode.TextEditor): Promise<void> {
    const changes = await this.changes(editor.document).catch(() => []);
    const lastLine = Math.max(0, editor.document.lineCount - 1);
    const written: vscode.DecorationOptions[] = [];
    const replaced: vscode.DecorationOptions[] = [];
    const ghosts: vscode.DecorationOptions[] = [];
    for (const change of changes) {
      const hover = hoverOf(change, editor.document.languageId);
      const lines = change.to > change.from ? new vscode.Range(change.from, 0, Math.min(change.to - 1, lastLine), 0) : undefined;
      if (lines) (change.mark === 'applied' ? written : replaced).push({ range: lines, hoverMessage: hover });
      // The other side's text, beside the change: what the agent removed (applied) or would add (pending).
      const other = change.mark === 'applied' ? change.removed : change.added;
      if (other.length === 0) continue;
      const anchor = Math.min(lastLine, change.to > change.from ? change.to - 1 : Math.max(0, change.from - 1));
      const sign = change.mark === 'applied' ? '−' : '+';
      const text = `${sign} ${clip(other[0]!)}${other.length > 1 ? `  (+${other.length - 1} more line${other.length > 2 ? 's' : ''})` : ''}`;
      ghosts.push({
        range: new vscode.Range(anchor, Number.MAX_SAFE_INTEGER, anchor, Number.MAX_SAFE_INTEGER),
        hoverMessage: hover,
        renderOptions: {
          after: {
            contentText: text,
            margin: '0 0 0 2em',
            fontStyle: 'italic',
            color: new vscode.ThemeColor(change.mark === 'applied' ? 'gitDecoration.deletedResourceForeground' : 'gitDecoration.addedResourceForeground'),
            textDecoration: change.mark === 'applied' ? 'line-through' : 'none',
          },
        },
      });
    }
    editor.setDecorations(this.written, written);
    editor.setDecorations(this.replaced, replaced);
    editor.setDecorations(this.ghost, ghosts);
  }

  /** Sets the two context keys, only when they change: this runs on every move of the cursor. */
  private async updateContext(editor: vscode.TextEditor | undefined): Promise<void> {
    const changes = editor ? await this.changes(editor.document).catch(() => []) : [];
    const line = editor?.selection.active.line ?? -1;
    const atCursor = changeAtLine(changes, line) !== undefined;
    const inFile = changes.length > 0;
    const last = this.context;
    this.context = { atCursor, inFile }; // before awaiting: a later call compares with this one
    if (atCursor !== last.atCursor) await vscode.commands.executeCommand('setContext', ContextKeys.changeAtCursor, atCursor);
    if (inFile !== last.inFile) await vscode.commands.executeCommand('setContext', ContextKeys.fileHasChanges, inFile);
  }

  override dispose(): void {
    clearTimeout(this.refreshTimer);
    super.dispose();
  }
}

function countByRun(changes: readonly LocatedChange[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(change.localId, (counts.get(change.localId) ?? 0) + 1);
  return counts;
}

function clip(line: string): string {
  const trimmed = line.trim();
  return trimmed.length > MAX_INLINE ? `${trimmed.slice(0, MAX_INLINE - 1)}…` : trimmed || '(empty line)';
}

/** The change in full, for the hover: what was there and what the agent wrote (or would write). */
function hoverOf(change: LocatedChange, languageId: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**RunTools** · change ${change.index + 1} of ${change.total} · edit #${change.seq} · ${change.mark === 'pending' ? 'waiting for review' : 'written'}\n\n`);
  if (change.removed.length > 0) {
    md.appendMarkdown(change.mark === 'applied' ? 'Removed by the agent:\n' : 'The agent would replace:\n');
    md.appendCodeblock(change.removed.join('\n'), languageId);
  }
  if (change.added.length > 0) {
    md.appendMarkdown(change.mark === 'applied' ? 'Written by the agent:\n' : 'With:\n');
    md.appendCodeblock(change.added.join('\n'), languageId);
  }
  return md;
}
