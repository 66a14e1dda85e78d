/** Added/removed line counts of a file_edit, for the view. */
import type { FileChange } from '../../core/patch';
import { lineCount } from './fileText';

export function countChanges(diff: string, changes: readonly FileChange[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ') || line.startsWith('--- ') || line.startsWith('***')) continue;
    if (line.startsWith('+')) added++;
    else if (line.startsWith('-')) removed++;
  }
  if (added === 0 && removed === 0) {
    for (const change of changes) {
      if (change.kind === 'create') added += lineCount(change.after);
      if (change.kind === 'delete') removed += lineCount(change.before);
    }
  }
  return { added, removed };
}
