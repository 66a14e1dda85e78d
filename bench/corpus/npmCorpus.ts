/**
 * A corpus of real file diffs: two published versions of one npm package, fetched once with
 * `npm pack` into bench/.data/ (git-ignored), extracted, and diffed with `git diff --no-index`.
 * Shared by the engine's benchmark and the extension's replay benchmark.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitDiffNoIndex, splitNoIndexDiff } from './gitDiff';
import type { CorpusFileDiff } from './gitDiff';

export type { CorpusFileDiff } from './gitDiff';

export interface NpmCorpusOptions {
  /** Default: antd 5.8.0 -> 5.12.0, about 1,770 changed text files and 80 MB of diff. */
  packageName?: string;
  fromVersion?: string;
  toVersion?: string;
  /** Default: bench/.data next to this folder. */
  dataDir?: string;
}

export interface NpmCorpus {
  name: string;
  /** The older version, extracted: apply the diffs to a copy of this. */
  oldDir: string;
  /** The newer version: what every applied copy must equal. */
  newDir: string;
  /** The whole diff, paths relative to the package root (`git apply` in a copy of oldDir). */
  patchFile: string;
  /** One entry per changed file, in diff order. */
  files: CorpusFileDiff[];
  /** Total size of the diff text in bytes. */
  diffBytes: number;
}

const defaults = { packageName: 'antd', fromVersion: '5.8.0', toVersion: '5.12.0' };

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.error}`);
  return result.stdout;
}

/** Fetches `name@version` once with npm pack and extracts it to `<dir>/<target>`. */
function ensureExtracted(name: string, version: string, dataDir: string, target: string): void {
  if (fs.existsSync(path.join(target, 'package.json'))) return;
  const tarballs = path.join(dataDir, 'tarballs');
  fs.mkdirSync(tarballs, { recursive: true });
  const file = run('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', tarballs], dataDir).trim().split('\n').pop()!;
  const staging = `${target}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  run('tar', ['xzf', path.join(tarballs, file), '-C', staging], dataDir);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(path.join(staging, 'package'), target);
  fs.rmSync(staging, { recursive: true, force: true });
}

/** Makes sure the corpus exists on disk (fetching on first use) and returns it. */
export function ensureNpmCorpus(options: NpmCorpusOptions = {}): NpmCorpus {
  const { packageName, fromVersion, toVersion } = { ...defaults, ...options };
  const dataDir = options.dataDir ?? path.resolve(__dirname, '..', '.data');
  const name = `${packageName.replace(/[@/]/g, '_')}-${fromVersion}-${toVersion}`;
  const root = path.join(dataDir, name);
  fs.mkdirSync(root, { recursive: true });
  ensureExtracted(packageName, fromVersion, dataDir, path.join(root, 'old'));
  ensureExtracted(packageName, toVersion, dataDir, path.join(root, 'new'));

  const rawFile = path.join(root, 'raw.diff');
  const patchFile = path.join(root, 'corpus.diff');
  if (!fs.existsSync(patchFile)) {
    gitDiffNoIndex(root, 'old', 'new', rawFile, ['--no-renames']);
    const all = splitNoIndexDiff(fs.readFileSync(rawFile, 'utf8'), 'old', 'new');
    // Binary files are refused by the engine by design; leave them out of a text corpus.
    const text = all.filter((file) => !isBinaryDiff(file.diff));
    fs.writeFileSync(patchFile, text.map((file) => file.diff).join(''));
    fs.rmSync(rawFile);
  }
  const diffText = fs.readFileSync(patchFile, 'utf8');
  return {
    name: `${packageName} ${fromVersion} -> ${toVersion}`,
    oldDir: path.join(root, 'old'),
    newDir: path.join(root, 'new'),
    patchFile,
    files: splitNoIndexDiff(diffText, 'old', 'new'),
    diffBytes: Buffer.byteLength(diffText),
  };
}

function isBinaryDiff(diff: string): boolean {
  return /^(GIT binary patch|Binary files )/m.test(diff);
}
