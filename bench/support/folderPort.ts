/**
 * The edit engine's port on a plain folder (no VS Code), for benchmarks that apply a run's edits
 * and compare folders byte for byte. Counts every change written, so a benchmark can tell an edit
 * applied twice from one applied once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileShapeError, sameText, type EditPort, type WriteResult } from '../../src/core/edits';
import type { FileChange, PathCheck } from '../../src/core/patch';

export class FolderPort implements EditPort {
  /** Changes written, in order. */
  writes = 0;

  constructor(readonly root: string) {}

  async read(relPath: string): Promise<string | undefined> {
    const file = path.join(this.root, relPath);
    try {
      if (fs.statSync(file).isDirectory()) throw new FileShapeError(`${relPath} is a folder, not a file`);
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async checkPath(): Promise<PathCheck> {
    return { ok: true };
  }

  async write(changes: readonly FileChange[]): Promise<WriteResult> {
    const stale = [];
    for (const change of changes) if (!sameText((await this.read(change.relPath)) ?? null, change.before)) stale.push(change.relPath);
    if (stale.length > 0) return { ok: false, reason: 'changed', stale };
    const written = new Map<string, string | null>();
    for (const change of changes) {
      this.writes++;
      const target = change.kind === 'rename' ? change.newRelPath! : change.relPath;
      if (change.kind === 'rename' || change.after === null) fs.rmSync(path.join(this.root, change.relPath), { force: true });
      if (change.after !== null) {
        fs.mkdirSync(path.dirname(path.join(this.root, target)), { recursive: true });
        fs.writeFileSync(path.join(this.root, target), change.after);
      }
      written.set(target, change.after);
    }
    return { ok: true, written };
  }

  async backup(relPath: string): Promise<string> {
    return relPath;
  }
}

/** Every file under a folder, relative path -> bytes, for comparing two folders. */
export function folderBytes(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (!fs.existsSync(root)) return files;
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(path.relative(root, path.join(entry.parentPath, entry.name)), fs.readFileSync(path.join(entry.parentPath, entry.name)));
  }
  return files;
}

export function sameFolders(a: Map<string, Buffer>, b: Map<string, Buffer>): boolean {
  return a.size === b.size && [...a].every(([file, bytes]) => b.get(file)?.equals(bytes) === true);
}
