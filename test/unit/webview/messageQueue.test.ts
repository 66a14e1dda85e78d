import * as assert from 'node:assert/strict';
import type { HostMessage, ViewSnapshot } from '../../../src/core/viewProtocol';
import { FrameScheduler, coalesce } from '../../../src/webview/messageQueue';
import { logged, think } from './helpers';

const snapshot: ViewSnapshot = {
  viewKind: 'chat', version: '0.1.0', runs: [], busy: false, auth: 'secret', target: { origin: 'https://api.runtools.ai', apiSlug: 'demo' },
};
const events = (localId: string, start: number, count: number): HostMessage => ({
  type: 'events', localId, events: logged(Array.from({ length: count }, (_, index) => think(String(start + index))), start),
});

describe('webview message coalescing', () => {
  it('merges consecutive events of one run and keeps the order of everything else', () => {
    const out = coalesce([
      events('a', 1, 2), events('a', 3, 2), { type: 'busy', busy: true }, events('a', 5, 1), events('b', 1, 1), events('a', 6, 1),
    ]);
    assert.deepEqual(out.map((message) => message.type === 'events' ? `${message.localId}:${message.events.length}` : message.type),
      ['a:4', 'busy', 'a:1', 'b:1', 'a:1']);
  });

  it('drops whatever came before the last reset', () => {
    const out = coalesce([events('a', 1, 2), { type: 'reset', snapshot }, events('a', 3, 1)]);
    assert.deepEqual(out.map((message) => message.type), ['reset', 'events']);
  });

  it('never mutates the messages it was given', () => {
    const first = events('a', 1, 2);
    coalesce([first, events('a', 3, 2)]);
    assert.equal((first as { events: unknown[] }).events.length, 2);
  });

  it('merges batches far larger than the argument limit of a call', () => {
    const out = coalesce([events('a', 1, 1), events('a', 2, 200_000)]);
    assert.equal((out[0] as { events: unknown[] }).events.length, 200_001);
  });

  it('schedules one frame for any number of messages and applies them in one batch', () => {
    const frames: (() => void)[] = [];
    const applied: HostMessage[][] = [];
    const scheduler = new FrameScheduler((callback) => frames.push(callback), (batch) => applied.push(batch));
    for (let index = 0; index < 1000; index++) scheduler.push(events('a', index * 3 + 1, 3));
    assert.equal(frames.length, 1);
    assert.equal(applied.length, 0);
    frames[0]();
    assert.equal(applied.length, 1);
    assert.equal((applied[0][0] as { events: unknown[] }).events.length, 3000);
    scheduler.push({ type: 'busy', busy: false });
    assert.equal(frames.length, 2);
  });
});
