import * as assert from 'node:assert/strict';
import { RunLog, thinkingTail, thinkingText, type ThinkingRow, type ToolRow } from '../../../src/webview/eventModel';
import { call, logged, result, think } from './helpers';

describe('webview RunLog (folding events into rows)', () => {
  it('merges consecutive thinking pieces into one row, and any other event starts a new block', () => {
    const log = new RunLog();
    log.add(logged([think('a'), think('b'), think('c'), call('bash'), think('d'), think('e')]));
    assert.deepEqual(log.rows.map((row) => row.kind), ['thinking', 'tool', 'thinking']);
    assert.equal(thinkingText(log.rows[0] as ThinkingRow), 'abc');
    assert.equal((log.rows[0] as ThinkingRow).eventCount, 3);
    assert.equal(thinkingText(log.rows[2] as ThinkingRow), 'de');
    assert.equal(log.eventCount, 6);
  });

  it('reports a thinking block that grew in a later batch as updated, not appended', () => {
    const log = new RunLog();
    const first = log.add(logged([think('one ')]));
    assert.equal(first.appended.length, 1);
    const second = log.add(logged([think('two'), think(' three')], 2));
    assert.deepEqual(second.appended, []);
    assert.deepEqual(second.updated.map((row) => row.id), ['e1']);
    assert.equal(thinkingText(log.rows[0] as ThinkingRow), 'one two three');
  });

  it('pairs a tool_result with the latest open call', () => {
    const log = new RunLog();
    log.add(logged([call('read', { path: 'a' }), call('bash', { command: 'ls' }), result('ls output'), result('file a')]));
    const [read, bash] = log.rows as ToolRow[];
    assert.equal(log.rows.length, 2);
    assert.equal(bash.result?.event.output, 'ls output');
    assert.equal(read.result?.event.output, 'file a');
  });

  it('prefers the open call of the tool a result names', () => {
    const log = new RunLog();
    log.add(logged([call('read'), call('bash'), result('file text', 'read')]));
    const [read, bash] = log.rows as ToolRow[];
    assert.equal(read.result?.event.output, 'file text');
    assert.equal(bash.result, undefined);
  });

  it('shows a result without an open call as a row of its own', () => {
    const log = new RunLog();
    const { appended } = log.add(logged([result('orphan'), call('bash'), result('ok'), result('late')]));
    assert.equal(appended.length, 3);
    assert.equal((log.rows[0] as ToolRow).call, undefined);
    assert.equal((log.rows[2] as ToolRow).result?.event.output, 'late');
  });

  it('marks the call row updated when its result arrives in a later batch', () => {
    const log = new RunLog();
    log.add(logged([call('bash', { command: 'npm test' })]));
    const { appended, updated } = log.add(logged([result('passing')], 2));
    assert.deepEqual(appended, []);
    assert.deepEqual(updated.map((row) => row.id), ['e1']);
    assert.equal(log.rows[0].eventCount, 2);
  });

  it('ignores events at or below the last seq (a resent batch)', () => {
    const log = new RunLog();
    log.add(logged([think('a'), call('x')]));
    const again = log.add(logged([think('a'), call('x'), call('y')]));
    assert.equal(again.appended.length, 1);
    assert.equal(log.eventCount, 3);
  });

  it('never throws on unknown or odd events and keeps them as rows', () => {
    const log = new RunLog();
    log.add(logged([
      { type: 'unknown', event: 'weird', data: { a: 1 } },
      { type: 'error', message: 'boom', code: 'E1' },
      { type: 'thinking', content: undefined as unknown as string },
      { type: 'complete', output: 'done' },
    ]));
    assert.deepEqual(log.rows.map((row) => row.kind), ['single', 'single', 'thinking', 'single']);
  });

  it('finds the row of any seq, including results paired into earlier calls and merged pieces', () => {
    const log = new RunLog();
    log.add(logged([call('bash'), think('a'), think('b'), result('r'), { type: 'dev_url', url: 'http://localhost:3000' }]));
    assert.equal(log.findRow(1)?.id, 'e1');
    assert.equal(log.findRow(3)?.id, 'e2');
    assert.equal(log.findRow(4)?.id, 'e1');
    assert.equal(log.findRow(5)?.id, 'e5');
    assert.equal(log.findRow(99), undefined);
  });

  it('keeps the uncut text of pieces the host cut once it sent them, and gives a tail without joining', () => {
    const log = new RunLog();
    log.add([
      { seq: 1, at: 0, event: think('start ') },
      { seq: 2, at: 0, event: think('cut…'), truncated: { field: 'content', fullLength: 100 } },
      { seq: 3, at: 0, event: think(' end') },
    ]);
    const row = log.rows[0] as ThinkingRow;
    assert.equal(thinkingText(row, (seq) => (seq === 2 ? 'the whole middle' : undefined)), 'start the whole middle end');
    assert.equal(thinkingTail(row, 4), ' end');
  });

  it('folds 50,000 events quickly enough to stay out of the way (and into few rows when they merge)', () => {
    const log = new RunLog();
    const events = logged(Array.from({ length: 50_000 }, (_, index) => (index % 100 === 99 ? call('bash', { command: `step ${index}` }) : think(`piece ${index} `))));
    for (let start = 0; start < events.length; start += 500) log.add(events.slice(start, start + 500));
    assert.equal(log.eventCount, 50_000);
    assert.equal(log.rows.length, 1000);
  });
});
