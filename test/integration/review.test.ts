/**
 * Review in the editor, in the real host against the local server: hunks kept and undone through
 * the commands (with arguments and at the cursor), a pending edit partly kept, the CodeLenses and
 * the navigation across files, a diff placed after the user's lines moved it, and a conflict that
 * ends as a merge with markers in the unsaved buffer, the file on disk untouched until the user saves.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import * as vscode from 'vscode';
import type { Scenario } from '../../src/server';
import type { ReviewResult } from '../../src/vscode/commands/reviewCommands';
import { Commands } from '../../src/vscode/ids';
import type { MergeOpened } from '../../src/vscode/review/conflictMerges';
import { closeAllEditors, runPrompt, setSetting, testHooks, useLocalServer, waitFor, workspaceRoot } from './helpers';

const KEY = 'rt_test_review_0123456789abcdef';
const DIR = 'review-test';
const rel = (p: string) => `${DIR}/${p}`;
const abs = (p: string) => path.join(workspaceRoot(), DIR, p);
const read = (p: string) => fs.readFileSync(abs(p), 'utf8');
const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');
const base = lines(40);
/** Three hunks: lines 5, 20 and 35. */
const three = base.replace('line 5\n', 'agent 5\n').replace('line 20\n', 'agent 20\n').replace('line 35\n', 'agent 35\n');
const fileEdit = (p: string, before: string, after: string) =>
  ({ event: 'file_edit', data: { path: `/workspace/${DIR}/${p}`, diff: createTwoFilesPatch(`a/${p}`, `b/${p}`, before, after) } });
const done = { event: 'complete', data: { status: 'completed' } };

const scenarios: Record<string, Scenario> = {
  three: { description: 'one edit, three hunks', frames: [fileEdit('a.txt', base, three), done] },
  twoFiles: { description: 'two files, one hunk each', frames: [fileEdit('a.txt', base, base.replace('line 10\n', 'agent 10\n')), fileEdit('b.txt', base, base.replace('line 30\n', 'agent 30\n')), done] },
  line20: { description: 'the agent rewrites line 20', frames: [fileEdit('a.txt', base, base.replace('line 20\n', 'agent 20\n')), done] },
};

const keep = (args?: object) => vscode.commands.executeCommand<ReviewResult>(Commands.keepChanges, args);
const undo = (args?: object) => vscode.commands.executeCommand<ReviewResult>(Commands.undoChanges, args);

async function editStates(localId: string): Promise<string[]> {
  const view = await (await testHooks()).runView(localId);
  return (view?.edits ?? []).map((e) => `${e.state}${e.reason ? `: ${e.reason}` : ''}`);
}

/**
 * Writes a file the way another program would, and waits until a document VS Code still holds
 * for it (closing an editor does not drop its document at once) reads the same, so that a test
 * never starts on the last test's text.
 */
async function setFile(p: string, text: string): Promise<void> {
  fs.writeFileSync(abs(p), text);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === abs(p));
  if (!doc) return;
  if (doc.isDirty) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await waitFor(() => doc.isClosed || doc.getText() === text, `VS Code to read ${p} again`);
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.map((l) => l.command?.title ?? '').filter((t) => t);
}

