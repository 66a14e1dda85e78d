/**
 * One workspace folder seen as the engine's file system: workspace-relative POSIX paths, text from
 * the open buffer when there is one (else disk), and the path safety check against the real folder.
 */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { FileShapeError } from '../../core/edits';
import { checkInsideWorkspace } from '../../core/patch';
import type { PathCheck } from '../../core/patch';
import { decodeFile, hasBom, withBom } from './fileText';

export class WorkspaceFiles {
  constructor(readonly folder: vscode.WorkspaceFolder) {}

  uri(relPath: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder.uri, ...relPath.split('/'));
  }

  /** The open (not closed) document for a path, if any. */
  openDocument(relPath: string): vscode.TextDocument | undefined {
    const key = this.uri(relPath).toString();
    return vscode.workspace.textDocuments.find((doc) => !doc.isClosed && doc.uri.toString() === key);
  }

  /** Open documents by path, looked up once for a batch. */
  openDocuments(): Map<string, vscode.TextDocument> {
    const map = new Map<string, vscode.TextDocument>();
    for (const doc of vscode.workspace.textDocuments) if (!doc.isClosed) map.set(doc.uri.toString(), doc);
    return map;
  }

  /**
   * The file's text as the engine should patch it: the buffer of a document with unsaved changes
   * (with the BOM the file has on disk), else the disk content; undefined when the file does not
   * exist. A clean document is only a copy of the disk, and may lag behind a change made outside.
   */
  async read(relPath: string, docs?: Map<string, vscode.TextDocument>): Promise<string | undefined> {
    const uri = this.uri(relPath);
    const doc = docs ? docs.get(uri.toString()) : this.openDocument(relPath);
    if (doc?.isDirty) return withBom(doc.getText(), await this.diskHasBom(uri));
    const bytes = await this.readBytes(uri);
    return bytes === undefined ? undefined : decodeFile(bytes, relPath);
  }

  async exists(relPath: string): Promise<boolean> {
    const uri = this.uri(relPath);
    if (uri.scheme === 'file') return fs.lstat(uri.fsPath).then(() => true, () => false);
    return vscode.workspace.fs.stat(uri).then(() => true, () => false);
  }

  /** The engine's mapping already refused `..` and friends; this follows symlinks on disk. */
  async checkPath(relPath: string): Promise<PathCheck> {
    if (this.folder.uri.scheme !== 'file') return { ok: false, reason: `${this.folder.uri.scheme}: folders are not supported` };
    const checked = await checkInsideWorkspace(this.folder.uri.fsPath, relPath);
    return checked.ok ? { ok: true } : { ok: false, reason: checked.reason };
  }

  async readBytes(uri: vscode.Uri): Promise<Uint8Array | undefined> {
    try {
      if (uri.scheme === 'file') return await fs.readFile(uri.fsPath);
      return await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const relPath = this.relative(uri);
      if (code === 'EISDIR') throw new FileShapeError(`${relPath} is a folder, not a file`);
      if (code === 'ENOTDIR') throw new FileShapeError(`${await this.fileAncestor(relPath) ?? 'a folder on its path'} is a file, so ${relPath} cannot be under it`);
      if (code === 'ENOENT' || error instanceof vscode.FileSystemError) return undefined;
      throw error;
    }
  }

  /** The first folder on the path that is a file on disk. */
  private async fileAncestor(relPath: string): Promise<string | undefined> {
    const parts = relPath.split('/');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const stat = await fs.lstat(this.uri(prefix).fsPath).catch(() => undefined);
      if (stat && !stat.isDirectory()) return prefix;
    }
    return undefined;
  }

  private relative(uri: vscode.Uri): string {
    const root = this.folder.uri.path.replace(/\/+$/, '');
    return uri.path.startsWith(`${root}/`) ? uri.path.slice(root.length + 1) : vscode.workspace.asRelativePath(uri, false);
  }

  private async diskHasBom(uri: vscode.Uri): Promise<boolean> {
    if (uri.scheme !== 'file') return false;
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(uri.fsPath, 'r');
      const buffer = new Uint8Array(3);
      await handle.read(buffer, 0, 3, 0);
      return hasBom(buffer);
    } catch {
      return false;
    } finally {
      await handle?.close();
    }
  }
}
