import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ConnectionStatus, ControlState, Delivery } from '../../../src/core/run';
import type { RunEvent } from '../../../src/core/run/events';
import { startLocalServer, type LocalServer, type Resumption } from '../../../src/server';
import { clientFor, deliveriesOf, demoRequest, editDeliveries } from './durableHelpers';

const means: Record<string, Partial<Resumption>> = {
  'thread events': { runStream: false },
  'the run-stream socket': { threadEvents: false },
  'thread events, then the socket': {},
};

function serverWith(resumption: Partial<Resumption>): Promise<LocalServer> {
  // A short retry: these runs are cut dozens of times, and the waits are not what is tested.
  return startLocalServer({ delayScale: 0, retryMs: 2, resumption });
}

describe('RunClient durable runs against the local server', function () {
  this.timeout(120_000);
  let uncut: RunEvent[];
  let uncutEdits: number;

  before(async () => {
    const server = await serverWith({});
    try {
      const { events, outcome } = await deliveriesOf(clientFor(server).start(demoRequest));
      assert.equal(outcome.status, 'completed');
      uncut = events;
      uncutEdits = events.filter((e) => e.type === 'file_edit').length;
      assert.ok(uncut.length > 20 && uncutEdits >= 4, 'a run long enough to cut');
    } finally {
      await server.close();
    }
  });

  /** Each run's dev server has its own port; everything else must be equal. */
  const samePorts = (events: RunEvent[]): unknown => JSON.parse(JSON.stringify(events).replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/"port":\d+/g, '"port":0'));

  function assertWhole(deliveries: Delivery[], label: string): void {
    assert.deepEqual(samePorts(deliveries.map((d) => d.event)), samePorts(uncut), label);
    const edits = editDeliveries(deliveries);
    assert.equal(edits.size, uncutEdits, `${label}: every file_edit delivered`);
    assert.ok([...edits.values()].every((count) => count === 1), `${label}: each file_edit exactly once`);
    assert.equal(new Set(deliveries.map((d) => d.key)).size, deliveries.length, `${label}: keys unique`);
  }

  for (const [name, resumption] of Object.entries(means)) {
    it(`a stream cut at every event boundary and inside every event, resumed by ${name}, delivers the uncut run exactly once`, async () => {
      const server = await serverWith(resumption);
      try {
        const client = clientFor(server);
        for (let cut = 1; cut < uncut.length; cut++) {
          for (const dropMidEvent of [false, true]) {
            const label = `${name}, cut ${dropMidEvent ? 'inside event' : 'after event'} ${cut}`;
            const { deliveries, outcome } = await deliveriesOf(client.start({ ...demoRequest, params: { dropEvery: cut, dropMidEvent } }));
            assert.equal(outcome.status, 'completed', `${label}: ${JSON.stringify(outcome.error)}`);
            assertWhole(deliveries, label);
            assert.ok(deliveries.slice(cut).every((d) => d.replayed), `${label}: the rest came by re-attaching`);
          }
        }
      } finally {
        await server.close();
      }
    });
  }

  it('property: random cuts, stalls and servers that resend what was already delivered never lose or repeat an event', async () => {
    const servers = await Promise.all(Object.values(means).map(serverWith));
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: servers.length - 1 }),
          // A connection that resends `overlap` old events must carry at least one new one, or no
          // client could make progress: dropEvery > replayOverlap.
          fc.integer({ min: 0, max: 6 }).chain((overlap) => fc.tuple(fc.constant(overlap), fc.integer({ min: overlap + 1, max: 40 }))),
          fc.boolean(),
          async (which, [replayOverlap, dropEvery], dropMidEvent) => {
            const { deliveries, outcome } = await deliveriesOf(clientFor(servers[which]!).start({ ...demoRequest, params: { dropEvery, dropMidEvent, replayOverlap } }));
            assert.equal(outcome.status, 'completed', JSON.stringify(outcome.error));
            assertWhole(deliveries, `server ${which}, dropEvery ${dropEvery}, mid ${dropMidEvent}, overlap ${replayOverlap}`);
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('a stall longer than the idle timeout is recovered like a drop', async () => {
    const server = await serverWith({});
    try {
      const { deliveries, outcome } = await deliveriesOf(clientFor(server, { idleTimeoutMs: 200 }).start({ ...demoRequest, params: { stallEvery: 10, stallMs: 60_000 } }));
      assert.equal(outcome.status, 'completed', JSON.stringify(outcome.error));
      assertWhole(deliveries, 'stalled');
    } finally {
      await server.close();
    }
  });

  it('says how the connection goes: live, reconnecting (attempt, delay, reason), caught up, closed', async () => {
    const server = await serverWith({ runStream: false });
    try {
      const handle = clientFor(server).start({ ...demoRequest, params: { dropEvery: 10 } });
      const statuses: ConnectionStatus[] = [];
      handle.onConnection((status) => statuses.push(status));
      await deliveriesOf(handle);
      const states = statuses.map((s) => s.state);
      assert.deepEqual(states.slice(0, 2), ['live', 'reconnecting']);
      const reconnecting = statuses[1] as Extract<ConnectionStatus, { state: 'reconnecting' }>;
      assert.equal(reconnecting.attempt, 1);
      assert.match(reconnecting.reason, /broke off/);
      const caughtUp = statuses.find((s) => s.state === 'caughtUp') as Extract<ConnectionStatus, { state: 'caughtUp' }>;
      assert.equal(caughtUp.transport, 'threadEvents');
      assert.ok(caughtUp.replayed > 0, 'it says how many events were caught up');
      assert.equal(states.at(-1), 'closed');
    } finally {
      await server.close();
    }
  });

  it('attach(resumeState) follows a run again after a "reload": the two halves make the uncut run', async () => {
    const server = await serverWith({});
    try {
      // The first window reads 12 events, then its connection dies and it does not come back.
      const first = clientFor(server, { reconnect: false }).start({ ...demoRequest, params: { delayScale: 0.05, dropEvery: 12 } });
      const before = await deliveriesOf(first);
      assert.equal(before.outcome.status, 'interrupted');
      const saved = JSON.parse(JSON.stringify(first.resumeState));
      assert.equal(saved.delivered, 12);
      assert.equal(saved.lastEventId, '12');
      // A new window, a new client: the saved state is all it has.
      const after = await deliveriesOf(clientFor(server).attach(saved));
      assert.equal(after.outcome.status, 'completed', JSON.stringify(after.outcome.error));
      assertWhole([...before.deliveries, ...after.deliveries], 'reloaded');
    } finally {
      await server.close();
    }
  });

  it('attach refuses a state of another origin, and a state that is not one', async () => {
    const server = await serverWith({});
    try {
      const client = clientFor(server);
      const foreign = await client.attach({ version: 1, origin: 'https://elsewhere.example', runId: 'run_x', apiStyle: 'slug', apiSlug: 'demo', delivered: 3, transports: { eventIds: true } }).outcome;
      assert.equal(foreign.status, 'failed');
      assert.match(foreign.error?.message ?? '', /belongs to https:\/\/elsewhere\.example/);
      const broken = await client.attach({ version: 7 }).outcome;
      assert.equal(broken.status, 'failed');
      assert.match(broken.error?.message ?? '', /version 7/);
    } finally {
      await server.close();
    }
  });

  it('a server without any resumption: a clear interrupted, with the final status fetched', async () => {
    const server = await startLocalServer({
      delayScale: 0,
      resumption: { eventIds: false, threadEvents: false, runStream: false },
      scenarios: {
        cut: {
          description: 'two events, a drop, then the end the client never sees',
          frames: [
            { event: 'thinking', data: { content: 'one' } },
            { event: 'file_edit', data: { path: '/workspace/a.txt', action: 'create', diff: '+a\n' } },
            { drop: true },
            { event: 'file_edit', data: { path: '/workspace/b.txt', action: 'create', diff: '+b\n' } },
            { event: 'complete', data: { status: 'completed', output: 'done unseen' } },
          ],
        },
      },
    });
    try {
      const handle = clientFor(server).start({ ...demoRequest, params: { scenario: 'cut' } });
      const { deliveries, outcome } = await deliveriesOf(handle);
      assert.deepEqual(deliveries.map((d) => d.key), ['pos:0', 'pos:1']);
      assert.equal(outcome.status, 'interrupted');
      assert.equal(outcome.serverStatus, 'completed');
      assert.equal(outcome.output, 'done unseen');
      assert.match(outcome.error?.message ?? '', /broke off/);
      assert.match(outcome.error?.hint ?? '', /'completed', but what it did after event 2 is unknown: this server offers no way to replay/);
      assert.deepEqual(handle.resumeState?.transports, { eventIds: false, threadEvents: 'absent', runStream: 'absent' });
    } finally {
      await server.close();
    }
  });

  it('gives up, says why, and retry() follows the run again', async () => {
    const bare = await startLocalServer({ delayScale: 0, resumption: { eventIds: false, threadEvents: false, runStream: false } });
    try {
      const handle = clientFor(bare).start({ ...demoRequest, params: { scenario: 'never-complete', dropEvery: 1 } });
      const { outcome } = await deliveriesOf(handle);
      assert.equal(outcome.status, 'interrupted');
      assert.equal(outcome.serverStatus, 'running');
      assert.equal(handle.connection.state, 'gaveUp');
      assert.match((handle.connection as { reason: string }).reason, /no way to follow the run again/);
      const again = handle.retry();
      assert.ok(again, 'a new handle');
      await again.cancel();
      assert.equal((await again.outcome).status, 'cancelled');
    } finally {
      await bare.close();
    }
  });

  it('an agent that asks: waitingForInput carries the question, input() answers over the socket, the run completes', async () => {
    const server = await serverWith({});
    try {
      const handle = clientFor(server).start({ ...demoRequest, params: { scenario: 'ask-question' } });
      const states: ControlState[] = [];
      handle.onControl((state) => {
        states.push(state);
        if (state.waitingForInput && states.filter((s) => s.waitingForInput).length === 1) void handle.input('localStorage');
      });
      const { events, outcome } = await deliveriesOf(handle);
      assert.equal(outcome.status, 'completed');
      assert.equal(outcome.output, 'Stored the decision: localStorage');
      assert.ok(states.some((s) => s.available && s.waitingForInput?.question.includes('localStorage or in a JSON file')));
      assert.equal(handle.control.waitingForInput, undefined);
      assert.ok(events.some((e) => e.type === 'file_edit' && e.diff.includes('localStorage')));
    } finally {
      await server.close();
    }
  });

  it('pause and resume reach the agent; a server without the socket says the commands cannot be sent', async () => {
    const server = await serverWith({});
    const bare = await serverWith({ runStream: false });
    try {
      const handle = clientFor(server).start({ ...demoRequest, params: { delayScale: 0.2 } });
      const iterator = handle.deliveries[Symbol.asyncIterator]();
      await iterator.next();
      assert.deepEqual(await handle.pause(), { ok: true });
      assert.equal(handle.control.paused, true);
      assert.deepEqual(await handle.resume(), { ok: true });
      while (!(await iterator.next()).done);
      assert.equal((await handle.outcome).status, 'completed');
      assert.deepEqual(await handle.pause(), { ok: false, message: 'The run is over; there is no agent to tell.' });

      const noSocket = clientFor(bare).start({ ...demoRequest, params: { delayScale: 0.2 } });
      const first = noSocket.deliveries[Symbol.asyncIterator]();
      await first.next();
      const refused = await noSocket.pause();
      assert.equal(refused.ok, false);
      assert.match((refused as { message: string }).message, /could not be opened|no run-stream socket/);
      await noSocket.cancel();
    } finally {
      await server.close();
      await bare.close();
    }
  });
});
