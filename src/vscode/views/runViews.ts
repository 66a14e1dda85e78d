/** What every view is told of a run: its header, events and edits, and its changed files. */
import { changedFiles } from '../../core/review/changedFiles';
import type { RunView } from '../../core/viewProtocol';
import type { HistoryEntry } from '../runs/runHistory';

export function runViewOf(entry: HistoryEntry): RunView {
  const view = entry.record.toView();
  return entry.edits ? { ...view, files: changedFiles(entry.edits.records()) } : view;
}
