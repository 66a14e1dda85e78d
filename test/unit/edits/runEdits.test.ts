import * as assert from 'node:assert/strict';
import { EDIT_STATES, EDIT_TRANSITIONS, canTransition, isFinal, transition } from '../../../src/core/edits';
import { create, engine, lines, modify, remove, rename, states, type Engine } from './helpers';
import { MemoryWorkspace } from './memoryWorkspace';

/** Every state move the scenarios below made: at the end, each allowed move must be among them. */
const engines: Engine[] = [];
function track(e: Engine): Engine {
  engines.push(e);
  return e;
}

describe('edit lifecycle: the table', () => {
  it('refuses every move it does not list, and says which', () => {
    for (const from of EDIT_STATES) {
      for (const to of EDIT_STATES) {
        if (EDIT_TRANSITIONS[from].includes(to)) assert.equal(transition(from, to, 3), to);
        else assert.throws(() => transition(from, to, 3), new RegExp(`edit #3 cannot go from ${from} to ${to}`));
      }
    }
  });

  it('reaches every state from received; a written edit only ever becomes reverted (or kept: accepted)', () => {
    const reached = new Set(['received']);
    for (let grew = true; grew;) {
      grew = false;
      for (const from of [...reached]) for (const to of EDIT_TRANSITIONS[from as keyof typeof EDIT_TRANSITIONS]) if (!reached.has(to)) { reached.add(to); grew = true; }
    }
    assert.deepEqual([...reached].sort(), [...EDIT_STATES].sort());
    assert.deepEqual(EDIT_TRANSITIONS.applied, ['reverted', 'accepted']);
    assert.deepEqual(EDIT_TRANSITIONS.accepted, ['reverted']);
    assert.ok(!canTransition('rejected', 'accepted'), 'a rejected edit can never be written');
    assert.ok(isFinal('reverted') && isFinal('rejected') && isFinal('shown'));
  });
});

