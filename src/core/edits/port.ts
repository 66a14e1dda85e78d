/**
 * What the edit engine needs from the editor, and nothing more: read a file as the user sees it,
 * check a path, write a batch of changes, keep a backup, ask the user. The VS Code adapter
 * implements it with WorkspaceEdit (src/vscode/edits/workspacePort.ts); the unit and property
 * tests implement it in memory. The engine decides; the port only executes.
 */
import type { FileChange, PathCheck } from '../patch';

/** A path is not the kind of thing the edit expects: a folder where a file should be, a file where a folder should be. */
export class FileShapeError extends Error {
  override readonly name = 'FileShapeError';
}

/** A file exists but is not text the engine can patch (binary, not UTF-8). */
export class NotTextError extends Error {
  override readonly name = 'NotTextError';
}

export type WriteResult =
  /** What each path holds now (null: no file); a save participant may have changed a text. */
  | { ok: true; written: Map<string, string | null> }
  /**
   * Nothing of the batch is on disk (a write that failed half-way was put back, touching only what
   * it had written). `stale`: paths whose text was not the `before` the change was planned on.
   */
  | { ok: false; reason: string; stale?: readonly string[] };

export interface EditPort {
  /**
   * The text the engine should patch: an editor's unsaved buffer if there is one, else the disk;
   * undefined when there is no file. Throws FileShapeError or NotTextError with a reason a user
   * understands; any other error is a fault.
   */
  read(relPath: string): Promise<string | undefined>;
  /** The path is safe to write on the real disk (no symlink leading out, ...). */
  checkPath(relPath: string): Promise<PathCheck>;
  /**
   * Writes one batch, all or nothing. Each change's `before` is checked against the file right
   * before it is written; a file the user changed since is never written over. Never throws.
   */
  write(changes: readonly FileChange[], options: WriteOptions): Promise<WriteResult>;
  /** Keeps a copy of the user's text before the engine writes over it; returns where, for the user. */
  backup(relPath: string, text: string): Promise<string>;
}

export interface WriteOptions {
  /** Write the texts exactly as given (undo restores bytes), not adapted to the file's line endings. */
  exact?: boolean;
}
