/**
 * An in-memory workspace implementing the edit engine's port, with the faults the real one can
 * meet: a folder where a file should be, a write the editor refuses, a write that throws, the
 * user typing right before a write.
 */
import { FileShapeError, sameText, type EditPort, type WriteResult } from '../../../src/core/edits';
import type { FileChange, PathCheck } from '../../../src/core/patch';

export class MemoryWorkspace implements EditPort {
  readonly files = new Map<string, string>();
  readonly folders = new Set<string>();
  readonly backups: { path: string; text: string; where: string }[] = [];
  /** Every change written, in order (the application count of each edit). */
  readonly writes: FileChange[] = [];
  /** Runs right before a write checks its `before` texts: a user typing at the worst moment. */
  beforeWrite: ((changes: readonly FileChange[]) => void) | undefined;
  /** Paths whose writes the "editor" refuses with this reason. */
  readonly refuse = new Map<string, string>();
  /** Paths whose writes throw. */
  readonly explode = new Set<string>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.files.set(path, text);
  }

  async read(relPath: string): Promise<string | undefined> {
    if (this.folders.has(relPath)) throw new FileShapeError(`${relPath} is a folder, not a file`);
    const parent = this.fileParent(relPath);
    if (parent) throw new FileShapeError(`${parent} is a file, so ${relPath} cannot be under it`);
    return this.files.get(relPath);
  }

  async checkPath(): Promise<PathCheck> {
    return { ok: true };
  }

  async write(changes: readonly FileChange[]): Promise<WriteResult> {
    this.beforeWrite?.(changes);
    const stale = changes.filter((c) => !sameText(this.files.get(c.relPath) ?? null, c.before)).map((c) => c.relPath);
    if (stale.length > 0) return { ok: false, reason: `${stale.join(', ')} changed`, stale };
    for (const change of changes) {
      if (this.explode.has(change.relPath)) throw new Error(`disk on fire at ${change.relPath}`);
      const refusal = this.refuse.get(change.relPath);
      if (refusal) return { ok: false, reason: refusal };
      if (this.folders.has(change.relPath)) return { ok: false, reason: `${change.relPath} is a folder` };
    }
    const written = new Map<string, string | null>();
    for (const change of changes) {
      this.writes.push(change);
      if (change.kind === 'rename') {
        this.files.delete(change.relPath);
        this.files.set(change.newRelPath!, change.after!);
        written.set(change.relPath, null);
        written.set(change.newRelPath!, change.after);
      } else if (change.after === null) {
        this.files.delete(change.relPath);
        written.set(change.relPath, null);
      } else {
        this.files.set(change.relPath, change.after);
        written.set(change.relPath, change.after);
      }
    }
    return { ok: true, written };
  }

  async backup(relPath: string, text: string): Promise<string> {
    const where = `backups/${this.backups.length}/${relPath}`;
    this.backups.push({ path: relPath, text, where });
    return where;
  }

  /** The user edits a file (in their editor). */
  type(relPath: string, edit: (text: string) => string): void {
    this.files.set(relPath, edit(this.files.get(relPath) ?? ''));
  }

  snapshot(): Record<string, string> {
    return Object.fromEntries([...this.files].sort(([a], [b]) => a.localeCompare(b)));
  }

  private fileParent(relPath: string): string | undefined {
    const parts = relPath.split('/');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (this.files.has(prefix)) return prefix;
    }
    return undefined;
  }
}
