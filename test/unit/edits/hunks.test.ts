/**
 * Hunk by hunk: keeping and undoing some hunks of an edit, in auto and review mode, after the
 * user and the agent changed the file again, across a reload, and under Undo Run.
 */
import * as assert from 'node:assert/strict';
import { editsToJSON, restoreEdits, reviewOf } from '../../../src/core/edits';
import { engine, lines, modify, states, watch } from './helpers';

const base = lines(40);
/** Three hunks far apart: lines 5, 20 and 35 changed. */
const agent = base.replace('line 5\n', 'agent 5\n').replace('line 20\n', 'agent 20\n').replace('line 35\n', 'agent 35\n');

describe('hunk review: an applied edit', () => {
  it('undo one of three hunks: only its lines go back; the edit says so and waits for the rest', async () => {
    const e = engine('auto', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    const [file] = reviewOf(e.edits.edit(1)!);
    assert.equal(file!.hunks.length, 3);
    assert.deepEqual(file!.marks, ['applied', 'applied', 'applied']);

    const outcome = await e.edits.decideHunks(1, 'a.txt', 'undo', [1]);
    assert.deepEqual(outcome.changed, [{ path: 'a.txt', hunks: [1], mark: 'undone' }]);
    assert.equal(e.ws.files.get('a.txt'), agent.replace('agent 20\n', 'line 20\n'));
    assert.deepEqual(states(e.edits), ['1:applied']);
    assert.match(e.edits.edits()[0]!.reason ?? '', /1 of 3 undone, 2 still to review/);

    await e.edits.decideHunks(1, 'a.txt', 'keep');
    assert.deepEqual(states(e.edits), ['1:accepted']);
    assert.deepEqual(reviewOf(e.edits.edit(1)!)[0]!.marks, ['kept', 'undone', 'kept']);
    assert.ok(e.moves.has('applied>accepted'));
  });

  it('undo a hunk after the user changed the file elsewhere and the agent wrote it again: both stay', async () => {
    const e = engine('auto', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    const mine = e.ws.files.get('a.txt')!.replace('line 12\n', 'mine 12\n');
    e.ws.files.set('a.txt', mine);
    const later = mine.replace('line 28\n', 'agent 28\n');
    await e.edits.receive(2, modify('a.txt', mine, later));
    await e.edits.decideHunks(1, 'a.txt', 'undo', [0, 2]);
    assert.equal(e.ws.files.get('a.txt'), later.replace('agent 5\n', 'line 5\n').replace('agent 35\n', 'line 35\n'));

    // Undo Run then takes back the rest: the user's line stays.
    await e.edits.undo();
    assert.equal(e.ws.files.get('a.txt'), base.replace('line 12\n', 'mine 12\n'));
    assert.deepEqual(states(e.edits), ['1:reverted', '2:reverted']);
  });

  it('a hunk whose lines the user changed is not undone, and says why; nothing is written', async () => {
    const e = engine('auto', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    e.ws.files.set('a.txt', agent.replace('agent 20\n', 'mine 20\n'));
    const writes = e.ws.writes.length;
    const outcome = await e.edits.decideHunks(1, 'a.txt', 'undo', [1]);
    assert.deepEqual(outcome.changed, []);
    assert.match(outcome.skipped[0]!.reason, /you changed these lines since the agent wrote them/);
    assert.equal(e.ws.writes.length, writes);
  });

  it('undoing every hunk reverts the edit; a second undo says they are undone already', async () => {
    const e = engine('auto', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    await e.edits.decideHunks(1, 'a.txt', 'undo', [2]);
    await e.edits.decideHunks(1, 'a.txt', 'undo');
    assert.equal(e.ws.files.get('a.txt'), base);
    assert.deepEqual(states(e.edits), ['1:reverted']);
    const again = await e.edits.decideHunks(1, 'a.txt', 'undo', [0]);
    assert.match(again.skipped[0]!.reason, /reverted/);
  });

  it('Keep of the whole applied edit ends its review without writing', async () => {
    const e = engine('auto', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    const writes = e.ws.writes.length;
    await e.edits.keep(1);
    assert.deepEqual(states(e.edits), ['1:accepted']);
    assert.equal(e.ws.writes.length, writes);
    assert.deepEqual(reviewOf(e.edits.edit(1)!)[0]!.marks, ['kept', 'kept', 'kept']);
  });

  it('a hunk index out of range is named, not guessed', async () => {
    const e = engine('auto', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    const outcome = await e.edits.decideHunks(1, 'a.txt', 'undo', [7]);
    assert.match(outcome.skipped[0]!.reason, /a\.txt has 3 changes from edit #1/);
  });
});

describe('hunk review: an edit waiting for review', () => {
  it('keep 2 of 3: just those are written, the third never; then it is accepted, saying how much', async () => {
    const e = engine('review', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    await e.edits.decideHunks(1, 'a.txt', 'keep', [0, 2]);
    assert.equal(e.ws.files.get('a.txt'), agent.replace('agent 20\n', 'line 20\n'));
    assert.deepEqual(states(e.edits), ['1:pending']);
    assert.match(e.edits.edits()[0]!.reason ?? '', /2 of 3 changes kept, 1 still to review/);

    await e.edits.decideHunks(1, 'a.txt', 'undo', [1]);
    assert.deepEqual(states(e.edits), ['1:accepted']);
    assert.match(e.edits.edits()[0]!.reason ?? '', /2 of 3 changes kept, 1 of 3 turned down/);
    assert.equal(e.ws.files.get('a.txt'), agent.replace('agent 20\n', 'line 20\n'));
    assert.ok(!e.ws.writes.some((w) => w.after?.includes('agent 20')), 'the turned-down hunk never reached the disk');
  });

  it('keeps hunks after the user changed the file above and between them; the user\'s lines stay', async () => {
    const e = engine('review', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    const mine = 'mine 0\n' + base.replace('line 12\n', 'mine 12\n');
    e.ws.files.set('a.txt', mine);
    await e.edits.decideHunks(1, 'a.txt', 'keep', [1]);
    await e.edits.accept(1);
    assert.equal(e.ws.files.get('a.txt'), 'mine 0\n' + agent.replace('line 12\n', 'mine 12\n'));
    assert.deepEqual(states(e.edits), ['1:accepted']);
  });

  it('turning down a hunk plans the later pending edit on the same file again on what is left', async () => {
    const e = engine('review', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    const second = agent.replace('line 30\n', 'agent 30\n');
    await e.edits.receive(2, modify('a.txt', agent, second));
    const blocked = await e.edits.decideHunks(2, 'a.txt', 'keep');
    assert.match(blocked.skipped[0]!.reason, /edit #1, before this one, also changes a\.txt/);
    await e.edits.decideHunks(1, 'a.txt', 'undo', [0]);
    await e.edits.decideHunks(1, 'a.txt', 'keep');
    await e.edits.accept(2);
    assert.equal(e.ws.files.get('a.txt'), second.replace('agent 5\n', 'line 5\n'));
    assert.deepEqual(states(e.edits), ['1:accepted', '2:accepted']);
  });

  it('Undo Run takes back what was kept of a partly reviewed edit, and turns down the rest', async () => {
    const e = engine('review', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    await e.edits.decideHunks(1, 'a.txt', 'keep', [1]);
    await e.edits.undo();
    assert.equal(e.ws.files.get('a.txt'), base);
    assert.deepEqual(states(e.edits), ['1:reverted']);
  });

  it('survives a reload: the kept hunk stays, the others still wait, and accepting them writes each once', async () => {
    const e = engine('review', { 'a.txt': base });
    await e.edits.receive(1, modify('a.txt', base, agent));
    await e.edits.decideHunks(1, 'a.txt', 'keep', [2]);
    const json = JSON.parse(JSON.stringify(editsToJSON(e.edits)));
    const restored = watch(e.ws, restoreEdits(json, { port: e.ws }));
    await restored.edits.settled();
    assert.deepEqual(states(restored.edits), ['1:pending']);
    assert.deepEqual(reviewOf(restored.edits.edit(1)!)[0]!.marks, ['pending', 'pending', 'kept']);
    await restored.edits.accept(1);
    assert.equal(e.ws.files.get('a.txt'), agent);
    assert.deepEqual(states(restored.edits), ['1:accepted']);
    await restored.edits.undo();
    assert.equal(e.ws.files.get('a.txt'), base);
  });
});

describe('hunk review: whole pieces', () => {
  it('a created file is one piece: Undo on it reverts the edit; a bad index is refused', async () => {
    const e = engine('auto');
    await e.edits.receive(1, { type: 'file_edit', path: '/workspace/n.txt', action: 'create', diff: '+one\n+two\n' });
    const refused = await e.edits.decideHunks(1, 'n.txt', 'undo', [1]);
    assert.match(refused.skipped[0]!.reason, /creates, deletes or renames/);
    const outcome = await e.edits.decideHunks(1, 'n.txt', 'undo');
    assert.deepEqual(outcome.changed, [{ path: 'n.txt', hunks: [0], mark: 'undone' }]);
    assert.equal(e.ws.files.has('n.txt'), false);
  });

  it('a conflict the user resolved in the editor is accepted with what they saved, and reverts to before', async () => {
    const e = engine('auto', { 'a.txt': base.replace('line 20\n', 'mine 20\n') });
    await e.edits.receive(1, modify('a.txt', base, agent.replace('line 5\n', 'line 5\n')));
    assert.deepEqual(states(e.edits), ['1:conflict']);
    const problem = e.edits.edit(1)!.problems[0]!;
    assert.match(problem.resolution ?? '', /<<<<<<< Yours \(the file as it is\)\nmine 20\n/);
    const before = e.ws.files.get('a.txt')!;
    const resolvedText = before.replace('line 5\n', 'agent 5\n').replace('mine 20\n', 'mine and agent 20\n');
    // The file changed after the merge was made: refused, nothing written.
    e.ws.files.set('a.txt', before + 'typed later\n');
    assert.match((await e.edits.resolved(1, 'a.txt', before, resolvedText)).reason ?? '', /changed since the merge was made/);
    assert.equal(e.ws.files.get('a.txt'), before + 'typed later\n');
    e.ws.files.set('a.txt', before);
    assert.equal((await e.edits.resolved(1, 'a.txt', before, resolvedText)).reason, undefined);
    assert.equal(e.ws.files.get('a.txt'), resolvedText);
    assert.deepEqual(states(e.edits), ['1:accepted']);
    assert.ok(e.moves.has('conflict>accepted'));
    await e.edits.undo();
    assert.equal(e.ws.files.get('a.txt'), before);
  });
});
