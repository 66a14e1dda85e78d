/**
 * Lays the built extension out in an extensions folder the way VS Code installs a .vsix: a folder
 * named publisher.name-version holding package.json, the bundles, media/ and the README.
 * Faster than packaging, and the same files .vscodeignore lets into the .vsix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './codeServer';

const SHIPPED = ['package.json', 'README.md', 'LICENSE', 'dist', 'media'];

export function installUnpackedExtension(extensionsDir: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/extension.js'))) {
    throw new Error('dist/extension.js is missing: run "npm run build" first');
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const entry of SHIPPED) {
    const source = path.join(REPO_ROOT, entry);
    if (fs.existsSync(source)) fs.cpSync(source, path.join(target, entry), { recursive: true });
  }
  return target;
}
