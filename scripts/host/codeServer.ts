/**
 * Provisions and starts code-server: VS Code's own workbench and Node extension host served over
 * HTTP, which is how this project runs a real VS Code on machines without Microsoft's download
 * servers (see README, "How the tests reach a real VS Code").
 *
 * code-server is installed into a cache folder of the project's own (.vscode-test/), the way
 * @vscode/test-electron keeps its downloads, not as a dependency: its postinstall builds native
 * modules for one Node version and would break `npm install` for contributors on another.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { withOutput } from './output';
import { ensureDebianPackages } from './prerequisites';

/** 4.100.3 bundles VS Code 1.100.3 and runs on Node 20; later releases need Node 22+. */
export const CODE_SERVER_VERSION = '4.100.3';
/** What code-server 4.100.3's @vscode/ripgrep (1.15.11) looks for in its download cache. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CACHE_DIR = path.join(REPO_ROOT, '.vscode-test');
const INSTALL_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
const BIN = path.join(INSTALL_DIR, 'node_modules', '.bin', 'code-server');

export type LogLine = (line: string) => void;

/** How long the first install takes on these machines (measured on 2 cores: 1m23s idle, 3m10s beside a test run). */
export const INSTALL_TIME = '1 to 3 minutes';

/**
 * Installs code-server on first use; later calls return at once. npm's output goes to the
 * `details` file when one is given (npm start keeps its console short), else to ours.
 */
export function ensureCodeServer(log: LogLine, details?: string): string {
  if (fs.existsSync(BIN)) return BIN;
  ensureDebianPackages(log, details);
  seedRipgrepCache();
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${path.relative(REPO_ROOT, INSTALL_DIR)} (first run only, ${INSTALL_TIME})...`);
  fs.mkdirSync(INSTALL_DIR, { recursive: true });
  fs.writeFileSync(path.join(INSTALL_DIR, 'package.json'), JSON.stringify({ private: true }) + '\n');
  withOutput(details, (stdio) => execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: INSTALL_DIR,
    stdio,
    env: {
      ...process.env,
      // As root, npm would otherwise drop privileges and fail to build the native modules.
      npm_config_unsafe_perm: 'true',
      // node-pty's postinstall runs `npx node-gyp`, which would wait for a "yes".
      npm_config_yes: 'true',
      npm_config_foreground_scripts: 'true',
      // argon2's installer would first try to download a prebuilt binary from GitHub (refused
      // on these machines, and a failure in the output) before building it; build it at once.
      npm_config_build_from_source: 'true',
    },
  }));
  if (!fs.existsSync(BIN)) throw new Error(`code-server did not install: ${BIN} is missing${details ? ` (npm's output is in ${details})` : ''}`);
  return BIN;
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub unless a tarball already sits in its
 * cache folder; we put Debian's rg there so the install needs no internet.
 */
function seedRipgrepCache(): void {
  const cacheDir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const tarball = path.join(cacheDir, RIPGREP_ASSET);
  if (fs.existsSync(tarball)) return;
  fs.mkdirSync(cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-'));
  fs.copyFileSync('/usr/bin/rg', path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  execFileSync('tar', ['czf', tarball, '-C', staging, 'rg']);
  fs.rmSync(staging, { recursive: true, force: true });
}

/** `code-server --install-extension`: installs a .vsix the way a user would. */
export function installVsix(vsix: string, extensionsDir: string, userDataDir: string, log: LogLine): void {
  const bin = ensureCodeServer(log);
  const home = path.join(userDataDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  execFileSync(bin, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix], {
    stdio: 'pipe',
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share') },
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

export interface CodeServerOptions {
  workspaceFolder: string;
  /** Folder of an unpacked extension to load as installed (its name must be publisher.name-version). */
  extensionsDir: string;
  userDataDir: string;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  port?: number;
  log: LogLine;
  /** Keep code-server's own output off `log`. */
  quiet?: boolean;
  /**
   * Workspace trust on (default off, as `--disable-workspace-trust`). The folder then starts
   * untrusted: trust is kept in the browser's storage, which a fresh profile does not have, and
   * the startup prompt (a modal dialog, refused in extension-test mode) is switched off.
   */
  workspaceTrust?: boolean;
  /** A file for the details (install output, code-server's own output), kept off `log`. */
  details?: string;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts code-server in its own process group (its extension host outlives the browser, so we
 * stop the whole group), with its own HOME so nothing leaks into the user's.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const bin = ensureCodeServer(options.log, options.details);
  const port = options.port ?? (await freePort());
  const settingsDir = path.join(options.userDataDir, 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  fs.mkdirSync(options.extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(settingsDir, 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': options.workspaceTrust === true,
      ...(options.workspaceTrust ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' } : {}),
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      ...options.settings,
    }, null, 2),
  );
  const home = path.join(options.userDataDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  const child = spawn(bin, [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    options.workspaceFolder,
  ], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'), ...options.env },
  });
  const output: string[] = [];
  const detailsFile = options.details ? fs.createWriteStream(options.details, { flags: 'a' }) : undefined;
  child.once('exit', () => detailsFile?.end());
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    detailsFile?.write(text);
    if (!options.quiet) for (const line of text.split('\n')) if (line.trim()) options.log(`[code-server] ${line}`);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, 60_000, () => child.exitCode !== null, () => output.join(''));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await killGroup(child);
  };
  return { url, port, process: child, stop };
}

async function waitForHttp(url: string, timeoutMs: number, exited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`code-server exited before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${url}healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs / 1000}s:\n${output()}`);
}

/** SIGTERM to the process group, then SIGKILL if it is still there after a grace period. */
export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // the group is already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await Promise.race([exited, new Promise((r) => setTimeout(r, 8_000))]);
  clearTimeout(timer);
  signal('SIGKILL');
}
