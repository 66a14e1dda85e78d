/**
 * Mapping sandbox paths onto a workspace folder, and refusing every path that could land
 * outside it. Pure string checks here; the symlink check needs the file system and is async.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export type PathMapping = { ok: true; relPath: string } | { ok: false; reason: string };

export interface PathMappingOptions {
  /** Sandbox folder that corresponds to the workspace folder. Default `/workspace`. */
  sandboxRoot?: string;
}

export const defaultSandboxRoot = '/workspace';

/**
 * Sandbox path -> workspace-relative POSIX path. The sandbox root is stripped; other absolute
 * paths are taken as relative to the folder. Any `..` segment is refused outright (even one that
 * would resolve inside): an agent has no reason to send one, and resolving it is where escapes hide.
 */
export function mapSandboxPath(sandboxPath: string, options: PathMappingOptions = {}): PathMapping {
  const refuse = (reason: string): PathMapping => ({ ok: false, reason: `${reason}: ${JSON.stringify(sandboxPath)}` });
  if (typeof sandboxPath !== 'string' || sandboxPath.trim() === '') return refuse('empty path');
  if (sandboxPath.includes('\0')) return refuse('path contains a NUL byte');
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u001f\u007f]/.test(sandboxPath)) return refuse('path contains control characters');
  // Percent-encoded dots, separators or NUL are how `..` sneaks past naive checks.
  if (/%(2e|2f|5c|00)/i.test(sandboxPath)) return refuse('path contains percent-encoded dots or separators');
  if (/^[a-zA-Z]:/.test(sandboxPath)) return refuse('path has a drive letter');
  if (/^[\\/]{2}/.test(sandboxPath)) return refuse('path is a UNC or network path');

  let p = sandboxPath;
  if (p.includes('\\')) {
    // Backslashes alone are a Windows-style path we can normalise; mixed with `/` they are a
    // trick (on POSIX `\` is an ordinary character, on Windows a separator).
    if (p.includes('/')) return refuse('path mixes / and \\ separators');
    p = p.replace(/\\/g, '/');
  }

  const root = trimSlashes(options.sandboxRoot ?? defaultSandboxRoot);
  const abs = p.startsWith('/');
  let rest = trimSlashes(p);
  if (abs && root !== '' && (rest === root || rest.startsWith(root + '/'))) {
    rest = rest.slice(root.length);
  }

  const segments: string[] = [];
  for (const segment of rest.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return refuse('path climbs out with ..');
    // `...` or `. .`: Windows trims trailing dots and spaces, turning these into `.`/`..`.
    if (/^[. ]+$/.test(segment)) return refuse('path has a segment of only dots and spaces');
    // Writing into .git can install hooks, i.e. run code: never from an agent's diff.
    if (segment.toLowerCase() === '.git') return refuse('path is inside .git');
    segments.push(segment);
  }
  if (segments.length === 0) return refuse('path names the workspace folder itself');
  return { ok: true, relPath: segments.join('/') };
}

function trimSlashes(p: string): string {
  return p.replace(/^\/+/, '').replace(/\/+$/, '');
}

/**
 * Does `relPath` under the real folder `rootFsPath` stay inside it, following symlinks?
 * Walks the existing prefix of the path; the first missing segment ends the walk (what does
 * not exist yet cannot be a link). A link that resolves inside the folder is fine.
 */
export async function checkInsideWorkspace(rootFsPath: string, relPath: string): Promise<PathMapping> {
  let realRoot: string;
  try {
    realRoot = await fs.realpath(rootFsPath);
  } catch (error) {
    return { ok: false, reason: `workspace folder is not readable: ${(error as Error).message}` };
  }
  let current = rootFsPath;
  for (const segment of relPath.split('/')) {
    current = path.join(current, segment);
    let stat;
    try {
      stat = await fs.lstat(current);
    } catch {
      break;
    }
    if (!stat.isSymbolicLink()) continue;
    let target: string;
    try {
      target = await fs.realpath(current);
    } catch {
      return { ok: false, reason: `${relPath} passes through a dangling symlink` };
    }
    if (!isInside(realRoot, target)) {
      return { ok: false, reason: `${relPath} passes through a symlink leading outside the workspace (${target})` };
    }
  }
  return { ok: true, relPath };
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}
