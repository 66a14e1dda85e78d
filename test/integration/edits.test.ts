/**
 * EditSession in the real extension host: real files in a scratch copy of the sample workspace,
 * real documents and editors, real WorkspaceEdits.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTwoFilesPatch, structuredPatch } from 'diff';
import * as vscode from 'vscode';
import { nullLogger } from '../../src/core/logger';
import type { FileEditEvent } from '../../src/core/run/events';
import { EditSession, registerEditContentProvider, reviewEdits, reviewItems, runReviewAction, undoRun } from '../../src/vscode/edits';
import type { ApplyMode } from '../../src/vscode/edits';
import { rollBack } from '../../src/vscode/edits/rollBack';
import { WorkspaceFiles } from '../../src/vscode/edits/workspaceFiles';
import { scratchFolder, waitFor, type ScratchFolder } from './helpers';

const folder = () => vscode.workspace.workspaceFolders![0];
const subscriptions: vscode.Disposable[] = [];
let counter = 0;


let sessions: EditSession[] = [];
function session(mode: ApplyMode = 'auto', runId = `run-${++counter}`): EditSession {
  const s = new EditSession({ runId, folder: folder(), mode, sandboxRoot: '/workspace', logger: nullLogger, backupDir: vscode.Uri.file(path.join(os.tmpdir(), 'runtools-edits-test-backups')) });
  sessions.push(s);
  return s;
}

/** A hunks-only diff for one file (the path comes from the event). */
function hunks(before: string, after: string): string {
  const patch = structuredPatch('f', 'f', before, after, '', '', { context: 3 });
  return patch.hunks.map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join('\n')).join('\n') + '\n';
}
function gitDiff(rel: string, before: string, after: string): string {
  return `diff --git a/${rel} b/${rel}\n` + createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, after).split('\n').slice(2).join('\n');
}
const edit = (rel: string, diff: string, action?: string, newPath?: string): FileEditEvent =>
  ({ type: 'file_edit', path: `/workspace/${rel}`, diff, action, newPath: newPath && `/workspace/${newPath}` });
const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join('\n') + '\n';

async function openClean(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}
/** Waits (up to 5 s) for something VS Code does after a command returns. */
async function until(done: () => boolean, what: () => string): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(done(), what());
}
async function typeInto(doc: vscode.TextDocument, line: number, text: string): Promise<void> {
  const e = new vscode.WorkspaceEdit();
  e.insert(doc.uri, new vscode.Position(line, 0), text);
  assert.ok(await vscode.workspace.applyEdit(e));
}

