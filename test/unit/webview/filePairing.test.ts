import * as assert from 'node:assert/strict';
import type { RunEvent } from '../../../src/core/run/events';
import { FOLD_DISTANCE, RunLog, rowEdit, type SingleRow, type ToolRow } from '../../../src/webview/eventModel';
import { call, logged, result, think } from './helpers';

const edit = (path: string, action = 'create'): RunEvent => ({ type: 'file_edit', path, diff: '+x\n', action });
const write = (path: string) => call('write_file', { path, content: 'x\n' });

describe('webview RunLog (a write call and its file_edit as one row)', () => {
  it('folds write_file, its result and the file_edit that follows into one row', () => {
    const log = new RunLog({ sandboxRoot: '/workspace' });
    log.add(logged([write('/workspace/app/index.html'), result('Wrote 587 bytes to /workspace/app/index.html', 'write_file'), edit('/workspace/app/index.html')]));
    assert.equal(log.rows.length, 1);
    const row = log.rows[0] as ToolRow;
    assert.equal(row.kind, 'tool');
    assert.equal(row.edit?.seq, 3);
    assert.equal(row.result?.seq, 2);
    assert.equal(row.eventCount, 3);
    assert.equal(log.findRow(3), row, 'the host updates the edit by its seq');
    assert.equal(log.findRow(2), row);
    assert.equal(rowEdit(row)?.event.path, '/workspace/app/index.html');
  });

  it('matches a relative tool path with the sandbox path of the edit, and the edit arriving before the result', () => {
    const log = new RunLog({ sandboxRoot: '/sandbox/' });
    const first = log.add(logged([call('str_replace_editor', { command: 'create', path: './src/a.ts' })]));
    assert.equal(first.appended.length, 1);
    const second = log.add(logged([edit('/sandbox/src/a.ts'), result('ok')], 2));
    assert.deepEqual(second.appended, [], 'no new row for the edit');
    assert.deepEqual(second.updated.map((row) => row.id), ['e1']);
    const row = log.rows[0] as ToolRow;
    assert.equal(row.edit?.seq, 2);
    assert.equal(row.result?.event.output, 'ok');
  });

  it('gives every write its own edit: two writes of two files, then their edits, are two rows', () => {
    const log = new RunLog();
    log.add(logged([write('/workspace/a.txt'), write('/workspace/b.txt'), result('ok a'), result('ok b'), edit('/workspace/b.txt'), edit('/workspace/a.txt')]));
    assert.equal(log.rows.length, 2);
    const [a, b] = log.rows as ToolRow[];
    assert.equal(a.edit?.event.path, '/workspace/a.txt');
    assert.equal(b.edit?.event.path, '/workspace/b.txt');
  });

  it('keeps an edit with no write call before it, and a write that no edit follows, as rows of their own', () => {
    const log = new RunLog();
    log.add(logged([edit('/workspace/x.txt'), write('/workspace/y.txt'), result('Permission denied')]));
    assert.equal(log.rows.length, 2);
    assert.equal((log.rows[0] as SingleRow).logged.event.type, 'file_edit');
    assert.equal((log.rows[1] as ToolRow).edit, undefined);
    assert.equal((log.rows[1] as ToolRow).result?.event.output, 'Permission denied');
  });

  it('does not fold into a read, a shell command, or a write of another file', () => {
    const log = new RunLog();
    log.add(logged([call('read_file', { path: '/workspace/a.txt' }), call('bash', { command: 'echo > /workspace/a.txt' }), write('/workspace/b.txt'), edit('/workspace/a.txt')]));
    assert.equal(log.rows.length, 4);
    assert.ok(log.rows.slice(0, 3).every((row) => row.kind === 'tool' && !row.edit));
  });

  it('folds each write once: a second edit of the same file stands on its own', () => {
    const log = new RunLog();
    log.add(logged([write('/workspace/a.txt'), edit('/workspace/a.txt'), edit('/workspace/a.txt', 'modify')]));
    assert.equal(log.rows.length, 2);
    assert.equal(log.editRowFor('a.txt'), log.rows[1], 'the latest change of the file');
    assert.equal(log.editRowFor('/workspace/a.txt'), log.rows[1]);
  });

  it(`does not fold an edit into a write more than ${FOLD_DISTANCE} rows back (it appears at the end, where the user looks)`, () => {
    const log = new RunLog();
    const between = Array.from({ length: FOLD_DISTANCE }, (_, index) => call('bash', { command: `step ${index}` }));
    log.add(logged([write('/workspace/near.txt'), ...between, edit('/workspace/near.txt')]));
    assert.equal((log.rows[0] as ToolRow).edit?.event.path, '/workspace/near.txt', 'exactly at the distance still folds');

    const far = new RunLog();
    far.add(logged([write('/workspace/far.txt'), ...between, think('and one more row'), edit('/workspace/far.txt')]));
    assert.equal((far.rows[0] as ToolRow).edit, undefined);
    assert.equal(far.rows[far.rows.length - 1].kind, 'single');
  });

  it('reports the rows of file tools that named a path as updated when its first edit comes (they become links)', () => {
    const log = new RunLog();
    log.add(logged([call('read_file', { path: 'a.txt' }), call('list_dir', { path: 'b' })]));
    const { updated } = log.add(logged([edit('/workspace/a.txt', 'modify')], 3));
    assert.deepEqual(updated.map((row) => row.id), ['e1']);
    const again = log.add(logged([edit('/workspace/a.txt', 'modify')], 4));
    assert.deepEqual(again.updated, [], 'only the first change of the file turns them into links');
  });

  it('knows the row of a rename by both of its paths', () => {
    const log = new RunLog();
    log.add(logged([{ type: 'file_edit', path: '/workspace/old.txt', newPath: '/workspace/new.txt', diff: '', action: 'rename' }]));
    assert.equal(log.editRowFor('old.txt'), log.rows[0]);
    assert.equal(log.editRowFor('/workspace/new.txt'), log.rows[0]);
    assert.equal(log.editRowFor('other.txt'), undefined);
  });
});
