/**
 * Right before a write: is each file still the text its change was planned on? A file the user
 * changed, or that became a folder, is stale (the engine plans the edit again on what is there);
 * a path that turned unsafe, a rename onto an existing file or a delete of a buffer with unsaved
 * changes is a refusal with its reason. Every path is checked against symlinks again.
 */
import type * as vscode from 'vscode';
import type { FileChange } from '../../core/patch';
import { sameText } from './fileText';
import type { WorkspaceFiles } from './workspaceFiles';

export type Verified = { ok: true } | { ok: false; reason: string; stale: string[] };

export async function verifyChanges(files: WorkspaceFiles, changes: readonly FileChange[], docs: Map<string, vscode.TextDocument>): Promise<Verified> {
  const seen = new Map<string, string | null>();
  const stale: string[] = [];
  const reasons: string[] = [];
  for (const change of changes) {
    for (const relPath of [change.relPath, change.newRelPath]) {
      if (relPath === undefined) continue;
      const checked = await files.checkPath(relPath);
      if (!checked.ok) return { ok: false, reason: checked.reason, stale: [] };
    }
    let current: string | null;
    try {
      current = seen.has(change.relPath) ? seen.get(change.relPath)! : (await files.read(change.relPath, docs)) ?? null;
    } catch (error) {
      stale.push(change.relPath);
      reasons.push((error as Error).message);
      continue;
    }
    if (!sameText(current, change.before)) {
      stale.push(change.relPath);
      reasons.push(current === null ? `${change.relPath} no longer exists` : change.before === null
        ? `${change.relPath} was created meanwhile` : `${change.relPath} changed since the edit was planned`);
      continue;
    }
    const doc = docs.get(files.uri(change.relPath).toString());
    if (change.kind === 'delete' && doc?.isDirty) return { ok: false, reason: `${change.relPath} has unsaved changes in an editor: not deleted`, stale: [] };
    if (change.kind === 'rename' && change.newRelPath !== undefined) {
      if (seen.has(change.newRelPath) ? seen.get(change.newRelPath) !== null : await files.exists(change.newRelPath)) {
        return { ok: false, reason: `cannot rename ${change.relPath}: ${change.newRelPath} exists`, stale: [] };
      }
      seen.set(change.relPath, null);
      seen.set(change.newRelPath, change.after);
    } else {
      seen.set(change.relPath, change.after);
    }
  }
  return stale.length > 0 ? { ok: false, reason: reasons.join('; '), stale } : { ok: true };
}
