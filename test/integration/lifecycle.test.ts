/**
 * The edit lifecycle as users meet it, in the real host against the local server: decisions taken
 * after a run has ended, a reload (the run read back from its history file), and the faults the
 * issue names: a file that turned into a folder, two starts in one tick, the user typing while
 * Undo Run asks, folder/file mismatches, protected paths in auto mode.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Scenario } from '../../src/server';
import { Commands } from '../../src/vscode/ids';
import type { RunSummary } from '../../src/vscode/runs/runSummary';
import type { ReviewResult } from '../../src/vscode/commands/reviewCommands';
import { answerQuestions, closeAllEditors, runPrompt, setSetting, testHooks, useLocalServer, waitFor, workspaceRoot } from './helpers';

const KEY = 'rt_test_lifecycle_0123456789abcdef';
const DIR = 'lifecycle-test';
const rel = (p: string) => `${DIR}/${p}`;
const abs = (p: string) => path.join(workspaceRoot(), DIR, p);
const read = (p: string) => fs.readFileSync(abs(p), 'utf8');
const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');
const edit = (p: string, diff: string, action?: string): NonNullable<Scenario['frames']>[number] =>
  ({ event: 'file_edit', data: { path: `/workspace/${DIR}/${p}`, diff, ...(action ? { action } : {}) } });
const hunk = (from: string, to: string, at = 2) => `@@ -${at - 1},3 +${at - 1},3 @@\n line ${at - 1}\n-${from}\n+${to}\n line ${at + 1}\n`;

const scenarios: Record<string, Scenario> = {
  four: {
    description: 'four edits to review',
    frames: [
      edit('a.txt', '+a\n', 'create'),
      edit('b.txt', hunk('line 2', 'agent b')),
      edit('c.txt', '+c\n', 'create'),
      edit('d.txt', hunk('line 2', 'agent d')),
      { event: 'complete', data: { status: 'completed', output: 'four edits' } },
    ],
  },
  one: {
    description: 'one edit of b.txt',
    frames: [edit('b.txt', hunk('line 2', 'agent b')), { event: 'complete', data: { status: 'completed' } }],
  },
  mismatches: {
    description: 'a create under a file, an edit of a folder, one fine edit',
    frames: [
      edit('notes/today.md', '+today\n', 'create'),
      edit('assets', hunk('line 2', 'x')),
      edit('fine.txt', '+fine\n', 'create'),
      { event: 'complete', data: { status: 'completed' } },
    ],
  },
  protected: {
    description: 'a task that runs on folder open, and an app file',
    frames: [
      { event: 'file_edit', data: { path: `/workspace/${DIR}/.vscode/tasks.json`, action: 'create', diff: '+{"tasks":[{"label":"x","command":"echo pwned","runOptions":{"runOn":"folderOpen"}}]}\n' } },
      edit('app.js', '+app\n', 'create'),
      { event: 'complete', data: { status: 'completed' } },
    ],
  },
  slower: {
    description: 'a run that takes a while',
    frames: [{ event: 'thinking', data: { content: 'hm' }, delay: 2_000 }, { event: 'complete', data: { status: 'completed' } }],
  },
  slow: {
    description: 'a run that takes a moment',
    frames: [{ event: 'thinking', data: { content: 'hm' }, delay: 400 }, { event: 'complete', data: { status: 'completed' } }],
  },
};

function reset(): void {
  fs.rmSync(path.join(workspaceRoot(), DIR), { recursive: true, force: true });
  fs.mkdirSync(path.join(workspaceRoot(), DIR), { recursive: true });
  fs.writeFileSync(abs('b.txt'), lines(5));
  fs.writeFileSync(abs('d.txt'), lines(5));
}

async function historyStates(localId: string): Promise<Record<number, string>> {
  const file = (await testHooks()).historyFile(localId);
  await waitFor(() => fs.existsSync(file), 'the history file');
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { editSession: { edits: { seq: number; state: string }[] } };
  return Object.fromEntries(stored.editSession.edits.map((e) => [e.seq, e.state]));
}

async function viewStates(localId: string): Promise<Record<number, string>> {
  const view = await (await testHooks()).runView(localId);
  return Object.fromEntries((view?.edits ?? []).map((e) => [e.seq, e.state]));
}

const keep = (args: object) => vscode.commands.executeCommand<ReviewResult>(Commands.keepChanges, args);
const undo = (args: object) => vscode.commands.executeCommand<ReviewResult>(Commands.undoChanges, args);

describe('edit lifecycle in the host', function () {
  this.timeout(90_000);
  useLocalServer({ apiKey: KEY, scenarios, delayScale: 1 });

  after(async () => {
    await setSetting('applyEdits', undefined);
    fs.rmSync(path.join(workspaceRoot(), DIR), { recursive: true, force: true });
    await closeAllEditors();
  });

  beforeEach(reset);
  afterEach(() => setSetting('applyEdits', undefined));

  it('decisions after the run: the view, the history file and the files agree, also after the run is read back from disk', async () => {
    await setSetting('applyEdits', 'review');
    const summary = await runPrompt({ message: 'x', params: { scenario: 'four' } });
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    assert.deepEqual(summary.applied, []);
    assert.deepEqual(summary.pending, ['a.txt', 'b.txt', 'c.txt', 'd.txt'].map(rel));
    const id = summary.localId!;

    assert.deepEqual((await keep({ run: id, path: rel('b.txt') })).changed, [{ path: rel('b.txt'), hunks: [0], state: 'kept' }]);
    assert.deepEqual((await undo({ run: id, path: rel('c.txt') })).changed, [{ path: rel('c.txt'), hunks: [0], state: 'rejected' }]);
    const expected = { 0: 'pending', 1: 'accepted', 2: 'rejected', 3: 'pending' };
    assert.deepEqual(await viewStates(id), expected);
    await waitFor(async () => JSON.stringify(await historyStates(id)) === JSON.stringify(expected), 'the history file to hold every decision');
    assert.match(read('b.txt'), /agent b/);
    assert.equal(fs.existsSync(abs('c.txt')), false);

    assert.ok(await (await testHooks()).reloadRun(id), 'the run was dropped from memory');
    assert.deepEqual(await viewStates(id), expected, 'read back from disk: exactly the open decisions are open');
    const all = await keep({ run: id });
    assert.deepEqual(all.changed.map((c) => `${c.path}:${c.state}`).sort(), [`${rel('a.txt')}:kept`, `${rel('d.txt')}:kept`]);
    assert.equal(fs.existsSync(abs('c.txt')), false, 'a rejected edit is never written by keeping everything');
    assert.deepEqual(await viewStates(id), { 0: 'accepted', 1: 'accepted', 2: 'rejected', 3: 'accepted' });

    // Undo of a written edit reverts it (and only it), and every view hears of it.
    assert.deepEqual((await undo({ run: id, path: rel('b.txt') })).changed, [{ path: rel('b.txt'), hunks: [0], state: 'undone' }]);
    assert.equal(read('b.txt'), lines(5));
    assert.match(read('d.txt'), /agent d/);
    await waitFor(async () => (await historyStates(id))[1] === 'reverted', 'the revert in the history file');
  });

  it('a file that turned into a folder after planning is refused, saying exactly that', async () => {
    await setSetting('applyEdits', 'review');
    const summary = await runPrompt({ message: 'x', params: { scenario: 'one' } });
    fs.rmSync(abs('b.txt'));
    fs.mkdirSync(abs('b.txt'));
    const result = await keep({ run: summary.localId });
    assert.deepEqual(result.changed, [], JSON.stringify(result));
    assert.match(result.skipped[0]?.reason ?? '', /is a folder, not a file/);
    const view = await (await testHooks()).runView(summary.localId!);
    assert.match(view!.edits[0]!.reason!, new RegExp(`${rel('b.txt')} is a folder, not a file`));
  });

  it('two starts in the same tick: one runs, the other is refused, and the history holds one run', async () => {
    const before = new Set((await historyIds()));
    const [first, second] = await Promise.all([
      runPrompt({ message: 'first', params: { scenario: 'slow' } }),
      runPrompt({ message: 'second', params: { scenario: 'slow' } }),
    ]);
    const outcomes = [first, second].map((s) => s.error?.code ?? s.status).sort();
    assert.deepEqual(outcomes, ['completed', 'run_active']);
    const added = (await historyIds()).filter((id) => !before.has(id));
    assert.equal(added.length, 1);
    // And the next run starts: nothing was left claimed.
    assert.equal((await runPrompt({ message: 'third', params: { scenario: 'slow' } })).status, 'completed');
  });

  it('a prompt sent from the chat while a run is active is refused and handed back to the composer', async () => {
    const running = runPrompt({ message: 'first', params: { scenario: 'slower' } });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the run is claimed at once and lasts 2 s
    const received = await (await testHooks()).receiveViewMessage({ type: 'submitPrompt', text: 'my second prompt' });
    assert.ok(received.handled && received.reply?.type === 'promptRefused', JSON.stringify(received));
    assert.equal(received.reply.type === 'promptRefused' && received.reply.text, 'my second prompt');
    assert.equal((await running).status, 'completed');
  });

  it('typing into a file while Undo Run asks: that file is not touched, and the message says why', async () => {
    const summary = await runPrompt({ message: 'x', params: { scenario: 'four' } });
    assert.deepEqual(summary.applied.sort(), ['a.txt', 'b.txt', 'c.txt', 'd.txt'].map(rel));
    // The user changes the agent's line in b.txt: Undo Run must ask before writing over it.
    fs.writeFileSync(abs('b.txt'), read('b.txt').replace('agent b', 'my b'));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(abs('b.txt')));
    await vscode.window.showTextDocument(doc);
    const answers = await answerQuestions(async (question) => {
      assert.equal(question.kind, 'undoOverwrite');
      // While the question is open, the user types into the buffer.
      const typing = new vscode.WorkspaceEdit();
      typing.insert(doc.uri, new vscode.Position(0, 0), 'typed while asked\n');
      await vscode.workspace.applyEdit(typing);
      return question.choices[0];
    });
    try {
      const result = await vscode.commands.executeCommand<{ skipped: { path: string; reason: string }[]; restored: string[] }>(Commands.undoRun, { localId: summary.localId });
      assert.equal(answers.asked.length, 1);
      assert.deepEqual(result.skipped.map((s) => s.path), [rel('b.txt')]);
      assert.match(result.skipped[0]!.reason, /while the question was open/);
      assert.equal(doc.getText(), `typed while asked\n${lines(5).replace('line 2', 'my b')}`);
      assert.equal(fs.existsSync(abs('a.txt')), false, 'the others were undone');
      assert.equal(read('d.txt'), lines(5));
    } finally {
      await answers.stop();
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('folder/file mismatches are reported with workspace paths and reasons that say what is there', async () => {
    fs.writeFileSync(abs('notes'), 'a file\n');
    fs.mkdirSync(abs('assets'));
    const summary = await runPrompt({ message: 'x', params: { scenario: 'mismatches' } });
    assert.deepEqual(summary.applied, [rel('fine.txt')]);
    const reasons = Object.fromEntries(summary.refused.map((r) => [r.path, r.reason]));
    assert.deepEqual(Object.keys(reasons).sort(), [rel('assets'), rel('notes/today.md')]);
    assert.match(reasons[rel('notes/today.md')]!, new RegExp(`${rel('notes')} is a file, so ${rel('notes/today.md')} cannot be under it`));
    assert.match(reasons[rel('assets')]!, new RegExp(`${rel('assets')} is a folder, not a file`));
    for (const r of summary.refused) assert.ok(!r.path.startsWith('/'), `${r.path} is workspace-relative`);
  });

  it('protected paths wait for review in auto mode with the reason; the rest of the run is applied', async () => {
    const summary: RunSummary = await runPrompt({ message: 'x', params: { scenario: 'protected' } });
    assert.deepEqual(summary.applied, [rel('app.js')]);
    assert.deepEqual(summary.pending, [rel('.vscode/tasks.json')]);
    assert.equal(fs.existsSync(abs('.vscode/tasks.json')), false);
    const view = await (await testHooks()).runView(summary.localId!);
    assert.match(view!.edits[0]!.reason!, /held for review: .*\.vscode\/tasks\.json matches \*\*\/\.vscode\/\*\*/);
    assert.equal((await keep({ run: summary.localId, path: rel('.vscode/tasks.json') })).changed[0]?.state, 'kept');
    assert.ok(fs.existsSync(abs('.vscode/tasks.json')));
  });
});

async function historyIds(): Promise<string[]> {
  const hooks = await testHooks();
  const ids: string[] = [];
  for (const file of fs.readdirSync(path.dirname(hooks.historyFile('x')))) ids.push(file.replace(/\.json$/, ''));
  return ids;
}
