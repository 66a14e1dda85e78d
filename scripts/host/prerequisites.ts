/**
 * Debian packages the test host needs: Chromium (to drive the workbench), and code-server's
 * build prerequisites (libkrb5-dev for its `kerberos` module, ripgrep to stand in for the binary
 * that `@vscode/ripgrep` would download from GitHub, which these machines cannot reach).
 *
 * Installed with apt-get when we run as root (CI, these machines); otherwise we print the one
 * command that installs them and stop.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { withOutput } from './output';

interface Prerequisite {
  debianPackage: string;
  /** A file whose presence proves the package is installed. */
  probe: string;
}

export const CHROMIUM_PATH = process.env.RUNTOOLS_CHROMIUM ?? '/usr/bin/chromium';

const prerequisites: Prerequisite[] = [
  { debianPackage: 'chromium', probe: CHROMIUM_PATH },
  { debianPackage: 'libkrb5-dev', probe: '/usr/include/krb5.h' },
  { debianPackage: 'ripgrep', probe: '/usr/bin/rg' },
];

/** apt-get's output goes to the `details` file when one is given, else to ours. */
export function ensureDebianPackages(log: (line: string) => void, details?: string): void {
  const missing = prerequisites.filter((p) => !fs.existsSync(p.probe)).map((p) => p.debianPackage);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      `Missing Debian packages: ${missing.join(', ')}. Install them once with:\n  sudo sh -c '${command}'`,
    );
  }
  log(`Installing Debian packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  withOutput(details, (stdio) => {
    execFileSync('apt-get', ['update', '-qq'], { stdio, env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio, env });
  });
}
