/**
 * Patch engine vs `git apply` on the same real corpus (antd 5.8.0 -> 5.12.0 by default).
 * Engine: in-process, reads the diff file, plans one file_edit per file with RunPlanner (reading
 * each file from disk) and writes each result. git: one `git apply` of the same diff. Each on its
 * own fresh copy of the old version; both copies must then equal the new version.
 *   npx tsx bench/patchEngine.bench.ts [repetitions]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunPlanner } from '../src/core/patch';
import { ensureNpmCorpus } from './corpus/npmCorpus';
import type { NpmCorpus } from './corpus/npmCorpus';

/** The diff file cut into per-file texts at byte level: each file's text stays one-byte if it can. */
function splitPerFile(diff: Buffer): string[] {
  const marker = Buffer.from('\ndiff --git ');
  const parts: string[] = [];
  let start = 0;
  for (let at = diff.indexOf(marker); at >= 0; at = diff.indexOf(marker, at + 1)) {
    parts.push(diff.toString('utf8', start, at + 1));
    start = at + 1;
  }
  parts.push(diff.toString('utf8', start));
  return parts;
}

async function applyWithEngine(corpus: NpmCorpus, dir: string): Promise<number> {
  const started = performance.now();
  // Synchronous fs, as git does: the engine is what is measured, not libuv's thread pool.
  const diffs = splitPerFile(fs.readFileSync(corpus.patchFile));
  if (diffs.length !== corpus.files.length) throw new Error(`corpus has ${corpus.files.length} files, diff ${diffs.length}`);
  const planner = new RunPlanner({
    readFile: async (relPath) => {
      try { return fs.readFileSync(path.join(dir, relPath), 'utf8'); } catch { return undefined; }
    },
  });
  // Writes go to the thread pool and overlap the next file's planning, as an editor's would;
  // writes to one path stay in order.
  const writes = new Map<string, Promise<void>>();
  const madeDirs = new Set<string>();
  const write = (target: string, op: () => Promise<void>) => {
    writes.set(target, (writes.get(target) ?? Promise.resolve()).then(op));
  };
  for (let i = 0; i < diffs.length; i++) {
    const plan = await planner.planEvent({ path: `/workspace/${corpus.files[i].relPath}`, diff: diffs[i] });
    if (!plan.ok) throw new Error(`engine refused ${corpus.files[i].relPath}: ${plan.message}`);
    for (const change of plan.changes) {
      const target = path.join(dir, change.newRelPath ?? change.relPath);
      const after = change.after;
      if (after === null) write(target, () => fs.promises.rm(target));
      else {
        const parent = path.dirname(target);
        if ((change.kind === 'create' || change.kind === 'rename') && !madeDirs.has(parent)) {
          fs.mkdirSync(parent, { recursive: true });
          madeDirs.add(parent);
        }
        write(target, () => fs.promises.writeFile(target, after));
      }
      if (change.kind === 'rename') {
        const source = path.join(dir, change.relPath);
        write(source, () => fs.promises.rm(source));
      }
    }
    planner.accept(plan.id);
  }
  await Promise.all(writes.values());
  return performance.now() - started;
}

function applyWithGit(corpus: NpmCorpus, dir: string): number {
  const started = performance.now();
  const result = spawnSync('git', ['apply', '--whitespace=nowarn', corpus.patchFile], { cwd: dir, encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`git apply failed: ${result.stderr}`);
  return elapsed;
}

/** Every corpus file in `dir` equals the new version (or is gone, for deletes). */
function verify(corpus: NpmCorpus, dir: string, who: string): void {
  for (const file of corpus.files) {
    const got = path.join(dir, file.relPath);
    const want = path.join(corpus.newDir, file.relPath);
    if (file.kind === 'delete') {
      if (fs.existsSync(got)) throw new Error(`${who}: ${file.relPath} should be deleted`);
    } else if (!fs.readFileSync(got).equals(fs.readFileSync(want))) {
      throw new Error(`${who}: ${file.relPath} differs from the new version`);
    }
  }
}

function freshCopy(corpus: NpmCorpus, label: string): string {
  // Outside any git repository: `git apply` run inside a repo resolves paths from its top.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `patch-bench-${label}-`));
  fs.cpSync(corpus.oldDir, dir, { recursive: true });
  return dir;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function main(repetitions = 5): Promise<{ engineMs: number; gitMs: number; ratio: number }> {
  const corpus = ensureNpmCorpus();
  const out = (line: string) => process.stdout.write(line + '\n');
  out(`patch engine vs git apply: ${corpus.name}, ${corpus.files.length} files, ${(corpus.diffBytes / 1e6).toFixed(1)} MB of diff`);
  const engine: number[] = [];
  const git: number[] = [];
  for (let rep = 1; rep <= repetitions; rep++) {
    const engineDir = freshCopy(corpus, 'engine');
    const gitDir = freshCopy(corpus, 'git');
    try {
      // Alternate the order so neither side always gets the warmer page cache.
      if (rep % 2) { engine.push(await applyWithEngine(corpus, engineDir)); git.push(applyWithGit(corpus, gitDir)); }
      else { git.push(applyWithGit(corpus, gitDir)); engine.push(await applyWithEngine(corpus, engineDir)); }
      verify(corpus, engineDir, 'engine');
      verify(corpus, gitDir, 'git apply');
    } finally {
      fs.rmSync(engineDir, { recursive: true, force: true });
      fs.rmSync(gitDir, { recursive: true, force: true });
    }
    out(`  run ${rep}: engine ${engine[rep - 1].toFixed(0)} ms, git apply ${git[rep - 1].toFixed(0)} ms, ratio ${(engine[rep - 1] / git[rep - 1]).toFixed(2)}`);
  }
  const engineMs = median(engine);
  const gitMs = median(git);
  const ratio = engineMs / gitMs;
  const pairedRatio = median(engine.map((ms, i) => ms / git[i]));
  out(`median: engine ${engineMs.toFixed(0)} ms, git apply ${gitMs.toFixed(0)} ms, ratio ${ratio.toFixed(2)} `
    + `(median of per-run ratios ${pairedRatio.toFixed(2)}; target <= 1.00)`);
  return { engineMs, gitMs, ratio };
}

if (require.main === module) {
  main(Number(process.argv[2]) || 5).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exitCode = 1;
  });
}