describe('review in the editor', function () {
  this.timeout(90_000);
  useLocalServer({ apiKey: KEY, scenarios, delayScale: 0 });

  after(async () => {
    fs.rmSync(path.join(workspaceRoot(), DIR), { recursive: true, force: true });
    await closeAllEditors();
  });

  beforeEach(async () => {
    await closeAllEditors();
    fs.mkdirSync(path.join(workspaceRoot(), DIR), { recursive: true });
    await setFile('a.txt', base);
    await setFile('b.txt', base);
  });
  afterEach(() => setSetting('applyEdits', undefined));

  it('an applied edit: its hunks show with Keep and Undo; undo one by index, keep one at the cursor', async () => {
    const summary = await runPrompt({ message: 'x', params: { scenario: 'three' } });
    assert.equal(read('a.txt'), three);
    const files = (await (await testHooks()).runView(summary.localId!))!.files!;
    assert.deepEqual(files.map((f) => [f.path, f.state, f.open, f.added, f.removed]), [[rel('a.txt'), 'review', 3, 3, 3]]);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(abs('a.txt')));
    await waitFor(async () => (await lensTitles(editor.document.uri)).includes('Change 3 of 3'), 'a CodeLens per change');
    const titles = await lensTitles(editor.document.uri);
    assert.equal(titles.filter((t) => t === '$(check) Keep').length, 3, titles.join(' | '));
    assert.ok(titles.includes('RunTools: 3 changes in this file') && titles.includes('Undo All'), titles.join(' | '));

    const undone = await undo({ run: summary.localId, path: rel('a.txt'), hunk: 1 });
    assert.deepEqual(undone.changed, [{ path: rel('a.txt'), hunks: [1], state: 'undone' }]);
    assert.equal(read('a.txt'), three.replace('agent 20\n', 'line 20\n'));
    assert.match((await editStates(summary.localId!))[0]!, /^applied: 1 of 3 undone, 2 still to review/);

    // The cursor on line 35 (0-based 34): Keep with no argument keeps that change.
    await waitFor(async () => !(await lensTitles(editor.document.uri)).includes('Change 2 of 3'), 'the undone change loses its CodeLens');
    editor.selection = new vscode.Selection(34, 0, 34, 0);
    const kept = await keep();
    assert.deepEqual(kept.changed, [{ path: rel('a.txt'), hunks: [2], state: 'kept' }]);
    await keep({ run: summary.localId, path: rel('a.txt') });
    assert.match((await editStates(summary.localId!))[0]!, /^accepted: 2 of 3 changes kept, 1 of 3 undone/);
    assert.deepEqual(await lensTitles(editor.document.uri), [], 'nothing left to review');

    // The history file agrees, and a reload keeps the marks.
    assert.ok(await (await testHooks()).reloadRun(summary.localId!));
    assert.match((await editStates(summary.localId!))[0]!, /^accepted: 2 of 3 changes kept, 1 of 3 undone/);
    await vscode.commands.executeCommand(Commands.undoRun, { localId: summary.localId, overwriteChanged: 'skip' });
    assert.equal(read('a.txt'), base, 'Undo Run takes back what was kept');
  });

  it('a pending edit partly kept: just those hunks are written; the rest turned down never are', async () => {
    await setSetting('applyEdits', 'review');
    const summary = await runPrompt({ message: 'x', params: { scenario: 'three' } });
    assert.equal(read('a.txt'), base, 'nothing written while pending');
    const first = await keep({ run: summary.localId, path: rel('a.txt'), hunk: 0 });
    const last = await keep({ run: summary.localId, path: rel('a.txt'), hunk: 2 });
    assert.deepEqual([...first.changed, ...last.changed].map((c) => c.hunks[0]), [0, 2]);
    assert.equal(read('a.txt'), three.replace('agent 20\n', 'line 20\n'));
    assert.match((await editStates(summary.localId!))[0]!, /^pending: 2 of 3 changes kept, 1 still to review/);
    await undo({ run: summary.localId, path: rel('a.txt'), hunk: 1 });
    assert.equal(read('a.txt'), three.replace('agent 20\n', 'line 20\n'));
    assert.match((await editStates(summary.localId!))[0]!, /^accepted: 2 of 3 changes kept, 1 of 3 turned down/);
  });

  it('next and previous change go through the files of the run, wrapping around', async () => {
    await runPrompt({ message: 'x', params: { scenario: 'twoFiles' } });
    await closeAllEditors();
    await vscode.commands.executeCommand(Commands.nextChange);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === abs('a.txt'), 'the first changed file');
    assert.equal(vscode.window.activeTextEditor!.selection.active.line, 9);
    await vscode.commands.executeCommand(Commands.nextChange);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === abs('b.txt'), 'the next changed file');
    assert.equal(vscode.window.activeTextEditor!.selection.active.line, 29);
    await vscode.commands.executeCommand(Commands.previousChange);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === abs('a.txt'), 'back to the first file');
  });

  it('lines the user added above the agent\'s change: it lands where its lines are now, and says so', async () => {
    await setFile('a.txt', 'mine 1\nmine 2\nmine 3\n' + base);
    const summary = await runPrompt({ message: 'x', params: { scenario: 'line20' } });
    assert.equal(read('a.txt'), 'mine 1\nmine 2\nmine 3\n' + base.replace('line 20\n', 'agent 20\n'));
    const view = await (await testHooks()).runView(summary.localId!);
    assert.equal(view!.edits[0]!.state, 'applied');
    assert.match(view!.edits[0]!.note ?? '', /placed up to 3 lines away from where the diff says/);
  });

  it('a conflict with the user\'s change on the same line: a merge with markers beside the file, disk untouched; used once resolved, the edit is accepted', async () => {
    const mine = base.replace('line 20\n', 'mine 20\n');
    await setFile('a.txt', mine);
    const summary = await runPrompt({ message: 'x', params: { scenario: 'line20' } });
    assert.deepEqual(summary.conflicts.map((c) => c.path), [rel('a.txt')]);
    assert.equal(read('a.txt'), mine, 'nothing written');
    const view = await (await testHooks()).runView(summary.localId!);
    assert.equal(view!.edits[0]!.resolvable, true, 'the card offers Merge…');
    assert.equal(view!.files![0]!.resolvable, true, 'so does the changed-files list');

    const opened = await vscode.commands.executeCommand<MergeOpened>(Commands.resolveConflict, { run: summary.localId, path: rel('a.txt') });
    assert.deepEqual(opened, { opened: true, conflicts: 1 });
    const merge = vscode.window.activeTextEditor!.document;
    assert.equal(merge.uri.scheme, 'untitled', 'the merge is a document of its own: auto save never writes its markers into the file');
    assert.equal(merge.languageId, 'plaintext');
    assert.equal(merge.uri.path, 'a.txt (merge)', 'named after the file');
    assert.match(merge.getText(), /<<<<<<< Yours \(the file as it is\)\nmine 20\n\|\|\|\|\|\|\| Before the agent's change\nline 20\n=======\nagent 20\n>>>>>>> Agent's change\n/);
    assert.equal(read('a.txt'), mine, 'the file is untouched');

    // VS Code's own conflict support sees the markers: its CodeLenses offer Accept Current / Incoming / Both.
    await waitFor(async () => (await lensTitles(merge.uri)).some((t) => /Accept Incoming Change/.test(t)), 'the merge-conflict CodeLenses', 20_000);
    assert.ok((await lensTitles(merge.uri)).some((t) => t.includes(`Use This Merge for ${rel('a.txt')}`)));

    // Used with a marker left: refused, nothing written.
    const early = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>(Commands.applyMerge, merge.uri);
    assert.equal(early.applied, false);
    assert.match(early.reason ?? '', /1 marked place in the merge of .* still needs a choice/);
    assert.equal(read('a.txt'), mine);

    // The user takes both: the merge is written into the file and the edit is accepted.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(merge.uri, new vscode.Range(0, 0, merge.lineCount, 0), base.replace('line 20\n', 'mine 20\nagent 20\n'));
    await vscode.workspace.applyEdit(edit);
    const used = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>(Commands.applyMerge, merge.uri);
    assert.deepEqual(used, { applied: true });
    assert.equal(read('a.txt'), base.replace('line 20\n', 'mine 20\nagent 20\n'));
    assert.match((await editStates(summary.localId!))[0]!, /^accepted: merged by you in the editor/);
    await waitFor(() => merge.isClosed, 'the merge document closed');
  });

  it('a merge made before the user changed the file again is refused; closing a merge leaves file and conflict as they were', async () => {
    const mine = base.replace('line 20\n', 'mine 20\n');
    await setFile('a.txt', mine);
    const summary = await runPrompt({ message: 'x', params: { scenario: 'line20' } });
    await vscode.commands.executeCommand(Commands.resolveConflict, { run: summary.localId });
    const merge = vscode.window.activeTextEditor!.document;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(merge.uri, new vscode.Range(0, 0, merge.lineCount, 0), base.replace('line 20\n', 'agent 20\n'));
    await vscode.workspace.applyEdit(edit);
    await setFile('a.txt', mine + 'typed after the merge was made\n');
    const used = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>(Commands.applyMerge, merge.uri);
    assert.equal(used.applied, false);
    assert.match(used.reason ?? '', /changed since the merge was made/);
    assert.equal(read('a.txt'), mine + 'typed after the merge was made\n', 'the user\'s text is kept');

    await vscode.commands.executeCommand(Commands.discardMerge, merge.uri);
    await waitFor(() => merge.isClosed, 'the merge document closed');
    assert.match((await editStates(summary.localId!))[0]!, /^conflict/);
  });
});
