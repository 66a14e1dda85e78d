/**
 * The chat view's composer in the real host: a chat's follow-ups continue its thread (New Chat
 * starts none), context chips reach the request's `context` with their documented fields and
 * bounds, and the agent picked in the view (with its params) is the one runs go to, below a
 * command's explicit arguments. Prompts go in as the chat view's page posts them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestHooks } from '../../src/extension';
import { Commands } from '../../src/vscode/ids';
import {
  answerQuestions, closeAllEditors, runPrompt, scratchFolder, setUserSetting, startRecorder, testHooks, waitFor, type Recorded, type Recorder,
} from './helpers';

const KEY = 'rt_test_chat_0123456789abcdef';

describe('chat: threads, context chips and the agent picker', function () {
  this.timeout(60_000);
  let api: Recorder;
  let hooks: TestHooks;
  let threads = 0;

  before(async () => {
    api = await startRecorder('chat');
    // Each run without a thread gets a new one; a run naming one stays in it (as the service does).
    api.setRoute((req, res) => {
      if (req.method !== 'POST') return false;
      const body = JSON.parse(req.body) as { threadId?: string };
      const threadId = body.threadId ?? `thr_chat_${++threads}`;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-run-id': `run_chat_${api.requests.length}`, 'x-thread-id': threadId });
      res.end('event: complete\ndata: {"status":"completed","output":"done"}\n\n');
      return true;
    });
    await setUserSetting('baseUrl', api.url);
    await setUserSetting('apiSlug', 'agent-settings');
    await setUserSetting('params', { fromSettings: true });
    await vscode.commands.executeCommand(Commands.setApiKey, { key: KEY, origin: api.url });
    hooks = await testHooks();
    await vscode.commands.executeCommand(Commands.openChat);
    await waitFor(async () => (await hooks.receiveViewMessage({ type: 'ready' })).handled, 'the chat view');
  });

  after(async () => {
    await hooks.receiveViewMessage({ type: 'resetAgent' });
    for (const key of ['baseUrl', 'apiSlug', 'params', 'apiStyle']) await setUserSetting(key, undefined);
    await vscode.commands.executeCommand(Commands.clearApiKey, { origin: api.url });
    await api.close();
    await closeAllEditors();
  });

  /** Sends a prompt as the composer does and waits for its run to end; returns the request it made. */
  async function sendFromChat(text: string): Promise<{ request: Recorded; body: Record<string, any>; localId: string }> {
    const before = hooks.chatRuns().length;
    const posts = api.requests.filter((r) => r.method === 'POST').length;
    const received = await hooks.receiveViewMessage({ type: 'submitPrompt', text });
    assert.deepEqual(received, { handled: true });
    await waitFor(() => hooks.chatRuns().length > before, 'the chat run to start');
    const localId = hooks.chatRuns()[hooks.chatRuns().length - 1]!;
    await waitFor(async () => !['starting', 'running'].includes((await hooks.runView(localId))?.status ?? 'starting') && !hooks.runActive(), 'the chat run to end');
    const request = api.requests.filter((r) => r.method === 'POST')[posts]!;
    return { request, body: JSON.parse(request.body), localId };
  }

  describe('threads', () => {
    before(async () => {
      await setUserSetting('apiStyle', 'agent');
      await vscode.commands.executeCommand(Commands.newChat);
      // A file of the first folder in the editor: the chat's runs go to its folder without asking.
      const scratch = scratchFolder('chat-threads');
      scratch.write('a.txt', 'a\n');
      await vscode.window.showTextDocument(scratch.uri('a.txt'));
    });
    after(() => setUserSetting('apiStyle', undefined));

    it('the second run of a chat carries the first run\'s threadId; after New Chat none is sent', async () => {
      const first = await sendFromChat('first question');
      assert.equal(first.body.threadId, undefined, 'a new chat names no thread');
      const firstView = (await hooks.runView(first.localId))!;
      assert.match(firstView.threadId ?? '', /^thr_chat_\d+$/, 'the thread from X-Thread-ID is kept with the run');

      const second = await sendFromChat('a follow-up');
      assert.equal(second.body.threadId, firstView.threadId);
      const third = await sendFromChat('and another');
      assert.equal(third.body.threadId, firstView.threadId);
      // One chat: the history groups its runs by the chat's id.
      const chatIds = await Promise.all([first, second, third].map(async (r) => (await hooks.runView(r.localId))!.chatId));
      assert.ok(chatIds[0] && chatIds.every((id) => id === chatIds[0]), JSON.stringify(chatIds));

      await vscode.commands.executeCommand(Commands.newChat);
      assert.deepEqual(hooks.chatRuns(), []);
      const fresh = await sendFromChat('a new topic');
      assert.equal(fresh.body.threadId, undefined, 'New Chat starts a new thread');
      const freshView = (await hooks.runView(fresh.localId))!;
      assert.notEqual(freshView.threadId, firstView.threadId);
      assert.notEqual(freshView.chatId, chatIds[0]);
      assert.equal((await sendFromChat('its follow-up')).body.threadId, freshView.threadId);
    });
  });

  describe('context chips', () => {
    const scratch = scratchFolder('chat-context');
    let diagnostics: vscode.DiagnosticCollection;

    before(() => {
      diagnostics = vscode.languages.createDiagnosticCollection('runtools-test');
    });
    after(() => diagnostics.dispose());

    it('the selection, files, open editors and a file\'s problems reach `context`, each under its field', async () => {
      scratch.write('math.js', 'function add(a, b) {\n  return a + b;\n}\n\nfunction sub(a, b) {\n  return a - b;\n}\n');
      scratch.write('notes.md', '# Notes\n\nAll good.\n');
      diagnostics.set(scratch.uri('math.js'), [
        new vscode.Diagnostic(new vscode.Range(4, 9, 4, 12), 'sub is never used', vscode.DiagnosticSeverity.Warning),
        Object.assign(new vscode.Diagnostic(new vscode.Range(1, 2, 1, 8), 'Missing semicolon', vscode.DiagnosticSeverity.Error), { source: 'lint', code: 'semi' }),
      ]);
      await vscode.window.showTextDocument(scratch.uri('notes.md'), { preview: false });
      const editor = await vscode.window.showTextDocument(scratch.uri('math.js'), { preview: false });
      editor.selection = new vscode.Selection(0, 0, 3, 0);

      const add = (args: unknown) => vscode.commands.executeCommand<{ added?: { size: string; label: string }; refused?: string }>(Commands.addContext, args);
      assert.equal((await add({ kind: 'selection' })).added?.label, 'math.js:1-3');
      assert.equal((await add({ kind: 'file' })).added?.label, 'math.js');
      assert.equal((await add({ kind: 'file', path: scratch.rel('notes.md') })).added?.label, 'notes.md');
      assert.match((await add({ kind: 'openEditors' })).added?.label ?? '', /^Open editors \(\d+\)$/);
      assert.equal((await add({ kind: 'problems', path: scratch.rel('math.js') })).added?.label, 'Problems: math.js (2)');
      const state = await hooks.composerState();
      assert.deepEqual(state.chips.map((c) => c.kind), ['selection', 'file', 'file', 'openEditors', 'problems']);

      const { body } = await sendFromChat('look at this');
      const context = body.context;
      assert.deepEqual(context.selections, [{ path: scratch.rel('math.js'), language: 'javascript', startLine: 1, endLine: 3, text: 'function add(a, b) {\n  return a + b;\n}\n', bytes: 39, truncated: false }]);
      assert.deepEqual(context.files.map((f: any) => [f.path, f.truncated]), [[scratch.rel('math.js'), false], [scratch.rel('notes.md'), false]]);
      assert.equal(context.files[1].text, '# Notes\n\nAll good.\n');
      assert.deepEqual(context.openEditors.filter((e: any) => e.path.startsWith(scratch.rel(''))), [
        { path: scratch.rel('math.js'), language: 'javascript', unsaved: false, active: true },
        { path: scratch.rel('notes.md'), language: 'markdown', unsaved: false, active: false },
      ]);
      assert.deepEqual(context.problems, [{
        path: scratch.rel('math.js'), total: 2, truncated: false,
        problems: [
          { severity: 'error', message: 'Missing semicolon', line: 2, column: 3, endLine: 2, endColumn: 9, source: 'lint', code: 'semi' },
          { severity: 'warning', message: 'sub is never used', line: 5, column: 10, endLine: 5, endColumn: 13 },
        ],
      }]);
      assert.equal(context.workspace, vscode.workspace.workspaceFolders![0]!.name, 'the workspace context stays');
      // The chips went with the prompt: the composer is empty again.
      assert.deepEqual((await hooks.composerState()).chips, []);
    });

    it('a file over 64 KB is cut, the chip says so, and the request says how large it was', async () => {
      scratch.write('big.txt', `${'é'.repeat(50_000)}`); // 100,000 bytes
      const added = await vscode.commands.executeCommand<{ added?: { size: string; cut: boolean } }>(Commands.addContext, { kind: 'file', path: scratch.abs('big.txt') });
      assert.deepEqual([added.added?.size, added.added?.cut], ['cut to 64 KB', true]);
      const { body } = await sendFromChat('summarise the file');
      const [file] = body.context.files;
      assert.equal(file.bytes, 100_000);
      assert.equal(file.truncated, true);
      assert.equal(Buffer.byteLength(file.text), 65_536, 'two-byte characters cut at a character boundary');
    });

    it('refuses what it cannot attach, with a sentence that says why; a chip can be removed from the view', async () => {
      const missing = await vscode.commands.executeCommand<{ refused?: string }>(Commands.addContext, { kind: 'file', path: 'no/such/file.txt' });
      assert.equal(missing.refused, 'There is no file no/such/file.txt in this workspace.');
      const editor = await vscode.window.showTextDocument(scratch.uri('notes.md'));
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      assert.match((await vscode.commands.executeCommand<{ refused?: string }>(Commands.addContext, { kind: 'selection' })).refused ?? '', /Select some code/);
      const clean = await vscode.commands.executeCommand<{ refused?: string }>(Commands.addContext, { kind: 'problems', path: scratch.rel('notes.md') });
      assert.match(clean.refused ?? '', /has no problems/);

      await vscode.commands.executeCommand(Commands.addContext, { kind: 'file' });
      const [chip] = (await hooks.composerState()).chips;
      assert.equal((await hooks.receiveViewMessage({ type: 'addContext', kind: 'everything' })).handled, false, 'an unknown kind is dropped');
      assert.deepEqual(await hooks.receiveViewMessage({ type: 'removeContext', id: chip!.id }), { handled: true });
      assert.deepEqual((await hooks.composerState()).chips, []);
      const { body } = await sendFromChat('no context');
      assert.equal(body.context.files, undefined);
    });
  });

  describe('the agent picker', () => {
    const postsTo = (request: Recorded) => decodeURIComponent(request.url.replace(/^\/v1\/run\//, ''));

    it('runs go to the agent picked in the view, with its params over the settings\' ones', async () => {
      const picked = await hooks.receiveViewMessage({ type: 'setAgent', apiSlug: 'agent-picked', params: '{"model": "fast"}' });
      assert.deepEqual(picked, { handled: true });
      const state = await hooks.composerState();
      assert.deepEqual([state.agent.apiSlug, state.agent.source, state.agent.settingsSlug], ['agent-picked', 'picked', 'agent-settings']);
      assert.equal(state.agent.recent[0]?.params, '{\n  "model": "fast"\n}');
      // Kept in the workspace's state, not written into any settings.
      assert.equal(vscode.workspace.getConfiguration('runtools').inspect('apiSlug')?.workspaceValue, undefined);

      const { request, body } = await sendFromChat('use the picked agent');
      assert.equal(postsTo(request), 'agent-picked');
      assert.deepEqual(body.params, { fromSettings: true, model: 'fast' });
      // The palette's runs too.
      const palette = await runPrompt({ message: 'from the palette' });
      assert.equal(palette.status, 'completed');
      assert.equal(postsTo(api.requests.filter((r) => r.method === 'POST').at(-1)!), 'agent-picked');
    });

    it('a command\'s explicit agent and params win, and the picked agent\'s params never go to another agent', async () => {
      await runPrompt({ message: 'explicit', apiSlug: 'agent-explicit', params: { n: 1 } });
      const last = api.requests.filter((r) => r.method === 'POST').at(-1)!;
      assert.equal(postsTo(last), 'agent-explicit');
      assert.deepEqual(JSON.parse(last.body).params, { fromSettings: true, n: 1 });
      await runPrompt({ message: 'same agent, own params', apiSlug: 'agent-picked', params: { model: 'slow' } });
      assert.deepEqual(JSON.parse(api.requests.filter((r) => r.method === 'POST').at(-1)!.body).params, { fromSettings: true, model: 'slow' });
    });

    it('refuses invalid params and slugs with a clear reason, keeping the pick as it was', async () => {
      for (const [raw, reason] of [
        [{ type: 'setAgent', apiSlug: 'agent-x', params: '{"model": fast}' }, /^Params are not valid JSON/],
        [{ type: 'setAgent', apiSlug: 'agent-x', params: '[1, 2]' }, /^Params must be a JSON object, like \{"model": "fast"\}, not an array\.$/],
        [{ type: 'setAgent', apiSlug: 'two words', params: '' }, /is not an agent slug/],
      ] as const) {
        const received = await hooks.receiveViewMessage(raw);
        assert.ok(received.handled && received.reply?.type === 'composerRefused', JSON.stringify(received));
        if (received.handled && received.reply?.type === 'composerRefused') assert.match(received.reply.reason, reason);
      }
      assert.equal((await hooks.composerState()).agent.apiSlug, 'agent-picked');
    });

    it('goes back to the settings\' agent, keeping the recent ones', async () => {
      await hooks.receiveViewMessage({ type: 'setAgent', apiSlug: 'agent-other', params: '' });
      assert.deepEqual(await hooks.receiveViewMessage({ type: 'resetAgent' }), { handled: true });
      const state = await hooks.composerState();
      assert.deepEqual([state.agent.apiSlug, state.agent.source], ['agent-settings', 'settings']);
      assert.deepEqual(state.agent.recent.map((r) => r.apiSlug).slice(0, 2), ['agent-other', 'agent-picked']);
      const { request } = await sendFromChat('back to the settings');
      assert.equal(postsTo(request), 'agent-settings');
    });
  });

  describe('history: delete and export', () => {
    const exportDir = scratchFolder('chat-export');

    it('deletes one run after a confirmation, from disk and from the chat; a declined one stays', async () => {
      await vscode.commands.executeCommand(Commands.newChat);
      const { localId } = await sendFromChat('a run to delete');
      const file = hooks.historyFile(localId);
      await waitFor(() => fs.existsSync(file), 'the run on disk');
      const hooksAnswers = await answerQuestions(() => undefined);
      try {
        const declined = await vscode.commands.executeCommand<{ removed: string[]; cancelled?: boolean }>(Commands.deleteFromHistory, { localId });
        assert.deepEqual(declined, { removed: [], kept: [], cancelled: true });
        assert.ok(fs.existsSync(file));
        assert.match(hooksAnswers.asked[0]!.message, /^Delete the run "a run to delete" from the RunTools history\?$/);
        assert.equal(hooksAnswers.asked[0]!.modal, true);
      } finally {
        await hooksAnswers.stop();
      }
      const answers = await answerQuestions((q) => q.choices[0]);
      try {
        const result = await vscode.commands.executeCommand<{ removed: string[] }>(Commands.deleteFromHistory, { localId });
        assert.deepEqual(result.removed, [localId]);
      } finally {
        await answers.stop();
      }
      assert.equal(fs.existsSync(file), false, 'gone from disk');
      assert.equal(await hooks.runView(localId), undefined);
      assert.ok(!hooks.chatRuns().includes(localId), 'gone from the chat view');
    });

    it('deletes a whole chat', async () => {
      await vscode.commands.executeCommand(Commands.newChat);
      const a = await sendFromChat('chat to delete, first');
      const b = await sendFromChat('chat to delete, second');
      await vscode.commands.executeCommand(Commands.newChat);
      const other = await sendFromChat('another chat, kept');
      const answers = await answerQuestions((q) => q.choices[0]);
      try {
        const result = await vscode.commands.executeCommand<{ removed: string[] }>(Commands.deleteFromHistory, { chat: b.localId });
        assert.deepEqual(result.removed.sort(), [a.localId, b.localId].sort());
        assert.match(answers.asked[0]!.message, /the chat "chat to delete, first" \(2 runs\)/);
      } finally {
        await answers.stop();
      }
      assert.ok(await hooks.runView(other.localId), 'the other chat stays');
    });

    it('exports a run as Markdown to a file, or to an untitled document', async () => {
      const { localId } = await sendFromChat('export me');
      const target = exportDir.abs('run.md');
      const written = await vscode.commands.executeCommand<{ uri?: string }>(Commands.exportRun, { localId, to: target });
      assert.equal(written.uri, vscode.Uri.file(target).toString());
      const markdown = fs.readFileSync(target, 'utf8');
      assert.match(markdown, /^# export me\n/);
      assert.match(markdown, /## Prompt\n\n```text\nexport me\n```/);
      assert.match(markdown, /## Output\n\ndone\n$/);

      const untitled = await vscode.commands.executeCommand<{ uri?: string }>(Commands.exportRun, { localId, to: 'untitled' });
      assert.match(untitled.uri ?? '', /^untitled:/);
      assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
      assert.equal(vscode.window.activeTextEditor?.document.getText(), markdown);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  });
});
