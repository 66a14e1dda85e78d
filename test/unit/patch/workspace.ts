/** Test helpers: an in-memory workspace, and reading a fixture folder into one. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileChange } from '../../../src/core/patch';

export type Files = Map<string, string>;

export function readTree(dir: string): Files {
  const files: Files = new Map();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
  }
  return files;
}

/** What the extension does with a plan: write each change. */
export function applyChanges(files: Files, changes: FileChange[]): void {
  for (const change of changes) {
    if (change.kind === 'rename') {
      files.delete(change.relPath);
      files.set(change.newRelPath!, change.after!);
    } else if (change.after === null) files.delete(change.relPath);
    else files.set(change.relPath, change.after);
  }
}

export function sorted(files: Files): [string, string][] {
  return [...files.entries()].sort(([a], [b]) => a.localeCompare(b));
}
