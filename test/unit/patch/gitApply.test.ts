import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunPlanner } from '../../../src/core/patch';
import { gitDiffNoIndex, splitNoIndexDiff } from '../../../bench/corpus/gitDiff';
import type { CorpusFileDiff } from '../../../bench/corpus/gitDiff';

/**
 * Differential test against `git apply` on real diffs, with no network: npm installs several
 * published versions of some packages side by side (e.g. diff 7 and 9, glob 10 and 13), and
 * `git diff --no-index` between two of them is a real-world multi-file diff. Every file's diff
 * must give the same result with the engine and with git (and equal the newer version); mutated
 * diffs must give the same result or the same refusal.
 */
const repoRoot = path.resolve(__dirname, '../../..');

interface Pair { name: string; oldDir: string; newDir: string }

/** Packages present in node_modules in two or more versions (nested copies included). */
function findVersionPairs(limit: number): Pair[] {
  const byName = new Map<string, Map<string, string>>();
  const visit = (modules: string, depth: number) => {
    if (!fs.existsSync(modules) || depth > 2) return;
    for (const entry of fs.readdirSync(modules)) {
      const dirs = entry.startsWith('@') ? fs.readdirSync(path.join(modules, entry)).map((sub) => path.join(entry, sub)) : [entry];
      for (const dir of dirs) {
        const full = path.join(modules, dir);
        try {
          const pkg = JSON.parse(fs.readFileSync(path.join(full, 'package.json'), 'utf8')) as { name?: string; version?: string };
          if (pkg.name && pkg.version) {
            const versions = byName.get(pkg.name) ?? new Map<string, string>();
            if (!versions.has(pkg.version)) versions.set(pkg.version, full);
            byName.set(pkg.name, versions);
          }
        } catch { /* not a package */ }
        visit(path.join(full, 'node_modules'), depth + 1);
      }
    }
  };
  visit(path.join(repoRoot, 'node_modules'), 0);
  const pairs: Pair[] = [];
  for (const [name, versions] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const list = [...versions].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    if (list.length < 2) continue;
    pairs.push({ name: `${name} ${list[0][0]} -> ${list[list.length - 1][0]}`, oldDir: list[0][1], newDir: list[list.length - 1][1] });
  }
  // Prefer the packages with the most to diff, within a bound that keeps the test quick.
  return pairs.slice(0, limit);
}

function copyPackage(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' || src === from });
}

/** git apply of one file's diff in a folder holding only that file. Returns the texts, or null if refused. */
function gitApplyOne(file: CorpusFileDiff, before: Map<string, string>, diff: string, scratch: string): Map<string, string | null> | null {
  const dir = fs.mkdtempSync(path.join(scratch, 'g-'));
  const names = new Set<string>();
  for (const [relPath, text] of before) {
    fs.mkdirSync(path.dirname(path.join(dir, relPath)), { recursive: true });
    fs.writeFileSync(path.join(dir, relPath), text);
    names.add(relPath);
  }
  fs.writeFileSync(path.join(dir, '.patch'), diff);
  const result = spawnSync('git', ['apply', '--whitespace=nowarn', '.patch'], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) return null;
  names.add(file.relPath);
  const out = new Map<string, string | null>();
  for (const relPath of names) {
    const full = path.join(dir, relPath);
    out.set(relPath, fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : null);
  }
  return out;
}

async function engineApplyOne(file: CorpusFileDiff, before: Map<string, string>, diff: string): Promise<Map<string, string | null> | null> {
  const files = new Map<string, string | null>(before);
  // As strict as git apply: the engine's three-way merge of a diff that does not fit goes
  // further than git on purpose, and is tested on its own (test/unit/review/merge.test.ts).
  const planner = new RunPlanner({ readFile: async (relPath) => files.get(relPath) ?? undefined, merge: false });
  const plan = await planner.planEvent({ path: `/workspace/${file.relPath}`, diff });
  if (!plan.ok) return null;
  for (const change of plan.changes) {
    if (change.kind === 'rename') { files.set(change.relPath, null); files.set(change.newRelPath!, change.after); }
    else files.set(change.relPath, change.after);
  }
  const out = new Map<string, string | null>();
  for (const relPath of new Set([...before.keys(), file.relPath])) out.set(relPath, files.get(relPath) ?? null);
  return out;
}

