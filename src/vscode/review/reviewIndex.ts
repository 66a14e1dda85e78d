/**
 * Where the agent's changes to a document are, for the editor's inline review, the navigation
 * commands and "the change at the cursor": the recent runs whose edits touch the document's file,
 * and each of their hunks still waiting for a decision, found in the document's text as it is now.
 * A hunk whose lines are no longer there as the agent left them (the user changed them) cannot be
 * shown in place; the changed-files lists still count it.
 */
import * as vscode from 'vscode';
import { fileHunks, type FileHunk } from '../../core/review/changedFiles';
import { addedLines, locate, removedLines, textLines } from '../../core/review/hunks';
import type { EditSession } from '../edits';
import type { HistoryEntry, RunHistory } from '../runs/runHistory';

/** Runs this far back can be reviewed in the editor (older ones through their run's view). */
export const RECENT_RUNS = 10;

export interface LocatedChange {
  localId: string;
  path: string;
  /** The file's agent hunks in that run: this one's index, and how many. */
  index: number;
  total: number;
  seq: number;
  local: number;
  /** applied: its lines are in the file; pending: it waits for review, nothing written. */
  mark: 'applied' | 'pending';
  /** 0-based lines of the document: [from, to) are the agent's lines (applied) or the lines it would replace (pending). */
  from: number;
  to: number;
  added: string[];
  removed: string[];
}

export interface ConflictAt {
  localId: string;
  path: string;
  seq: number;
  reason?: string;
}

export interface RunOfFile {
  entry: HistoryEntry;
  session: EditSession;
  path: string;
}

export class ReviewIndex {
  constructor(private readonly history: RunHistory) {}

  /** The reviewed runs with a session whose folder holds the document, newest first. */
  async runsOf(uri: vscode.Uri): Promise<RunOfFile[]> {
    const runs: RunOfFile[] = [];
    for (const entry of await this.reviewed()) {
      const session = entry.edits;
      const path = session?.relativePath(uri);
      if (!session || path === undefined) continue;
      if (session.records().some((r) => r.paths.includes(path))) runs.push({ entry, session, path });
    }
    return runs;
  }

  /**
   * The runs reviewed in the editor: the latest run with changes still to decide, and any older
   * recent run with edits waiting for review (nothing of those is written, so they cannot be
   * left undecided silently). Older written changes are reviewed from their run's view.
   */
  async reviewed(): Promise<HistoryEntry[]> {
    const ids = this.history.ids().slice(-RECENT_RUNS).reverse();
    const entries = (await Promise.all(ids.map((id) => this.history.get(id)))).filter((e): e is HistoryEntry => !!e?.edits);
    const latest = entries.find((e) => e.edits!.records().some((r) => r.state === 'applied' || r.state === 'pending' || r.state === 'conflict'));
    return entries.filter((e) => e === latest || e.edits!.records().some((r) => r.state === 'pending' || r.state === 'conflict'));
  }

  /** The open hunks of every recent run in this document, in document order. */
  async changesIn(document: vscode.TextDocument): Promise<LocatedChange[]> {
    const lines = textLines(document.getText());
    const changes: LocatedChange[] = [];
    for (const { entry, session, path } of await this.runsOf(document.uri)) {
      const hunks = fileHunks(session.records(), path);
      for (const hunk of hunks) {
        const located = place(lines, hunk);
        if (located) changes.push({ localId: entry.record.localId, path, total: hunks.length, ...located });
      }
    }
    return changes.sort((a, b) => a.from - b.from || a.to - b.to);
  }

  /** Edits of recent runs on this document that conflict with the user's changes. */
  async conflictsIn(uri: vscode.Uri): Promise<ConflictAt[]> {
    const conflicts: ConflictAt[] = [];
    for (const { entry, session, path } of await this.runsOf(uri)) {
      for (const record of session.records()) {
        if (record.state !== 'conflict' || !record.paths.includes(path)) continue;
        conflicts.push({ localId: entry.record.localId, path, seq: record.seq, reason: record.reason });
      }
    }
    return conflicts;
  }
}

function place(lines: string[], hunk: FileHunk): Omit<LocatedChange, 'localId' | 'path' | 'total'> | undefined {
  if (hunk.mark !== 'applied' && hunk.mark !== 'pending') return undefined;
  const at = locate(lines, hunk.hunk, hunk.mark === 'applied' ? 'new' : 'old');
  if (!at) return undefined;
  return {
    index: hunk.index, seq: hunk.seq, local: hunk.local, mark: hunk.mark, from: at.from, to: at.to,
    added: addedLines(hunk.hunk), removed: removedLines(hunk.hunk),
  };
}

/** The change whose lines hold this line, or that sits right at it (a pure deletion). */
export function changeAtLine(changes: readonly LocatedChange[], line: number): LocatedChange | undefined {
  return changes.find((c) => (c.from === c.to ? line === c.from || line === c.from - 1 : line >= c.from && line < c.to));
}
