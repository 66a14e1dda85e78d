/**
 * Runs that survive their connection, in the real host against the local server: a stream that
 * drops every few events still ends with the folder an uncut run gives (each edit applied once),
 * by thread events when there is no run-stream socket, and a server with no way back ends as a
 * clear "interrupted" with the status it reports. The agent that asks is answered from here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startLocalServer, type LocalServer } from '../../src/server';
import { Commands } from '../../src/vscode/ids';
import type { RunSummary } from '../../src/vscode/runs/runSummary';
import { runPrompt, setUserSetting, testHooks, waitFor, workspaceRoot } from './helpers';

const KEY = 'rt_test_durable_0123456789abcdef';

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

async function useServer(server: LocalServer): Promise<void> {
  await setUserSetting('baseUrl', server.baseUrl);
  await setUserSetting('apiSlug', 'demo');
  assert.equal(await vscode.commands.executeCommand(Commands.setApiKey, KEY), true);
}

async function undo(summary: RunSummary): Promise<void> {
  await vscode.commands.executeCommand(Commands.undoRun, { localId: summary.localId, overwriteChanged: 'overwrite' });
}

describe('durable runs in the host', function () {
  this.timeout(120_000);
  const servers: LocalServer[] = [];
  const start = async (options: Parameters<typeof startLocalServer>[0] = {}) => {
    const server = await startLocalServer({ apiKey: KEY, delayScale: 0, retryMs: 0, ...options });
    servers.push(server);
    await useServer(server);
    return server;
  };

  after(async () => {
    await setUserSetting('baseUrl', undefined);
    await setUserSetting('apiSlug', undefined);
    for (const server of servers) {
      await vscode.commands.executeCommand(Commands.clearApiKey, { origin: server.baseUrl });
      await server.close();
    }
  });

  it('a stream dropped every few events (also mid-event) completes, and the folder equals an uncut run\'s', async () => {
    await start();
    const prompt = 'Build a durable notes app';
    const uncut = await runPrompt({ message: prompt });
    assert.equal(uncut.status, 'completed', JSON.stringify(uncut.error));
    const folder = path.join(workspaceRoot(), path.dirname(uncut.applied[0]!));
    const expected = snapshot(folder);
    const uncutEdits = (await (await testHooks()).runView(uncut.localId!))!.edits.length;
    await undo(uncut);
    assert.equal(fs.existsSync(folder) && fs.readdirSync(folder).length > 0, false, 'the uncut run was undone');

    for (const params of [{ dropEvery: 3 }, { dropEvery: 4, dropMidEvent: true }]) {
      const cut = await runPrompt({ message: prompt, params });
      assert.equal(cut.status, 'completed', `${JSON.stringify(params)}: ${JSON.stringify(cut.error)}`);
      assert.deepEqual(snapshot(folder), expected, `${JSON.stringify(params)}: the folder equals the uncut run's`);
      const view = (await (await testHooks()).runView(cut.localId!))!;
      assert.equal(view.edits.length, uncutEdits, 'each edit once: none lost, none delivered twice');
      assert.ok(view.edits.every((e) => e.state === 'applied'), JSON.stringify(view.edits));
      assert.deepEqual(cut.conflicts, []);
      assert.match(view.connection?.text ?? '', /caught up|Reconnected/, `the view said it reconnected (${view.connection?.text})`);
      await undo(cut);
    }
  });

  it('without a run-stream socket, thread events catch the run up', async () => {
    await start({ resumption: { runStream: false } });
    const summary = await runPrompt({ message: 'Build a thread-events app', params: { dropEvery: 5 } });
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    assert.equal(summary.applied.length, 4);
    const view = (await (await testHooks()).runView(summary.localId!))!;
    assert.match(view.connection?.text ?? '', /thread's events/);
    await undo(summary);
  });

  it('a server with no way back: the run ends interrupted, with the status the server reports and what is unknown', async () => {
    await start({ resumption: { eventIds: false, threadEvents: false, runStream: false } });
    const summary = await runPrompt({ message: 'Build an app that gets cut', params: { dropEvery: 6 } });
    assert.equal(summary.status, 'interrupted');
    assert.match(summary.error?.message ?? '', /./);
    const view = (await (await testHooks()).runView(summary.localId!))!;
    assert.match(view.error?.message ?? '', /no way to follow the run again/, JSON.stringify(view.error));
    assert.match(view.error?.message ?? '', /The server reports the run as '(running|completed)'/);
    if (summary.applied.length) await undo(summary);
  });

  it('an agent that asks waits for the answer, which the composer\'s answer (or Answer the Agent) sends', async () => {
    await start({ delayScale: 0 });
    await vscode.commands.executeCommand(Commands.openChat);
    await waitFor(async () => (await (await testHooks()).receiveViewMessage({ type: 'ready' })).handled, 'the chat view to be ready');
    const running = runPrompt({ message: 'Ask me something', params: { scenario: 'ask-question' } });
    let localId: string | undefined;
    await waitFor(async () => {
      const hooks = await testHooks();
      const ids = fs.readdirSync(path.dirname(hooks.historyFile('x'))).map((f) => f.replace(/\.json$/, ''));
      for (const id of ids) {
        const view = await hooks.runView(id);
        if (view?.control?.question && view.status === 'running') { localId = id; return true; }
      }
      return false;
    }, 'the agent to ask its question', 30_000);
    const received = await (await testHooks()).receiveViewMessage({ type: 'answerRun', localId, text: 'blue' });
    assert.ok(received.handled, JSON.stringify(received));
    const summary = await running;
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    const view = (await (await testHooks()).runView(localId!))!;
    assert.ok(view.events.some((e) => e.event.type === 'unknown' && e.event.event === 'input_received'));
    assert.equal(view.control, undefined, 'no question is left open once the run has ended');
    if (summary.applied.length) await undo(summary);
  });
});