/** Deterministic mutations: each either must still apply (shifted numbers) or must be refused. */
function mutations(diff: string): { name: string; diff: string }[] {
  const lines = diff.split('\n');
  const out: { name: string; diff: string }[] = [];
  const firstHunk = lines.findIndex((line) => line.startsWith('@@'));
  if (firstHunk < 0) return out;
  const body = lines.findIndex((line, i) => i > firstHunk && (line.startsWith(' ') || line.startsWith('-')));
  if (body > 0) {
    const changed = [...lines];
    changed[body] = changed[body][0] + 'MUTATED ' + changed[body].slice(1);
    out.push({ name: 'changed old line', diff: changed.join('\n') });
  }
  const shifted = lines.map((line) => line.replace(/^@@ -(\d+)/, (_m, n: string) => `@@ -${Math.max(1, +n + 7)}`));
  out.push({ name: 'shifted line numbers', diff: shifted.join('\n') });
  const cut = lines.findIndex((line, i) => i > firstHunk + 1 && !line.startsWith('@@'));
  if (cut > 0) out.push({ name: 'truncated', diff: lines.slice(0, cut).join('\n') + '\n' });
  return out;
}

describe('patch engine vs git apply (real diffs between installed package versions)', function () {
  this.timeout(300_000);
  let scratch: string;
  before(() => { scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-gitapply-')); });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const pairs = findVersionPairs(10);
  it('finds package pairs to diff', () => {
    assert.ok(pairs.length >= 3, `only ${pairs.length} packages with two versions in node_modules`);
  });

  let totalFiles = 0;
  for (const pair of pairs) {
    it(`${pair.name}: every file diff gives git's result and the newer version; mutated diffs agree`, async () => {
      const root = fs.mkdtempSync(path.join(scratch, 'pair-'));
      copyPackage(pair.oldDir, path.join(root, 'old'));
      copyPackage(pair.newDir, path.join(root, 'new'));
      const rawFile = path.join(root, 'raw.diff');
      gitDiffNoIndex(root, 'old', 'new', rawFile, ['-M']);
      const files = splitNoIndexDiff(fs.readFileSync(rawFile, 'utf8'), 'old', 'new')
        .filter((file) => !/^(GIT binary patch|Binary files )/m.test(file.diff));
      totalFiles += files.length;
      let mutated = 0;
      for (const file of files) {
        const renameFrom = /^rename from (.*)$/m.exec(file.diff)?.[1];
        const oldPath = renameFrom ?? file.relPath;
        const before = new Map<string, string>();
        if (file.kind !== 'create') before.set(oldPath, fs.readFileSync(path.join(root, 'old', oldPath), 'utf8'));
        const expected = file.kind === 'delete' ? null : fs.readFileSync(path.join(root, 'new', file.relPath), 'utf8');

        const engine = await engineApplyOne(file, before, file.diff);
        assert.ok(engine, `engine refused ${file.relPath}`);
        assert.equal(engine.get(file.relPath), expected, `engine result for ${file.relPath}`);
        assert.deepEqual(engine, gitApplyOne(file, before, file.diff, scratch), `engine and git differ on ${file.relPath}`);

        if (file.kind !== 'modify' || mutated >= 15) continue;
        mutated++;
        for (const mutation of mutations(file.diff)) {
          const ours = await engineApplyOne(file, before, mutation.diff);
          const git = gitApplyOne(file, before, mutation.diff, scratch);
          assert.deepEqual(ours, git, `${mutation.name} diff of ${file.relPath}: engine ${ours ? 'applied' : 'refused'}, git ${git ? 'applied' : 'refused'}`);
        }
      }
    });
  }

  it('covered a meaningful number of real file diffs', () => {
    assert.ok(totalFiles >= 100, `only ${totalFiles} file diffs`);
  });
});
