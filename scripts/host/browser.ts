/**
 * Debian's Chromium driven by playwright-core (never `playwright install`: it downloads a browser,
 * which these machines cannot). Flags: no sandbox as root, no GPU, and no background networking,
 * whose connections this machine's closed network would refuse many times over.
 */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH, ensureDebianPackages } from './prerequisites';

export async function launchChromium(log: (line: string) => void): Promise<Browser> {
  ensureDebianPackages(log);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