describe('edits: applying a run', function () {
  this.timeout(60_000);
  before(() => { registerEditContentProvider({ subscriptions }); });
  afterEach(async () => {
    for (const s of sessions) s.dispose();
    sessions = [];
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(() => { for (const d of subscriptions) d.dispose(); });

  it('edits: creates, modifies, deletes and renames files', async () => {
    const ws = scratchFolder('basic');
    ws.write('mod.txt', lines(10));
    ws.write('gone.txt', lines(3));
    ws.write('old.txt', lines(4, 'kept'));
    const s = session();
    const created = await s.handle(1, edit(ws.rel('new/created.txt'), '+hello\n+world\n', 'create'));
    const modified = await s.handle(2, edit(ws.rel('mod.txt'), hunks(lines(10), lines(10).replace('line 5', 'LINE FIVE'))));
    const deleted = await s.handle(3, edit(ws.rel('gone.txt'), '', 'delete'));
    const renamed = await s.handle(4, edit(ws.rel('old.txt'), '', 'rename', ws.rel('moved/new.txt')));
    assert.deepEqual([created, modified, deleted, renamed].map((v) => v.state), ['applied', 'applied', 'applied', 'applied']);
    assert.equal(ws.read('new/created.txt'), 'hello\nworld\n');
    assert.equal(ws.read('mod.txt'), lines(10).replace('line 5', 'LINE FIVE'));
    assert.equal(ws.exists('gone.txt'), false);
    assert.equal(ws.exists('old.txt'), false);
    assert.equal(ws.read('moved/new.txt'), lines(4, 'kept'));
    assert.deepEqual(modified.paths, [ws.rel('mod.txt')]);
    assert.deepEqual([modified.added, modified.removed], [1, 1]);
    assert.deepEqual(renamed.paths, [ws.rel('old.txt'), ws.rel('moved/new.txt')]);
  });

  it('edits: a multi-file event applies whole, or not at all when one file conflicts', async () => {
    const ws = scratchFolder('multi');
    ws.write('a.txt', lines(5, 'a'));
    ws.write('b.txt', lines(5, 'b'));
    const s = session();
    const both = gitDiff(ws.rel('a.txt'), lines(5, 'a'), lines(5, 'a').replace('a 2', 'A2')) + gitDiff(ws.rel('b.txt'), lines(5, 'b'), lines(5, 'b').replace('b 4', 'B4'));
    assert.equal((await s.handle(1, edit(ws.rel('a.txt'), both))).state, 'applied');
    assert.match(ws.read('a.txt'), /A2/);
    assert.match(ws.read('b.txt'), /B4/);

    const half = gitDiff(ws.rel('a.txt'), ws.read('a.txt'), ws.read('a.txt').replace('a 3', 'A3')) + gitDiff(ws.rel('b.txt'), lines(5, 'x'), lines(5, 'y'));
    const before = [ws.read('a.txt'), ws.read('b.txt')];
    const view = await s.handle(2, edit(ws.rel('a.txt'), half));
    assert.equal(view.state, 'conflict');
    assert.match(view.reason ?? '', /b\.txt/);
    assert.deepEqual([ws.read('a.txt'), ws.read('b.txt')], before);
  });

  it('edits: several events on one file apply in order, also when they arrive at once', async () => {
    const ws = scratchFolder('order');
    const v0 = lines(40);
    ws.write('f.txt', v0);
    const versions = [v0];
    for (let i = 1; i <= 6; i++) versions.push(versions[i - 1].replace(`line ${i * 5}\n`, `line ${i * 5} edited ${i}\n`));
    const s = session();
    const views = await Promise.all(versions.slice(1).map((v, i) => s.handle(i + 1, edit(ws.rel('f.txt'), hunks(versions[i], v)))));
    assert.deepEqual(views.map((v) => v.state), Array(6).fill('applied'));
    assert.equal(ws.read('f.txt'), versions[6]);
  });

  it('edits: an open buffer with unsaved changes gets the edit and stays unsaved', async () => {
    const ws = scratchFolder('dirty');
    ws.write('f.txt', lines(20));
    const doc = await openClean(ws.uri('f.txt'));
    await typeInto(doc, 0, 'user typed this\n');
    assert.equal(doc.isDirty, true);
    const s = session();
    const view = await s.handle(1, edit(ws.rel('f.txt'), hunks(lines(20), lines(20).replace('line 15', 'agent 15'))));
    assert.equal(view.state, 'applied');
    assert.equal(doc.isDirty, true);
    assert.equal(doc.getText(), 'user typed this\n' + lines(20).replace('line 15', 'agent 15'));
    assert.equal(ws.read('f.txt'), lines(20), 'nothing written to disk');
  });

  it('edits: a clean open file is saved after the edit; the editor undo reverts it', async () => {
    const ws = scratchFolder('clean');
    ws.write('f.txt', lines(8));
    const doc = await openClean(ws.uri('f.txt'));
    const s = session();
    await s.handle(1, edit(ws.rel('f.txt'), hunks(lines(8), lines(8).replace('line 2', 'two'))));
    assert.equal(doc.isDirty, false);
    assert.equal(ws.read('f.txt'), lines(8).replace('line 2', 'two'));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), lines(8));
  });

  it('edits: the editor\'s undo gives a modified closed file its old text back and never deletes it', async () => {
    const ws = scratchFolder('undo-closed');
    ws.write('f.txt', lines(12));
    ws.write('g.txt', lines(12, 'g'));
    const s = session();
    assert.equal((await s.handle(1, edit(ws.rel('f.txt'), hunks(lines(12), lines(12).replace('line 4\n', 'agent 4\n'))))).state, 'applied');
    // One event, one WorkspaceEdit: a closed file modified and a file created (the case where an
    // overwriting createFile used to be undone by deleting the modified file).
    const both = gitDiff(ws.rel('g.txt'), lines(12, 'g'), lines(12, 'g').replace('g 9\n', 'agent 9\n'))
      + `diff --git a/${ws.rel('h.txt')} b/${ws.rel('h.txt')}\nnew file mode 100644\n--- /dev/null\n+++ b/${ws.rel('h.txt')}\n@@ -0,0 +1 @@\n+new\n`;
    assert.equal((await s.handle(2, edit(ws.rel('g.txt'), both))).state, 'applied');
    assert.equal(ws.read('f.txt'), lines(12).replace('line 4\n', 'agent 4\n'));
    assert.equal(ws.read('g.txt'), lines(12, 'g').replace('g 9\n', 'agent 9\n'));
    assert.equal(ws.read('h.txt'), 'new\n');

    // Ctrl+Z: VS Code's 'undo' command goes to the active editor's model, whose undo stack holds
    // the run's WorkspaceEdit (workspace-level element, undone as a whole with its group).
    const f = await openClean(ws.uri('f.txt'));
    await vscode.commands.executeCommand('undo');
    await until(() => f.getText() === lines(12), () => f.getText());
    assert.ok(ws.exists('f.txt'), 'f.txt still exists');
    assert.ok(await f.save());
    assert.equal(ws.read('f.txt'), lines(12));

    const g = await openClean(ws.uri('g.txt'));
    await vscode.commands.executeCommand('undo');
    await until(() => g.getText() === lines(12, 'g'), () => g.getText());
    assert.ok(ws.exists('g.txt'), 'g.txt still exists');
    await until(() => !ws.exists('h.txt'), () => 'h.txt still exists');
    assert.ok(await g.save());
    assert.equal(ws.read('g.txt'), lines(12, 'g'));
  });

  it('edits: a file a document cannot hold byte for byte (mixed line endings) is written exactly', async () => {
    const ws = scratchFolder('mixed');
    const mixed = 'a\r\nb\nc\r\nd\n';
    ws.write('m.txt', mixed);
    const s = session();
    assert.equal((await s.handle(1, edit(ws.rel('m.txt'), '@@ -2 +2 @@\n-b\n+B\n'))).state, 'applied');
    assert.equal(ws.read('m.txt'), 'a\r\nB\nc\r\nd\n');
    await s.undo({ overwriteChanged: 'skip' });
    assert.equal(ws.read('m.txt'), mixed);
  });

  it('edits: CRLF files stay CRLF, open or not; a BOM survives', async () => {
    const ws = scratchFolder('eol');
    const crlf = lines(6).replace(/\n/g, '\r\n');
    ws.write('closed.txt', crlf);
    ws.write('open.txt', crlf);
    ws.write('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines(5))]));
    const doc = await openClean(ws.uri('open.txt'));
    const s = session();
    const lf = hunks(lines(6), lines(6).replace('line 3\n', 'line 3\nadded\n'));
    assert.equal((await s.handle(1, edit(ws.rel('closed.txt'), lf))).state, 'applied');
    assert.equal((await s.handle(2, edit(ws.rel('open.txt'), lf))).state, 'applied');
    assert.equal((await s.handle(3, edit(ws.rel('bom.txt'), hunks(lines(5), lines(5).replace('line 1', 'first'))))).state, 'applied');
    const expected = lines(6).replace('line 3\n', 'line 3\nadded\n').replace(/\n/g, '\r\n');
    assert.equal(ws.read('closed.txt'), expected);
    assert.equal(doc.eol, vscode.EndOfLine.CRLF);
    assert.equal(ws.read('open.txt'), expected);
    assert.deepEqual([...ws.bytes('bom.txt').subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(ws.bytes('bom.txt').subarray(3).toString(), lines(5).replace('line 1', 'first'));
  });

  it('edits: a change of the user\'s next to the agent\'s merges; one on the lines it touches is a conflict that leaves the file untouched, says why, and shows the agent\'s version', async () => {
    const ws = scratchFolder('conflict');
    ws.write('e.txt', lines(10).replace('line 7\n', 'mine 7\n'));
    const s = session();
    const merged = await s.handle(6, edit(ws.rel('e.txt'), hunks(lines(10), lines(10).replace('line 4', 'agent 4'))));
    assert.equal(merged.state, 'applied');
    assert.match(merged.note ?? '', /merged with your changes/);
    assert.equal(ws.read('e.txt'), lines(10).replace('line 7\n', 'mine 7\n').replace('line 4\n', 'agent 4\n'));

    // Line 5 touches the agent's line 4: diff3 calls that a conflict, and so does the engine.
    const mine = lines(10).replace('line 5\n', 'mine 5\n');
    ws.write('f.txt', mine);
    const view = await s.handle(7, edit(ws.rel('f.txt'), hunks(lines(10), lines(10).replace('line 4', 'agent 4'))));
    assert.equal(view.state, 'conflict');
    assert.match(view.reason ?? '', /you changed lines that hunk 1 of the agent's diff changes too/);
    assert.equal(view.resolvable, true);
    assert.equal(ws.read('f.txt'), mine);
    const next = await s.handle(8, edit(ws.rel('g.txt'), '+fine\n', 'create'));
    assert.equal(next.state, 'applied', 'the run goes on after a conflict');
    await s.openDiff(7, ws.rel('f.txt'));
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `${tab?.label} ${JSON.stringify(tab?.input)}`);
    assert.equal(tab.input.original.fsPath, ws.uri('f.txt').fsPath);
    assert.equal(tab.input.modified.scheme, 'runtools-edit');
    const intended = await vscode.workspace.openTextDocument(tab.input.modified);
    assert.match(intended.getText(), /agent 4/);
    await s.openDiff(9, ws.rel('f.txt')).then(() => assert.fail('no such edit'), () => undefined);
  });

  it('edits: refuses paths out of the folder, symlinks leading out, binary and non-UTF-8 files', async () => {
    const ws = scratchFolder('refuse');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'runtools-outside-'));
    fs.symlinkSync(outside, ws.abs('link'));
    ws.write('bin.dat', Buffer.from([0x41, 0x00, 0x42, 0x0a]));
    ws.write('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const s = session();
    const escape = await s.handle(1, edit('../outside.txt', '+x\n', 'create'));
    const viaLink = await s.handle(2, edit(ws.rel('link/evil.txt'), '+x\n', 'create'));
    const binary = await s.handle(3, edit(ws.rel('bin.dat'), '@@ -1 +1 @@\n-A\n+B\n'));
    const latin1 = await s.handle(4, edit(ws.rel('latin1.txt'), '@@ -1 +1 @@\n-x\n+y\n'));
    assert.deepEqual([escape, viaLink, binary, latin1].map((v) => v.state), ['refused', 'refused', 'refused', 'refused']);
    assert.match(viaLink.reason ?? '', /symlink/);
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.equal(fs.existsSync(path.join(folder().uri.fsPath, '..', 'outside.txt')), false);
    assert.deepEqual([...ws.bytes('bin.dat')], [0x41, 0x00, 0x42, 0x0a]);
    assert.deepEqual([...ws.bytes('latin1.txt')], [0x63, 0x61, 0x66, 0xe9, 0x0a]);
    const summary = s.summary();
    assert.equal(summary.refused.length, 4);
    assert.deepEqual(summary.applied, []);
  });

  it('edits: a create under a path that is a file, and an edit of a folder, say exactly that and change nothing', async () => {
    const ws = scratchFolder('shape');
    ws.write('a.txt', lines(3));
    ws.write('blocker', 'a file where the edit wants a folder\n');
    fs.mkdirSync(ws.abs('folder'));
    const s = session();
    const target = ws.rel('blocker/new.txt');
    const diff = gitDiff(ws.rel('a.txt'), lines(3), 'changed\n')
      + `diff --git a/${target} b/${target}\nnew file mode 100644\n--- /dev/null\n+++ b/${target}\n@@ -0,0 +1 @@\n+new\n`;
    const view = await s.handle(1, edit(ws.rel('a.txt'), diff));
    assert.deepEqual(view.paths, [ws.rel('a.txt'), target]);
    assert.equal(view.state, 'refused', JSON.stringify(view));
    assert.match(view.reason ?? '', new RegExp(`${ws.rel('blocker')} is a file, so ${target} cannot be under it`));
    assert.equal(ws.read('a.txt'), lines(3));
    assert.equal(ws.read('blocker'), 'a file where the edit wants a folder\n');
    const folderEdit = await s.handle(2, edit(ws.rel('folder'), hunks('x\n', 'y\n')));
    assert.equal(folderEdit.state, 'refused');
    assert.match(folderEdit.reason ?? '', /folder is a folder, not a file/);
    assert.deepEqual(s.summary().refused.map((r) => r.path).sort(), [target, ws.rel('folder')].sort());
    // The run goes on, and the same file can still be edited.
    assert.equal((await s.handle(3, edit(ws.rel('a.txt'), hunks(lines(3), 'x\n')))).state, 'applied');
  });

  it('edits: a write that fails half-way is put back (only what it wrote), fails the event with the reason, and the run goes on', async function () {
    // chattr +i makes a folder immutable even for root, so creating a file in it fails inside VS Code's applyEdit.
    if (spawnSync('chattr', ['--help']).error) this.skip(); // no chattr on this machine: the write cannot be made to fail
    const ws = scratchFolder('half-way');
    ws.write('mixed.txt', 'a\r\nb\nc\n'); // mixed line endings: written straight to disk, before the WorkspaceEdit
    fs.mkdirSync(ws.abs('locked'));
    const s = session();
    const target = ws.rel('locked/new.txt');
    const diff = gitDiff(ws.rel('mixed.txt'), 'a\r\nb\nc\n', 'a\r\nB\nc\n')
      + `diff --git a/${target} b/${target}\nnew file mode 100644\n--- /dev/null\n+++ b/${target}\n@@ -0,0 +1 @@\n+new\n`;
    execFileSync('chattr', ['+i', ws.abs('locked')]);
    try {
      const view = await s.handle(1, edit(ws.rel('mixed.txt'), diff));
      assert.equal(view.state, 'failed', JSON.stringify(view));
      assert.ok(view.reason && view.reason.length > 10, 'says why');
      assert.equal(ws.read('mixed.txt'), 'a\r\nb\nc\n', 'the direct write was put back');
      assert.equal(ws.exists('locked/new.txt'), false);
      assert.deepEqual(s.summary().failed.map((f) => f.path), [ws.rel('mixed.txt'), target]);
    } finally {
      execFileSync('chattr', ['-i', ws.abs('locked')]);
    }
    assert.equal((await s.handle(2, edit(ws.rel('mixed.txt'), hunks('a\r\nb\nc\n', 'x\n')))).state, 'applied');
  });

  it('edits: putting files back after a failed write never touches a file changed meanwhile', async () => {
    const ws = scratchFolder('rollback-user');
    ws.write('mine.txt', 'the user typed this meanwhile\n');
    ws.write('ours.txt', 'what the write left\n');
    const files = new WorkspaceFiles(folder());
    const changes = [
      { relPath: ws.rel('mine.txt'), kind: 'modify' as const, before: 'before\n', after: 'what the write left\n' },
      { relPath: ws.rel('ours.txt'), kind: 'modify' as const, before: 'before\n', after: 'what the write left\n' },
      { relPath: ws.rel('created.txt'), kind: 'create' as const, before: null, after: 'created by the write\n' },
    ];
    ws.write('created.txt', 'the user made this file meanwhile\n');
    await rollBack(files, changes, nullLogger, new Set(), new Set(), (c) => c.after);
    assert.equal(ws.read('mine.txt'), 'the user typed this meanwhile\n');
    assert.equal(ws.read('ours.txt'), 'before\n');
    assert.equal(ws.read('created.txt'), 'the user made this file meanwhile\n', 'a file the user created is never deleted');
  });
});

describe('edits: review and off modes', function () {
  this.timeout(60_000);
  before(() => { registerEditContentProvider({ subscriptions }); });
  afterEach(async () => {
    for (const s of sessions) s.dispose();
    sessions = [];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('edits: review changes nothing until accepted; later edits build on pending ones', async () => {
    const ws = scratchFolder('review');
    const v0 = lines(30);
    const v1 = v0.replace('line 3\n', 'three\n');
    const v2 = v1.replace('line 20\n', 'twenty\n');
    ws.write('f.txt', v0);
    const s = session('review');
    const changes: string[] = [];
    s.onDidChangeEdit((v) => changes.push(`${v.seq}:${v.state}`));
    assert.equal((await s.handle(1, edit(ws.rel('f.txt'), hunks(v0, v1)))).state, 'pending');
    assert.equal((await s.handle(2, edit(ws.rel('f.txt'), hunks(v1, v2)))).state, 'pending');
    assert.equal((await s.handle(3, edit(ws.rel('new.txt'), '+n\n', 'create'))).state, 'pending');
    assert.equal(ws.read('f.txt'), v0);
    assert.equal(ws.exists('new.txt'), false);

    // Accepting #2 writes #1 too: #2 was planned on top of it.
    assert.equal((await s.accept(2)).state, 'accepted');
    assert.equal(ws.read('f.txt'), v2);
    assert.deepEqual(s.edits().map((v) => v.state), ['accepted', 'accepted', 'pending']);
    assert.equal((await s.reject(3)).state, 'rejected');
    assert.equal(ws.exists('new.txt'), false);
    assert.ok(changes.includes('1:accepted') && changes.includes('3:rejected'));
  });

  it('edits: rejecting a pending edit plans the later ones again without it', async () => {
    const ws = scratchFolder('replan');
    const v0 = lines(30);
    const v1 = v0.replace('line 3\n', 'three\n');
    const v2 = v1.replace('line 25\n', 'twenty-five\n'); // independent of #1
    const v3 = v2.replace('three\n', 'THREE\n'); // needs #1
    ws.write('f.txt', v0);
    const s = session('review');
    await s.handle(1, edit(ws.rel('f.txt'), hunks(v0, v1)));
    await s.handle(2, edit(ws.rel('f.txt'), hunks(v1, v2)));
    await s.handle(3, edit(ws.rel('f.txt'), hunks(v2, v3)));
    await s.reject(1);
    const states = s.edits().map((v) => v.state);
    assert.deepEqual(states, ['rejected', 'pending', 'conflict']);
    assert.match(s.edits()[2].reason ?? '', /rejected/);
    await s.acceptAll();
    assert.equal(ws.read('f.txt'), v0.replace('line 25\n', 'twenty-five\n'));
  });

  it('edits: accepting after the user changed the file plans the edit again on the current text', async () => {
    const ws = scratchFolder('stale');
    const v0 = lines(30);
    ws.write('f.txt', v0);
    const s = session('review');
    await s.handle(1, edit(ws.rel('f.txt'), hunks(v0, v0.replace('line 25\n', 'agent\n'))));
    ws.write('f.txt', v0.replace('line 2\n', 'user\n'));
    assert.equal((await s.accept(1)).state, 'accepted');
    assert.equal(ws.read('f.txt'), v0.replace('line 2\n', 'user\n').replace('line 25\n', 'agent\n'));
  });

  it('edits: accept all and reject all; the review list offers them', async () => {
    const ws = scratchFolder('all');
    const s = session('review');
    for (let i = 1; i <= 3; i++) await s.handle(i, edit(ws.rel(`f${i}.txt`), `+file ${i}\n`, 'create'));
    const items = reviewItems(s);
    assert.deepEqual(items.slice(0, 2).map((i) => i.action), ['acceptAll', 'rejectAll']);
    assert.equal(items.filter((i) => i.action === 'diff' && i.seq !== undefined).length, 3);
    const shown = reviewEdits(s);
    await new Promise((r) => setTimeout(r, 300));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await shown;
    await runReviewAction(s, items[0]);
    assert.deepEqual(s.edits().map((v) => v.state), ['accepted', 'accepted', 'accepted']);
    assert.equal(ws.read('f2.txt'), 'file 2\n');

    const s2 = session('review');
    await s2.handle(1, edit(ws.rel('g.txt'), '+g\n', 'create'));
    await s2.rejectAll();
    assert.equal(s2.edits()[0].state, 'rejected');
    assert.equal(ws.exists('g.txt'), false);
  });

  it('edits: an open diff tab follows its edit: its title says pending, then accepted, then reverted', async () => {
    const ws = scratchFolder('diff-title');
    ws.write('f.txt', lines(5));
    const s = session('review');
    await s.handle(1, edit(ws.rel('f.txt'), hunks(lines(5), lines(5).replace('line 3', 'three'))));
    await s.openDiff(1, ws.rel('f.txt'));
    const label = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('edit #1'))?.label ?? '';
    assert.match(label(), /pending review/);
    await s.accept(1);
    await waitFor(() => /accepted/.test(label()), `the diff title to say accepted (it says "${label()}")`);
    await s.reject(1);
    await waitFor(() => /reverted/.test(label()), `the diff title to say reverted (it says "${label()}")`);
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.includes('edit #1')).length, 1, 'one tab, reopened in place');
  });

  it('edits: off mode only shows', async () => {
    const ws = scratchFolder('off');
    ws.write('f.txt', lines(5));
    const s = session('off');
    const view = await s.handle(1, edit(ws.rel('f.txt'), hunks(lines(5), 'x\n')));
    assert.equal(view.state, 'shown');
    assert.equal((await s.accept(1)).state, 'shown');
    assert.equal(ws.read('f.txt'), lines(5));
    await s.openDiff(1, ws.rel('f.txt'));
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
    assert.equal(tab.input.modified.scheme, 'runtools-edit');
  });
});

describe('edits: undo run, summary and history', function () {
  this.timeout(60_000);
  before(() => { registerEditContentProvider({ subscriptions }); });
  afterEach(async () => {
    for (const s of sessions) s.dispose();
    sessions = [];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function sampleRun(ws: ScratchFolder, s: EditSession) {
    ws.write('mod.txt', lines(10));
    ws.write('crlf.txt', lines(4).replace(/\n/g, '\r\n'));
    ws.write('gone.txt', lines(3, 'gone'));
    ws.write('old.txt', lines(3, 'old'));
    await s.handle(1, edit(ws.rel('mod.txt'), hunks(lines(10), lines(10).replace('line 1\n', 'one\n'))));
    await s.handle(2, edit(ws.rel('mod.txt'), hunks(lines(10).replace('line 1\n', 'one\n'), lines(10).replace('line 1\n', 'one\n').replace('line 9\n', 'nine\n'))));
    await s.handle(3, edit(ws.rel('dir/new.txt'), '+new\n', 'create'));
    await s.handle(4, edit(ws.rel('gone.txt'), '', 'delete'));
    await s.handle(5, edit(ws.rel('old.txt'), hunks(lines(3, 'old'), 'renamed and changed\n'), 'rename', ws.rel('renamed.txt')));
    await s.handle(6, edit(ws.rel('crlf.txt'), hunks(lines(4), 'crlf changed\n')));
    await s.handle(7, edit(ws.rel('nope.txt'), hunks('a\n', 'b\n')));
    await s.handle(8, edit('../escape.txt', '+x\n', 'create'));
  }
  function assertOriginal(ws: ScratchFolder) {
    assert.equal(ws.read('mod.txt'), lines(10));
    assert.equal(ws.read('crlf.txt'), lines(4).replace(/\n/g, '\r\n'));
    assert.equal(ws.read('gone.txt'), lines(3, 'gone'));
    assert.equal(ws.read('old.txt'), lines(3, 'old'));
    assert.equal(ws.exists('dir/new.txt'), false);
    assert.equal(ws.exists('renamed.txt'), false);
  }

  it('edits: summary lists applied files, conflicts and refusals', async () => {
    const ws = scratchFolder('summary');
    const s = session();
    await sampleRun(ws, s);
    const summary = s.summary();
    assert.deepEqual(summary.applied.sort(), ['crlf.txt', 'dir/new.txt', 'gone.txt', 'mod.txt', 'old.txt', 'renamed.txt'].map(ws.rel).sort());
    assert.deepEqual(summary.conflicts.map((c) => c.path), [ws.rel('nope.txt')]);
    assert.equal(summary.refused.length, 1);
    assert.match(summary.refused[0].reason, /\.\./);
  });

  it('edits: undo run restores exactly what the run changed', async () => {
    const ws = scratchFolder('undo');
    const s = session();
    await sampleRun(ws, s);
    assert.equal(ws.read('renamed.txt'), 'renamed and changed\n');
    assert.equal(ws.read('crlf.txt'), 'crlf changed\r\n');
    const result = await undoRun(s, { overwriteChanged: 'skip' });
    assertOriginal(ws);
    assert.equal(result.restored.length, 6);
    assert.deepEqual(result.skipped, []);
    assert.ok(s.edits().filter((v) => v.seq <= 6).every((v) => v.state === 'reverted'));
    assert.deepEqual((await s.undo({ overwriteChanged: 'skip' })).restored, [], 'a second undo has nothing to do');
  });

  it('edits: undo skips a file the user changed since, or overwrites it keeping the user\'s version', async () => {
    const ws = scratchFolder('undo-user');
    ws.write('a.txt', lines(5));
    ws.write('b.txt', lines(5));
    const s = session();
    await s.handle(1, edit(ws.rel('a.txt'), hunks(lines(5), 'agent a\n')));
    await s.handle(2, edit(ws.rel('b.txt'), hunks(lines(5), 'agent b\n')));
    ws.write('a.txt', 'user a\n');
    const skipped = await s.undo({ overwriteChanged: 'skip' });
    assert.deepEqual(skipped.skipped.map((x) => x.path), [ws.rel('a.txt')]);
    assert.equal(ws.read('a.txt'), 'user a\n');
    assert.equal(ws.read('b.txt'), lines(5));
    assert.equal(s.edits()[0].state, 'applied');
    assert.equal(s.edits()[1].state, 'reverted');

    const overwritten = await s.undo({ overwriteChanged: 'overwrite' });
    assert.equal(ws.read('a.txt'), lines(5));
    assert.equal(overwritten.overwritten.length, 1);
    assert.equal(fs.readFileSync(overwritten.overwritten[0].backup, 'utf8'), 'user a\n');
  });

  it('edits: undo restores an open buffer and keeps it unsaved if it was', async () => {
    const ws = scratchFolder('undo-open');
    ws.write('f.txt', lines(6));
    const doc = await openClean(ws.uri('f.txt'));
    await typeInto(doc, 0, 'typed\n');
    const s = session();
    await s.handle(1, edit(ws.rel('f.txt'), hunks(lines(6), lines(6).replace('line 6', 'six'))));
    assert.equal(doc.getText(), 'typed\n' + lines(6).replace('line 6', 'six'));
    const result = await s.undo({ overwriteChanged: 'skip' });
    assert.deepEqual(result.restored, [ws.rel('f.txt')]);
    assert.equal(doc.getText(), 'typed\n' + lines(6));
    assert.equal(doc.isDirty, true);
    assert.equal(ws.read('f.txt'), lines(6));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('edits: toJSON and restore keep the history; undo still works while files are unchanged', async () => {
    const ws = scratchFolder('history');
    const s = session('auto', 'history-run');
    await sampleRun(ws, s);
    const json = JSON.parse(JSON.stringify(s.toJSON()));
    const views = s.edits();
    s.dispose();
    const restored = EditSession.restore(json, { folder: folder(), logger: nullLogger });
    sessions.push(restored);
    assert.deepEqual(restored.edits(), views);
    assert.deepEqual(restored.summary().applied.sort(), s.summary().applied.sort());
    await restored.openDiff(1, ws.rel('mod.txt'));
    assert.ok(vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff);
    ws.write('crlf.txt', 'user changed it\n');
    const result = await restored.undo({ overwriteChanged: 'skip' });
    assert.deepEqual(result.skipped.map((x) => x.path), [ws.rel('crlf.txt')]);
    assert.equal(ws.read('mod.txt'), lines(10));
    assert.equal(ws.read('old.txt'), lines(3, 'old'));
    assert.equal(ws.exists('renamed.txt'), false);
    assert.equal(ws.read('crlf.txt'), 'user changed it\n');
  });

  it('edits: pending review edits survive toJSON/restore and can be accepted', async () => {
    const ws = scratchFolder('history-review');
    ws.write('f.txt', lines(5));
    const s = session('review', 'history-review-run');
    await s.handle(1, edit(ws.rel('f.txt'), hunks(lines(5), 'accepted later\n')));
    const json = JSON.parse(JSON.stringify(s.toJSON()));
    s.dispose();
    const restored = EditSession.restore(json, { folder: folder(), logger: nullLogger });
    sessions.push(restored);
    assert.equal((await restored.accept(1)).state, 'accepted');
    assert.equal(ws.read('f.txt'), 'accepted later\n');
  });

  it('edits: a 300-file run is applied in batches, every file', async () => {
    const ws = scratchFolder('pace');
    const n = 300;
    for (let i = 0; i < n; i++) ws.write(`p/f${i}.txt`, lines(50, `f${i}`));
    const s = session();
    const started = Date.now();
    const views = await Promise.all(Array.from({ length: n }, (_, i) =>
      s.handle(i + 1, edit(ws.rel(`p/f${i}.txt`), hunks(lines(50, `f${i}`), lines(50, `f${i}`).replace(`f${i} 25\n`, 'changed\n'))))));
    const seconds = (Date.now() - started) / 1000;
    assert.ok(views.every((v) => v.state === 'applied'));
    for (let i = 0; i < n; i += 37) assert.match(ws.read(`p/f${i}.txt`), /changed/);
    // Reported for the record; the benchmark measures this properly.
    // Reported for the record only: speed is measured by the benchmark, never asserted in a test.
    process.env.RUNTOOLS_TEST_REPORT && fs.appendFileSync(process.env.RUNTOOLS_TEST_REPORT, `      ${n} files in ${seconds.toFixed(2)} s = ${(n / seconds).toFixed(0)} files/s\n`);
  });
});
