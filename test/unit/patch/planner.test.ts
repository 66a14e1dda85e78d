import * as assert from 'node:assert/strict';
import { RunPlanner, parseFileEdit } from '../../../src/core/patch';
import { applyChanges } from './workspace';
import type { Files } from './workspace';

const base = 'a\nb\nc\nd\ne\nf\ng\n';
const edit = (from: string, to: string) => `@@ -1,0 +1,0 @@\n-${from}\n+${to}\n`;

function setup(files: Files = new Map([['f.txt', base], ['g.txt', 'x\n']])) {
  const planner = new RunPlanner({ readFile: async (relPath) => files.get(relPath) });
  return { files, planner };
}

describe('RunPlanner', () => {
  it('plans several events on one file in order without writing (review mode)', async () => {
    const { planner, files } = setup();
    const one = await planner.planEvent({ path: 'f.txt', diff: edit('b', 'B') });
    const two = await planner.planEvent({ path: 'f.txt', diff: edit('B', 'BB') });
    assert.ok(one.ok && two.ok);
    assert.equal(two.changes[0].before, one.changes[0].after);
    assert.equal(planner.plannedContent('f.txt'), 'a\nBB\nc\nd\ne\nf\ng\n');
    assert.equal(files.get('f.txt'), base, 'nothing written');
  });

  it('serialises concurrent planEvent calls in call order', async () => {
    const { planner } = setup();
    const results = await Promise.all([
      planner.planEvent({ path: 'f.txt', diff: edit('b', 'B') }),
      planner.planEvent({ path: 'f.txt', diff: edit('B', 'BB') }),
    ]);
    assert.ok(results.every((result) => result.ok));
  });

  it('discarding a plan drops later pending plans on the same files and restores the overlay', async () => {
    const { planner } = setup();
    const one = await planner.planEvent({ path: 'f.txt', diff: edit('b', 'B') });
    const other = await planner.planEvent({ path: 'g.txt', diff: edit('x', 'X') });
    const two = await planner.planEvent({ path: 'f.txt', diff: edit('c', 'C') });
    assert.ok(one.ok && other.ok && two.ok);
    assert.deepEqual(planner.discard(one.id), [one.id, two.id]);
    assert.equal(planner.state(other.id), 'pending');
    assert.equal(planner.plannedContent('f.txt'), undefined, 'no live plan touches it any more');
    assert.equal(planner.plannedContent('g.txt'), 'X\n');
    const again = await planner.planEvent({ path: 'f.txt', diff: edit('b', 'b2') });
    assert.ok(again.ok);
  });

  it('accepting a plan accepts earlier pending plans it builds on', async () => {
    const { planner } = setup();
    const one = await planner.planEvent({ path: 'f.txt', diff: edit('b', 'B') });
    const other = await planner.planEvent({ path: 'g.txt', diff: edit('x', 'X') });
    const two = await planner.planEvent({ path: 'f.txt', diff: edit('c', 'C') });
    assert.ok(one.ok && other.ok && two.ok);
    assert.deepEqual(planner.accept(two.id).sort(), [one.id, two.id].sort());
    assert.equal(planner.state(other.id), 'pending');
    assert.deepEqual(planner.discard(two.id), [], 'accepted plans are undone, not discarded');
  });

  it('reads a file from the workspace again once its plan is written', async () => {
    const { planner, files } = setup();
    const one = await planner.planEvent({ path: 'f.txt', diff: edit('b', 'B') });
    assert.ok(one.ok);
    applyChanges(files, one.changes);
    planner.accept(one.id);
    assert.equal(planner.plannedContent('f.txt'), undefined, 'the workspace has it now');
    files.set('f.txt', files.get('f.txt')!.replace('a\n', 'user\n'));
    const two = await planner.planEvent({ path: 'f.txt', diff: edit('c', 'C') });
    assert.ok(two.ok);
    assert.equal(two.changes[0].before, 'user\nB\nc\nd\ne\nf\ng\n', 'planned on what the user has');
  });

  it('rework plans a stale plan and those built on it again, in one step', async () => {
    const { planner, files } = setup();
    const events = [{ path: 'f.txt', diff: edit('b', 'B') }, { path: 'f.txt', diff: edit('B', 'BB') }];
    const one = await planner.planEvent(events[0]!);
    const two = await planner.planEvent(events[1]!);
    assert.ok(one.ok && two.ok);
    files.set('f.txt', 'top\n' + base);
    const redone = await planner.rework(one.id, true, (id) => (id === one.id ? events[0] : events[1]));
    assert.deepEqual(redone.map((r) => r.planId), [one.id, two.id]);
    assert.ok(redone.every((r) => r.result.ok));
    assert.equal(planner.plannedContent('f.txt'), 'top\na\nBB\nc\nd\ne\nf\ng\n');
  });

  it('a diff whose context the user changed merges with the user\'s change, and says so', async () => {
    const { planner } = setup(new Map([['f.txt', 'local\nb\nc\nd\ne\n']]));
    const plan = await planner.planEvent({ path: 'f.txt', diff: '@@ -1,5 +1,5 @@\n a\n b\n c\n-d\n+D\n e\n' });
    assert.ok(plan.ok);
    assert.equal(plan.changes[0]!.after, 'local\nb\nc\nD\ne\n');
    assert.match(plan.changes[0]!.note ?? '', /merged with your changes in f\.txt/);
  });

  it('a diff that moved with the user\'s lines above it says how far it was placed from its claim', async () => {
    const { planner } = setup(new Map([['f.txt', 'new 1\nnew 2\na\nb\nc\nd\ne\n']]));
    const plan = await planner.planEvent({ path: 'f.txt', diff: '@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n' });
    assert.ok(plan.ok);
    assert.equal(plan.changes[0]!.after, 'new 1\nnew 2\na\nb\nc\nD\ne\n');
    assert.match(plan.changes[0]!.note ?? '', /placed up to 2 lines away/);
  });

  it('a conflict leaves the plan untouched, names the hunk, keeps the diff, an intended version and a resolution with markers', async () => {
    const { planner } = setup(new Map([['f.txt', 'a\nb\nc\nlocal\ne\n']]));
    const diff = '@@ -1,5 +1,5 @@\n a\n b\n c\n-d\n+D\n e\n';
    const plan = await planner.planEvent({ path: 'f.txt', diff });
    assert.ok(!plan.ok);
    assert.equal(plan.kind, 'conflict');
    assert.equal(plan.problems[0]!.resolution, "a\nb\nc\n<<<<<<< Yours (the file as it is)\nlocal\n||||||| Before the agent's change\nd\n=======\nD\n>>>>>>> Agent's change\ne\n");
    assert.match(plan.message, /f\.txt: you changed lines that hunk 1 of the agent's diff changes too \(1 place, near line 4\); Merge… shows both/);
    assert.equal(planner.plannedContent('f.txt'), undefined);
  });

  it('without merging (as git apply), a conflict names the hunk and keeps the diff and an intended version', async () => {
    const files = new Map([['f.txt', 'local\nb\nc\nd\ne\n']]);
    const planner = new RunPlanner({ readFile: async (p) => files.get(p), merge: false });
    const diff = '@@ -1,5 +1,5 @@\n a\n b\n c\n-d\n+D\n e\n';
    const plan = await planner.planEvent({ path: 'f.txt', diff });
    assert.ok(!plan.ok);
    assert.equal(plan.kind, 'conflict');
    assert.equal(plan.diff, diff);
    const [problem] = plan.problems;
    assert.equal(problem.relPath, 'f.txt');
    assert.deepEqual(problem.hunk, { hunkIndex: 0, line: 1, expected: ['a', 'b', 'c', 'd', 'e'], found: ['local', 'b', 'c', 'd', 'e'] });
    assert.match(plan.message, /line 1 is "local", the diff expects "a"/);
    assert.equal(problem.intendedAfter, 'local\nb\nc\nD\ne\n');
    assert.equal(planner.plannedContent('f.txt'), undefined);
  });

  it('fuzzFactor lets a hunk with a changed context line apply when asked for', async () => {
    const files: Files = new Map([['f.txt', 'local\nb\nc\nd\ne\n']]);
    const planner = new RunPlanner({ readFile: async (relPath) => files.get(relPath), fuzzFactor: 1 });
    const plan = await planner.planEvent({ path: 'f.txt', diff: '@@ -1,5 +1,5 @@\n a\n b\n c\n-d\n+D\n e\n' });
    assert.ok(plan.ok);
    assert.equal(plan.changes[0].after, 'local\nb\nc\nD\ne\n');
  });
});

describe('parseFileEdit', () => {
  it('splits a multi-file git diff into one patch per file with kinds', () => {
    const parsed = parseFileEdit({
      path: '',
      diff: 'diff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+x\n'
        + 'diff --git a/y b/y\ndeleted file mode 100644\n--- a/y\n+++ /dev/null\n@@ -1 +0,0 @@\n-y\n'
        + 'diff --git a/z b/w\nsimilarity index 100%\nrename from z\nrename to w\n',
    });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.patches.map((p) => [p.kind, p.path, p.newPath]), [['create', 'x', undefined], ['delete', 'y', undefined], ['rename', 'z', 'w']]);
  });
  it('reports what it cannot read', () => {
    const parsed = parseFileEdit({ path: 'a', diff: '@@ -1,2 +1,2 @@\n a\n?what\n' });
    assert.ok(!parsed.ok);
  });
});
