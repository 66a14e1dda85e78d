import * as assert from 'node:assert/strict';
import { editsToJSON, restoreEdits, textHash } from '../../../src/core/edits';
import { create, engine, lines, modify, remove, rename, states } from './helpers';

const roundTrip = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

describe('edit engine: persistence', () => {
  it('a reload keeps every state, reason and count, and exactly the open decisions open', async () => {
    const e = engine('review', { 'a.txt': lines(5), 'b.txt': 'b\n', 'c.txt': 'mine\n' });
    await e.edits.receive(1, modify('a.txt', lines(5), lines(5).replace('line 2', 'two')));
    await e.edits.receive(2, modify('b.txt', 'b\n', 'B\n'));
    await e.edits.receive(3, modify('c.txt', 'theirs\n', 'X\n'));
    await e.edits.receive(4, create('d.txt', 'd\n'));
    await e.edits.accept(1);
    await e.edits.reject(2);
    const before = e.edits.edits();
    const restored = restoreEdits(roundTrip(editsToJSON(e.edits)), { port: e.ws });
    await restored.settled();
    assert.deepEqual(restored.edits(), before);
    assert.deepEqual(states(restored), ['1:accepted', '2:rejected', '3:conflict', '4:pending']);
    await restored.acceptAll();
    assert.deepEqual(states(restored), ['1:accepted', '2:rejected', '3:conflict', '4:accepted']);
    assert.equal(e.ws.files.get('b.txt'), 'b\n', 'the rejected edit stays unwritten after the reload');
  });

  it('after a reload, Undo Run and Reject of one edit still restore exactly (reverse hunks, kept texts)', async () => {
    const files = { 'a.txt': lines(40), 'gone.txt': 'bye\n', 'old.txt': 'old\n', 'crlf.txt': 'one\r\ntwo\r\n' };
    const e = engine('auto', files);
    await e.edits.receive(1, modify('a.txt', lines(40), lines(40).replace('line 3\n', 'three\n')));
    await e.edits.receive(2, modify('a.txt', lines(40).replace('line 3\n', 'three\n'), lines(40).replace('line 3\n', 'three\n').replace('line 33\n', 'x\n')));
    await e.edits.receive(3, create('new/n.txt', 'n\n'));
    await e.edits.receive(4, remove('gone.txt'));
    await e.edits.receive(5, rename('old.txt', 'moved.txt'));
    await e.edits.receive(6, modify('crlf.txt', 'one\ntwo\n', 'ONE\ntwo\n'));
    const json = roundTrip(editsToJSON(e.edits));
    const kept = (json as { edits: { written?: { reverse?: unknown; before?: unknown }[] }[] }).edits[1]!.written![0]!;
    assert.ok(Array.isArray(kept.reverse) && kept.before === undefined, 'a modification is kept as reverse hunks, not its whole text');

    const one = restoreEdits(json, { port: e.ws });
    e.ws.type('a.txt', (t) => t.replace('line 20\n', 'mine 20\n'));
    assert.equal((await one.reject(1)).state, 'reverted');
    assert.equal(e.ws.files.get('a.txt'), lines(40).replace('line 33\n', 'x\n').replace('line 20\n', 'mine 20\n'));

    const all = restoreEdits(roundTrip(editsToJSON(one)), { port: e.ws });
    e.ws.type('a.txt', (t) => t.replace('mine 20\n', 'line 20\n'));
    const result = await all.undo();
    assert.deepEqual([...result.skipped, ...result.failed], []);
    assert.deepEqual(e.ws.snapshot(), Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))));
  });

  it('reads the history of the version before the lifecycle: Undo Run works, pending edits stay reviewable', async () => {
    const e = engine('auto', { 'a.txt': 'agent a\n', 'b.txt': 'b\n' });
    const v1 = {
      version: 1, runId: 'old', mode: 'auto', sandboxRoot: '/workspace',
      edits: [
        { seq: 1, paths: ['a.txt'], added: 1, removed: 1, state: 'applied' },
        { seq: 2, paths: ['b.txt'], added: 1, removed: 1, state: 'pending' },
      ],
      problems: [],
      pending: [{ seq: 2, event: modify('b.txt', 'b\n', 'B\n') }],
      ledger: [{ path: 'a.txt', original: 'a\n', written: textHash('agent a\n') }],
    };
    const restored = restoreEdits(v1, { port: e.ws });
    await restored.settled();
    assert.deepEqual(states(restored), ['1:applied', '2:pending']);
    await restored.undo();
    assert.equal(e.ws.files.get('a.txt'), 'a\n');
    assert.deepEqual(states(restored), ['1:reverted', '2:rejected']);
  });

  it('refuses a history it does not know, saying why', () => {
    const e = engine('auto');
    assert.throws(() => restoreEdits({ version: 9 }, { port: e.ws }), /unknown edit history version 9/);
    assert.throws(() => restoreEdits({ version: 2, runId: 'r', mode: 'auto', sandboxRoot: '/w', edits: [{ seq: 1, state: 'exploded', paths: [], added: 0, removed: 0 }], ledger: [] }, { port: e.ws }), /unknown edit state exploded/);
  });
});