describe('edit lifecycle: auto mode', () => {
  it('applies an edit as it arrives: received > planned > applied', async () => {
    const e = track(engine('auto', { 'a.txt': lines(5) }));
    const view = await e.edits.receive(1, modify('a.txt', lines(5), lines(5).replace('line 3', 'three')));
    assert.equal(view.state, 'applied');
    assert.equal(e.ws.files.get('a.txt'), lines(5).replace('line 3', 'three'));
    assert.deepEqual(e.heard.map((v) => v.state), ['planned', 'applied']);
    assert.deepEqual(view.paths, ['a.txt']);
  });

  it('the same event delivered twice (same key) is applied once', async () => {
    const e = track(engine('auto', { 'a.txt': lines(5) }));
    const event = modify('a.txt', lines(5), lines(5).replace('line 3', 'three'));
    await e.edits.receive(1, event, 'seq:10');
    const again = await e.edits.receive(2, event, 'seq:10');
    assert.equal(again.seq, 1);
    assert.equal(e.ws.writes.length, 1);
    assert.deepEqual(states(e.edits), ['1:applied']);
  });

  it('a diff that does not fit, an unsafe path, a folder and an unreadable diff change nothing and say why', async () => {
    const e = track(engine('auto', { 'a.txt': 'mine\n' }));
    e.ws.folders.add('dir');
    const conflict = await e.edits.receive(1, modify('a.txt', 'theirs\n', 'THEIRS\n'));
    const escape = await e.edits.receive(2, { type: 'file_edit', path: '/workspace/../x.txt', diff: '+x\n', action: 'create' });
    const folder = await e.edits.receive(3, modify('dir', 'a\n', 'b\n'));
    const garbage = await e.edits.receive(4, { type: 'file_edit', path: '/workspace/a.txt', diff: '@@ -1,2 +1,2 @@\n a\n?what\n' });
    assert.equal(conflict.state, 'conflict');
    assert.equal(escape.state, 'refused');
    assert.deepEqual(escape.paths, ['../x.txt'], 'named relative to the sandbox root, visibly outside');
    assert.equal(folder.state, 'refused');
    assert.match(folder.reason!, /dir is a folder, not a file/);
    assert.deepEqual(folder.paths, ['dir']);
    assert.equal(garbage.state, 'unreadable');
    assert.equal(e.ws.writes.length, 0);
    const summary = e.edits.summary();
    assert.deepEqual(summary.refused.map((r) => r.path).sort(), ['../x.txt', 'a.txt', 'dir']);
    assert.deepEqual(summary.conflicts.map((c) => c.path), ['a.txt']);
  });

  it('a create under a path that is a file says exactly that', async () => {
    const e = track(engine('auto', { notes: 'a file\n' }));
    const view = await e.edits.receive(1, create('notes/today.md', 'hi\n'));
    assert.equal(view.state, 'refused');
    assert.match(view.reason!, /notes is a file, so notes\/today.md cannot be under it/);
  });

  it('a file the user changes right before the write is planned again on their text, and the edit still lands', async () => {
    const e = track(engine('auto', { 'a.txt': lines(20) }));
    let typed = false;
    e.ws.beforeWrite = () => { if (!typed) { typed = true; e.ws.type('a.txt', (t) => t.replace('line 1\n', 'my line\n')); } };
    const view = await e.edits.receive(1, modify('a.txt', lines(20), lines(20).replace('line 15', 'agent 15')));
    assert.equal(view.state, 'applied');
    assert.equal(e.ws.files.get('a.txt'), lines(20).replace('line 1\n', 'my line\n').replace('line 15', 'agent 15'));
  });

  it('a file that keeps changing under the write ends as a conflict, and the run goes on', async () => {
    const e = track(engine('auto', { 'a.txt': lines(20), 'b.txt': 'b\n' }));
    let n = 0;
    e.ws.beforeWrite = (changes) => { if (changes.some((c) => c.relPath === 'a.txt')) e.ws.type('a.txt', (t) => `${t}user ${++n}\n`); };
    const view = await e.edits.receive(1, modify('a.txt', lines(20), lines(20).replace('line 15', 'agent 15')));
    e.ws.beforeWrite = undefined;
    assert.equal(view.state, 'conflict');
    assert.match(view.reason!, /changed again while the edit was being written/);
    assert.equal((await e.edits.receive(2, modify('b.txt', 'b\n', 'B\n'))).state, 'applied');
  });

  it('a file that became a folder after planning is refused with that reason', async () => {
    const e = track(engine('auto', { 'a.txt': 'a\n' }));
    e.ws.beforeWrite = () => { e.ws.files.delete('a.txt'); e.ws.folders.add('a.txt'); };
    const view = await e.edits.receive(1, modify('a.txt', 'a\n', 'A\n'));
    assert.equal(view.state, 'refused');
    assert.match(view.reason!, /a.txt is a folder/);
  });

  it('a write that throws fails only its edit; the edits built on it are planned again; the next edits are written', async () => {
    const e = track(engine('auto', { 'a.txt': 'a\n', 'b.txt': 'b\n' }));
    e.ws.explode.add('a.txt');
    const [first, second] = await Promise.all([
      e.edits.receive(1, modify('a.txt', 'a\n', 'A\n')),
      e.edits.receive(2, modify('b.txt', 'b\n', 'B\n')),
    ]);
    assert.equal(first.state, 'failed');
    assert.match(first.reason!, /disk on fire/);
    assert.equal(second.state, 'applied');
    e.ws.explode.clear();
    assert.equal((await e.edits.receive(3, modify('a.txt', 'a\n', 'AA\n'))).state, 'applied', 'a failed edit left nothing behind to build on');
  });

  it('events arriving back to back are written in one batch, not the first alone and then the rest', async () => {
    const ws = new MemoryWorkspace({ 'a.txt': lines(3) });
    const batches: number[] = [];
    const write = ws.write.bind(ws);
    ws.write = (changes) => { batches.push(changes.length); return write(changes); };
    const e = track(engine('auto', {}, { ws }));
    const views = await Promise.all([
      e.edits.receive(1, modify('a.txt', lines(3), lines(3).replace('line 2', 'two'))),
      ...Array.from({ length: 9 }, (_, i) => e.edits.receive(i + 2, create(`new${i}.txt`, `${i}\n`))),
    ]);
    assert.deepEqual(views.map((v) => v.state), Array(10).fill('applied'));
    assert.deepEqual(batches, [10]);
  });

  it('an edit the editor refuses inside a batch fails alone; the rest of the batch is written', async () => {
    const e = track(engine('auto', { 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' }));
    e.ws.refuse.set('b.txt', 'the editor said no');
    const views = await Promise.all(['a', 'b', 'c'].map((n, i) => e.edits.receive(i + 1, modify(`${n}.txt`, `${n}\n`, `${n.toUpperCase()}\n`))));
    assert.deepEqual(views.map((v) => v.state), ['applied', 'failed', 'applied']);
    assert.equal(views[1]!.reason, 'the editor said no');
    assert.equal(e.ws.files.get('b.txt'), 'b\n');
  });

  it('a protected path waits for review in auto mode, with the reason; the rest goes on', async () => {
    const e = track(engine('auto', {}, { holdReason: (p) => (p.startsWith('.vscode/') ? `${p} matches **/.vscode/** (runtools.protectedPaths)` : undefined) }));
    const tasks = await e.edits.receive(1, create('.vscode/tasks.json', '{}\n'));
    const app = await e.edits.receive(2, create('app.js', 'x\n'));
    assert.equal(tasks.state, 'pending');
    assert.match(tasks.reason!, /matches \*\*\/\.vscode\/\*\*/);
    assert.equal(app.state, 'applied');
    assert.ok(!e.ws.files.has('.vscode/tasks.json'));
    assert.deepEqual(e.edits.summary().pending, ['.vscode/tasks.json']);
    assert.equal((await e.edits.accept(1)).state, 'accepted');
    assert.equal(e.ws.files.get('.vscode/tasks.json'), '{}\n');
  });

  it('off mode only shows: received > planned > shown', async () => {
    const e = track(engine('off', { 'a.txt': 'a\n' }));
    assert.equal((await e.edits.receive(1, modify('a.txt', 'a\n', 'A\n'))).state, 'shown');
    assert.equal(e.ws.files.get('a.txt'), 'a\n');
  });

  it('conflicts, refusals, unreadable diffs and failures can be dismissed (rejected)', async () => {
    const e = track(engine('auto', { 'a.txt': 'mine\n', 'b.txt': 'b\n' }));
    e.ws.explode.add('b.txt');
    await e.edits.receive(1, modify('a.txt', 'theirs\n', 'X\n'));
    await e.edits.receive(2, { type: 'file_edit', path: '/workspace/../x', diff: '+x\n', action: 'create' });
    await e.edits.receive(3, { type: 'file_edit', path: '/workspace/a.txt', diff: '@@ -1 +1 @@\n?\n' });
    await e.edits.receive(4, modify('b.txt', 'b\n', 'B\n'));
    for (const seq of [1, 2, 3, 4]) assert.equal((await e.edits.reject(seq)).state, 'rejected');
  });
});

describe('edit lifecycle: review mode', () => {
  it('changes nothing until accepted; accept writes the edit and the earlier ones on its file', async () => {
    const e = track(engine('review', { 'f.txt': lines(10) }));
    const v1 = lines(10).replace('line 2', 'two');
    const v2 = v1.replace('line 8', 'eight');
    assert.equal((await e.edits.receive(1, modify('f.txt', lines(10), v1))).state, 'pending');
    assert.equal((await e.edits.receive(2, modify('f.txt', v1, v2))).state, 'pending');
    assert.equal(e.ws.files.get('f.txt'), lines(10));
    assert.equal((await e.edits.accept(2)).state, 'accepted');
    assert.deepEqual(states(e.edits), ['1:accepted', '2:accepted']);
    assert.equal(e.ws.files.get('f.txt'), v2);
  });

  it('rejecting a pending edit plans the later ones without it; a rejected edit is never written by Accept All', async () => {
    const e = track(engine('review', { 'f.txt': lines(10), 'g.txt': 'g\n' }));
    const v1 = lines(10).replace('line 2', 'two');
    const v2 = v1.replace('line 8', 'eight');
    const v3 = v2.replace('two', 'TWO');
    await e.edits.receive(1, modify('f.txt', lines(10), v1));
    await e.edits.receive(2, modify('f.txt', v1, v2));
    await e.edits.receive(3, modify('f.txt', v2, v3));
    await e.edits.receive(4, modify('g.txt', 'g\n', 'G\n'));
    await e.edits.reject(1);
    assert.deepEqual(states(e.edits), ['1:rejected', '2:pending', '3:conflict', '4:pending']);
    await e.edits.acceptAll();
    assert.deepEqual(states(e.edits), ['1:rejected', '2:accepted', '3:conflict', '4:accepted']);
    assert.equal(e.ws.files.get('f.txt'), lines(10).replace('line 8', 'eight'), 'edit 1 is nowhere');
  });

  it('accepting after the user changed the file plans the edit again on their text', async () => {
    const e = track(engine('review', { 'f.txt': lines(30) }));
    await e.edits.receive(1, modify('f.txt', lines(30), lines(30).replace('line 25\n', 'agent\n')));
    e.ws.type('f.txt', (t) => t.replace('line 2\n', 'mine\n'));
    assert.equal((await e.edits.accept(1)).state, 'accepted');
    assert.equal(e.ws.files.get('f.txt'), lines(30).replace('line 2\n', 'mine\n').replace('line 25\n', 'agent\n'));
  });

  it('a pending edit whose lines the user changed becomes a conflict when planned again; a folder there is refused', async () => {
    const e = track(engine('review', { 'f.txt': lines(5), 'g.txt': 'g\n' }));
    await e.edits.receive(1, modify('f.txt', lines(5), lines(5).replace('line 3', 'three')));
    await e.edits.receive(2, modify('g.txt', 'g\n', 'G\n'));
    e.ws.type('f.txt', (t) => t.replace('line 3', 'MINE'));
    e.ws.files.delete('g.txt');
    e.ws.folders.add('g.txt');
    await e.edits.replanPending('planned again after the window reloaded');
    assert.deepEqual(states(e.edits), ['1:conflict', '2:refused']);
    assert.match(e.edits.edits()[0]!.reason!, /^planned again after the window reloaded: /);
  });

  it('accepting an edit whose write throws fails it', async () => {
    const e = track(engine('review', { 'f.txt': 'f\n' }));
    await e.edits.receive(1, modify('f.txt', 'f\n', 'F\n'));
    e.ws.explode.add('f.txt');
    assert.equal((await e.edits.accept(1)).state, 'failed');
    assert.equal(e.ws.files.get('f.txt'), 'f\n');
  });
});

describe('edit lifecycle: revert', () => {
  it('Reject of an applied edit reverts that edit only, keeping the user\'s other changes', async () => {
    const e = track(engine('auto', { 'f.txt': lines(30) }));
    const v1 = lines(30).replace('line 3\n', 'agent 3\n');
    const v2 = v1.replace('line 27\n', 'agent 27\n');
    await e.edits.receive(1, modify('f.txt', lines(30), v1));
    await e.edits.receive(2, modify('f.txt', v1, v2));
    e.ws.type('f.txt', (t) => t.replace('line 15\n', 'mine 15\n'));
    assert.equal((await e.edits.reject(1)).state, 'reverted');
    assert.equal(e.ws.files.get('f.txt'), lines(30).replace('line 27\n', 'agent 27\n').replace('line 15\n', 'mine 15\n'));
    assert.deepEqual(states(e.edits), ['1:reverted', '2:applied']);
  });

  it('Undo Run restores creates, modifies, deletes and renames exactly', async () => {
    const files = { 'a.txt': lines(5), 'gone.txt': 'bye\n', 'old.txt': lines(3, 'old'), 'crlf.txt': 'one\r\ntwo\r\n' };
    const e = track(engine('auto', files));
    await e.edits.receive(1, modify('a.txt', lines(5), lines(5).replace('line 1', 'one')));
    await e.edits.receive(2, create('dir/new.txt', 'new\n'));
    await e.edits.receive(3, remove('gone.txt'));
    await e.edits.receive(4, rename('old.txt', 'renamed.txt'));
    await e.edits.receive(5, modify('renamed.txt', lines(3, 'old'), 'renamed and changed\n'));
    await e.edits.receive(6, modify('crlf.txt', 'one\ntwo\n', 'one\nTWO\n'));
    assert.deepEqual(states(e.edits).map((s) => s.split(':')[1]), Array(6).fill('applied'));
    const result = await e.edits.undo();
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(e.ws.snapshot(), Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))));
    assert.deepEqual(states(e.edits).map((s) => s.split(':')[1]), Array(6).fill('reverted'));
  });

  it('Undo Run asks before writing over the user\'s changes in the agent\'s lines, and keeps a backup', async () => {
    const asked: string[][] = [];
    const e = track(engine('auto', { 'a.txt': lines(5), 'b.txt': lines(5) }, { askOverwrite: async (paths) => { asked.push(paths.map((p) => p.path)); return 'overwrite'; } }));
    await e.edits.receive(1, modify('a.txt', lines(5), lines(5).replace('line 3', 'agent a')));
    await e.edits.receive(2, modify('b.txt', lines(5), lines(5).replace('line 3', 'agent b')));
    e.ws.type('a.txt', (t) => t.replace('agent a', 'my a'));
    const result = await e.edits.undo();
    assert.deepEqual(asked, [['a.txt']]);
    assert.deepEqual(result.overwritten.map((o) => o.path), ['a.txt']);
    assert.equal(e.ws.backups[0]!.text, lines(5).replace('line 3', 'my a'));
    assert.equal(e.ws.files.get('a.txt'), lines(5));
    assert.equal(e.ws.files.get('b.txt'), lines(5));
  });

  it('a file the user types into while the question is open is not touched', async () => {
    let e!: ReturnType<typeof engine>;
    e = track(engine('auto', { 'a.txt': lines(5), 'b.txt': lines(5) }, {
      askOverwrite: async () => {
        e.ws.type('a.txt', (t) => `${t}typed while asked\n`);
        e.ws.type('b.txt', (t) => t.replace('agent b', 'typed b'));
        return 'overwrite';
      },
    }));
    await e.edits.receive(1, modify('a.txt', lines(5), lines(5).replace('line 3', 'agent a')));
    await e.edits.receive(2, modify('b.txt', lines(5), lines(5).replace('line 3', 'agent b')));
    e.ws.type('a.txt', (t) => t.replace('agent a', 'my a'));
    const result = await e.edits.undo();
    assert.deepEqual(result.skipped.map((s) => [s.path, s.reason]).sort(), [
      ['a.txt', 'you changed it again while the question was open: not touched'],
      ['b.txt', 'you changed it while the question was open: not touched'],
    ]);
    assert.equal(e.ws.backups.length, 0);
    assert.match(e.ws.files.get('a.txt')!, /my a[\s\S]*typed while asked/);
    assert.match(e.ws.files.get('b.txt')!, /typed b/);
    assert.deepEqual(states(e.edits), ['1:applied', '2:applied']);
    assert.match(e.edits.edits()[0]!.reason!, /^not reverted: a.txt/);
  });

  it('reverting a create alone while a later edit deleted the file waits for that one (found by the property test)', async () => {
    const e = track(engine('auto', {}));
    await e.edits.receive(1, create('f.txt', 'agent 1\n'));
    assert.equal((await e.edits.receive(2, remove('f.txt'))).state, 'applied');
    const view = await e.edits.reject(1);
    assert.equal(view.state, 'applied');
    assert.match(view.reason!, /edit #2 changed f.txt after this one/);
    await e.edits.undo();
    assert.deepEqual(e.ws.snapshot(), {}, 'the created file does not come back');
    assert.deepEqual(states(e.edits), ['1:reverted', '2:reverted']);
  });

  it('an accepted edit can be reverted', async () => {
    const e = track(engine('review', { 'f.txt': 'f\n' }));
    await e.edits.receive(1, modify('f.txt', 'f\n', 'F\n'));
    await e.edits.accept(1);
    assert.equal((await e.edits.reject(1)).state, 'reverted');
    assert.equal(e.ws.files.get('f.txt'), 'f\n');
  });
});

describe('edit lifecycle: decisions after the fact', () => {
  it('Keep of an applied edit: applied > accepted, nothing written', async () => {
    const e = track(engine('auto', { 'a.txt': lines(5) }));
    await e.edits.receive(1, modify('a.txt', lines(5), lines(5).replace('line 2', 'two')));
    const writes = e.ws.writes.length;
    assert.equal((await e.edits.keep(1)).state, 'accepted');
    assert.equal(e.ws.writes.length, writes);
  });

  it('a conflict the user merged in the editor: conflict > accepted', async () => {
    const e = track(engine('auto', { 'a.txt': 'mine\n' }));
    await e.edits.receive(1, modify('a.txt', 'theirs\n', 'THEIRS\n'));
    assert.equal((await e.edits.resolved(1, 'a.txt', 'mine\n', 'mine and THEIRS\n')).view.state, 'accepted');
    assert.equal(e.ws.files.get('a.txt'), 'mine and THEIRS\n');
  });
});

describe('edit lifecycle: coverage', () => {
  it('the scenarios above made every move the table allows', () => {
    const allowed = EDIT_STATES.flatMap((from) => EDIT_TRANSITIONS[from].map((to) => `${from}>${to}`));
    const seen = new Set(engines.flatMap((e) => [...e.moves]));
    const missing = allowed.filter((move) => !seen.has(move));
    assert.deepEqual(missing, []);
  });
});
