/**
 * Where `npm start` keeps its sample workspace, VS Code's user data and the log: the user's cache
 * folder, outside the clone (inside it, VS Code would find the clone's git repository above the
 * sample and ask about it on every load). One folder per clone, the same on every run:
 *   Linux   $XDG_CACHE_HOME/runtools-vscode/start-<id>  (else ~/.cache/...)
 *   macOS   ~/Library/Caches/runtools-vscode/start-<id>
 *   Windows %LOCALAPPDATA%\runtools-vscode\start-<id>
 * where <id> is a short hash of the clone's path. RUNTOOLS_START_DIR overrides it.
 */
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './codeServer';

export function cacheRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (platform === 'win32') return env.LOCALAPPDATA || path.join(home, 'AppData', 'Local');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches');
  return env.XDG_CACHE_HOME || path.join(home, '.cache');
}

export function startFolder(env: NodeJS.ProcessEnv = process.env, repoRoot = REPO_ROOT): string {
  if (env.RUNTOOLS_START_DIR) return path.resolve(env.RUNTOOLS_START_DIR);
  const id = crypto.createHash('sha256').update(repoRoot).digest('hex').slice(0, 8);
  return path.join(cacheRoot(env), 'runtools-vscode', `start-${id}`);
}
