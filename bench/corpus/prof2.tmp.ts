import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunPlanner } from '../../src/core/patch';
import { ensureNpmCorpus } from './npmCorpus';
import { splitNoIndexDiff } from './gitDiff';
(async () => {
const c = ensureNpmCorpus();
for (let rep = 0; rep < 3; rep++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-')); fs.cpSync(c.oldDir, dir, { recursive: true });
  const t: Record<string, number> = { read: 0, plan: 0, write: 0, split: 0 };
  let s = performance.now();
  const files = splitNoIndexDiff(fs.readFileSync(c.patchFile, 'utf8'), 'old', 'new');
  t.split = performance.now() - s;
  const planner = new RunPlanner({ readFile: async (r) => { const a = performance.now(); const x = await fs.promises.readFile(path.join(dir, r), 'utf8').catch(() => undefined); t.read += performance.now() - a; return x; } });
  for (const f of files) {
    s = performance.now();
    const plan = await planner.planEvent({ path: f.relPath, diff: f.diff });
    t.plan += performance.now() - s;
    if (!plan.ok) throw new Error(plan.message);
    s = performance.now();
    for (const ch of plan.changes) { const target = path.join(dir, ch.relPath); if (ch.after === null) await fs.promises.rm(target); else { await fs.promises.mkdir(path.dirname(target), { recursive: true }); await fs.promises.writeFile(target, ch.after); } }
    planner.accept(plan.id);
    t.write += performance.now() - s;
  }
  console.log(t);
  fs.rmSync(dir, { recursive: true });
}
})();
