/**
 * runtools.protectedPaths for one folder: why an edit of a path must wait for review even in auto
 * mode. The path is matched as the agent named it and as it really lands on disk, so a symlink
 * inside the folder (say `config -> .vscode`) cannot carry a write past the pattern.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { ProtectedPaths, type ProtectedPattern } from '../../core/trust/protectedPaths';

export function protectedHold(folder: vscode.WorkspaceFolder, patterns: readonly ProtectedPattern[]): (relPath: string) => Promise<string | undefined> {
  const matcher = new ProtectedPaths(patterns);
  return async (relPath) => {
    const direct = matcher.match(relPath);
    if (direct) return direct.reason;
    if (folder.uri.scheme !== 'file') return undefined;
    const real = await realRelativePath(folder.uri.fsPath, relPath);
    if (real === undefined || real === relPath) return undefined;
    const viaLink = matcher.match(real);
    return viaLink ? `${viaLink.reason}; ${relPath} leads there through a symlink` : undefined;
  };
}

/** Where `relPath` really is, relative to the real folder: the longest existing prefix resolved, the rest appended. */
async function realRelativePath(root: string, relPath: string): Promise<string | undefined> {
  const segments = relPath.split('/');
  try {
    const realRoot = await fs.realpath(root);
    for (let i = segments.length; i > 0; i--) {
      const prefix = path.join(root, ...segments.slice(0, i));
      const real = await fs.realpath(prefix).catch(() => undefined);
      if (real === undefined) continue;
      const rel = path.relative(realRoot, path.join(real, ...segments.slice(i)));
      return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
    }
    return relPath;
  } catch {
    return undefined;
  }
}
