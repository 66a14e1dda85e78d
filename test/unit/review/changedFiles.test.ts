import * as assert from 'node:assert/strict';
import { changedFiles, fileHunks } from '../../../src/core/review/changedFiles';
import { create, engine, lines, modify } from '../edits/helpers';

const base = lines(40);
const two = base.replace('line 5\n', 'agent 5\n').replace('line 30\n', 'agent 30\n');

describe('a run\'s changed files', () => {
  it('one entry per file, hunks numbered across the run\'s edits, counts of what is still in', async () => {
    const e = engine('auto', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, two));
    await e.edits.receive(2, modify('a.txt', two, two.replace('line 18\n', 'agent 18\n')));
    await e.edits.receive(3, create('n.txt', 'new\n'));
    const hunks = fileHunks(e.edits.book.all(), 'a.txt');
    assert.deepEqual(hunks.map((h) => [h.index, h.seq, h.local, h.mark]), [[0, 1, 0, 'applied'], [1, 1, 1, 'applied'], [2, 2, 0, 'applied']]);
    assert.deepEqual(changedFiles(e.edits.book.all()).map(({ path, state, open, added, removed, kind, seqs }) => ({ path, state, open, added, removed, kind, seqs })), [
      { path: 'a.txt', state: 'review', open: 3, added: 3, removed: 3, kind: 'modify', seqs: [1, 2] },
      { path: 'n.txt', state: 'review', open: 1, added: 1, removed: 0, kind: 'create', seqs: [3] },
    ]);

    await e.edits.decideHunks(1, 'a.txt', 'undo', [0]);
    await e.edits.keep(2);
    const [a] = changedFiles(e.edits.book.all());
    assert.deepEqual([a!.state, a!.open, a!.added, a!.removed], ['review', 1, 2, 2], 'the undone hunk no longer counts; one is left');
    await e.edits.decideHunks(1, 'a.txt', 'keep');
    assert.equal(changedFiles(e.edits.book.all())[0]!.state, 'kept');
    await e.edits.undo();
    assert.deepEqual(changedFiles(e.edits.book.all()).map((f) => f.state), ['undone', 'undone']);
  });

  it('waiting for review, and a conflict that can be merged in the editor', async () => {
    const e = engine('review', { 'a.txt': base, 'b.txt': base.replace('line 5\n', 'mine 5\n') });
    await e.edits.receive(1, modify('a.txt', base, two));
    await e.edits.receive(2, modify('b.txt', base, two));
    const files = changedFiles(e.edits.book.all());
    assert.deepEqual(files.map((f) => [f.path, f.state, f.open, f.resolvable ?? false]), [['a.txt', 'pending', 2, false], ['b.txt', 'conflict', 0, true]]);
    assert.match(files[1]!.reason ?? '', /b\.txt: you changed lines that hunk 1 of the agent's diff changes too/);
  });
});
