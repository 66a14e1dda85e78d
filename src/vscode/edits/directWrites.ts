/**
 * Whole files written straight to disk, beside a WorkspaceEdit: files a document would not hold
 * byte for byte, very large ones, and the closed files of a large run (closedDocuments.ts). Not on
 * the editor's undo stack; Undo Run restores them.
 */
import * as vscode from 'vscode';
import { decodeFile, encodeFile, sameText } from './fileText';
import type { WorkspaceFiles } from './workspaceFiles';

export interface DirectWrite { relPath: string; uri: vscode.Uri; before: string; text: string; why: string }

export type DirectWriteFailure = { ok: false; reason: string; untouched?: readonly string[] };

/**
 * Plain writes of whole files (undefined when they worked, else why not). Every file is first read
 * again and compared with the text its change was planned on: one changed since the pre-write
 * check (say, by a git checkout while the batch was verified) stops the write before anything is
 * written, and is left as it is by the rollback.
 */
export async function writeDirect(files: WorkspaceFiles, direct: readonly DirectWrite[]): Promise<DirectWriteFailure | undefined> {
  const changed = (await Promise.all(direct.map(async ({ relPath, uri, before }) => {
    try {
      const bytes = await files.readBytes(uri);
      return bytes !== undefined && sameText(decodeFile(bytes, relPath), before) ? undefined : relPath;
    } catch {
      return relPath;
    }
  }))).filter((relPath): relPath is string => relPath !== undefined);
  if (changed.length > 0) {
    return { ok: false, reason: `${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''} changed on disk just before the write`, untouched: changed };
  }
  const failures = await Promise.all(direct.map(async ({ uri, text }) => {
    try {
      await vscode.workspace.fs.writeFile(uri, encodeFile(text));
      return undefined;
    } catch (error) {
      return `could not write ${uri.fsPath}: ${(error as Error).message}`;
    }
  }));
  const failed = failures.find((reason) => reason !== undefined);
  return failed === undefined ? undefined : { ok: false, reason: failed };
}
