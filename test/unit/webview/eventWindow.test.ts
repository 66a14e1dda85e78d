import * as assert from 'node:assert/strict';
import { EventWindow } from '../../../src/webview/eventWindow';

/** Replays the plans on a list of rendered indexes, the way the renderer does with DOM rows. */
function simulate(window: EventWindow, rendered: number[], count: number): void {
  const oldFirst = window.first;
  const plan = window.append(count);
  const dropped = rendered.splice(0, plan.dropFront);
  assert.deepEqual(dropped, Array.from({ length: plan.dropFront }, (_, index) => oldFirst + index));
  for (let index = plan.renderFrom; index < window.total; index++) rendered.push(index);
}

describe('webview EventWindow (bounded DOM rows)', () => {
  it('renders everything up to the limit', () => {
    const window = new EventWindow(5);
    const rendered: number[] = [];
    simulate(window, rendered, 3);
    simulate(window, rendered, 2);
    assert.deepEqual(rendered, [0, 1, 2, 3, 4]);
    assert.equal(window.first, 0);
  });

  it('drops rows from the front once past the limit, keeping the newest', () => {
    const window = new EventWindow(5);
    const rendered: number[] = [];
    simulate(window, rendered, 4);
    simulate(window, rendered, 3);
    assert.deepEqual(rendered, [2, 3, 4, 5, 6]);
    assert.equal(window.first, 2);
  });

  it('skips rows of one big batch that would be dropped at once', () => {
    const window = new EventWindow(5);
    const rendered: number[] = [];
    simulate(window, rendered, 2);
    const plan = new EventWindow(5);
    plan.append(2);
    assert.deepEqual(plan.append(10_000), { dropFront: 2, renderFrom: 10_002 - 5 });
    simulate(window, rendered, 10_000);
    assert.deepEqual(rendered, [9997, 9998, 9999, 10000, 10001]);
  });

  it('stays bounded over any sequence of batch sizes', () => {
    const window = new EventWindow(300);
    const rendered: number[] = [];
    let seed = 7;
    for (let step = 0; step < 2000; step++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      simulate(window, rendered, seed % 40);
      assert.ok(rendered.length <= 300);
      assert.equal(rendered.length, Math.min(300, window.total));
      assert.equal(rendered[rendered.length - 1], window.total - 1 === -1 ? undefined : window.total - 1);
    }
  });

  it('"show more" widens by a step towards the start and then keeps the wider bound', () => {
    const window = new EventWindow(300);
    window.append(1000);
    assert.deepEqual(window.showMore(300), { from: 400, to: 700 });
    assert.equal(window.rendered, 600);
    assert.deepEqual(window.showMore(300), { from: 100, to: 400 });
    assert.deepEqual(window.showMore(300), { from: 0, to: 100 });
    assert.equal(window.first, 0);
    assert.equal(window.append(10).dropFront, 0);
  });
});
