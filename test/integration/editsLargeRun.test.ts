/**
 * Large runs in the real extension host: a write batch with more closed files to modify than
 * LARGE_RUN_CLOSED_FILES writes them straight to disk (no documents opened), keeps open buffers on
 * text edits, and Undo Run gives every byte back. A batch at the threshold keeps the editor's undo.
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import * as vscode from 'vscode';
import { nullLogger } from '../../src/core/logger';
import type { FileEditEvent } from '../../src/core/run/events';
import { EditSession } from '../../src/vscode/edits';
import { LARGE_RUN_CLOSED_FILES } from '../../src/vscode/edits/closedDocuments';
import { scratchFolder } from './helpers';

const folder = () => vscode.workspace.workspaceFolders![0];
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
let counter = 0;


/** One file's section of a git diff, in LF as an agent's sandbox would send it. */
function gitDiff(rel: string, before: string, after: string): string {
  return `diff --git a/${rel} b/${rel}\n` + createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, after).split('\n').slice(2).join('\n');
}
const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join('\n') + '\n';
const crlf = (text: string) => text.replace(/\n/g, '\r\n');
const edit = (rel: string, diff: string): FileEditEvent => ({ type: 'file_edit', path: `/workspace/${rel}`, diff });

/** Closed files of four kinds: LF, CRLF, with a BOM, without a final newline. */
type Kind = 'lf' | 'crlf' | 'bom' | 'nofinal';
const kinds: Kind[] = ['lf', 'crlf', 'bom', 'nofinal'];
function fileFor(kind: Kind, i: number) {
  const text = lines(12, `f${i}`);
  const changed = text.replace(`f${i} 6\n`, `agent ${i}\n`);
  const lf = kind === 'nofinal' ? { before: text.slice(0, -1), after: changed.slice(0, -1) } : { before: text, after: changed };
  const bytes = (t: string) => (kind === 'crlf' ? Buffer.from(crlf(t)) : kind === 'bom' ? Buffer.concat([BOM, Buffer.from(t)]) : Buffer.from(t));
  return { name: `many/${kind}-${i}.txt`, ...lf, original: bytes(lf.before), expected: bytes(lf.after) };
}

function capturingLogger() {
  const info: string[] = [];
  return { info, logger: { ...nullLogger, info: (message: string) => { info.push(message); } } };
}

const openPaths = () => new Set(vscode.workspace.textDocuments.filter((d) => !d.isClosed).map((d) => d.uri.fsPath));

describe('edits: large runs', function () {
  this.timeout(120_000);
  const sessions: EditSession[] = [];
  afterEach(async () => {
    for (const s of sessions.splice(0)) s.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  const session = (logger = nullLogger) => {
    const s = new EditSession({ runId: `large-${++counter}`, folder: folder(), mode: 'auto', sandboxRoot: '/workspace', logger, backupDir: vscode.Uri.file(path.join(os.tmpdir(), 'runtools-edits-test-backups')) });
    sessions.push(s);
    return s;
  };

  it('edits: a batch over the threshold writes closed files directly (CRLF, BOM, no final newline kept), keeps a dirty buffer unsaved, and Undo Run restores every byte', async () => {
    const ws = scratchFolder('large');
    const count = LARGE_RUN_CLOSED_FILES + 20;
    const files = Array.from({ length: count }, (_, i) => fileFor(kinds[i % kinds.length], i));
    for (const f of files) ws.write(f.name, f.original);
    ws.write('dirty.txt', lines(10, 'd'));
    ws.write('gone.txt', lines(3, 'gone'));
    const dirty = await vscode.workspace.openTextDocument(ws.uri('dirty.txt'));
    await vscode.window.showTextDocument(dirty);
    const typed = new vscode.WorkspaceEdit();
    typed.insert(dirty.uri, new vscode.Position(0, 0), 'user typed this\n');
    assert.ok(await vscode.workspace.applyEdit(typed));
    assert.equal(dirty.isDirty, true);

    // One event, so one batch: the closed files, the dirty buffer, a created and a deleted file.
    const diff = files.map((f) => gitDiff(ws.rel(f.name), f.before, f.after)).join('')
      + gitDiff(ws.rel('dirty.txt'), lines(10, 'd'), lines(10, 'd').replace('d 8\n', 'agent d8\n'))
      + `diff --git a/${ws.rel('new.txt')} b/${ws.rel('new.txt')}\nnew file mode 100644\n--- /dev/null\n+++ b/${ws.rel('new.txt')}\n@@ -0,0 +1 @@\n+created\n`
      + `diff --git a/${ws.rel('gone.txt')} b/${ws.rel('gone.txt')}\ndeleted file mode 100644\n--- a/${ws.rel('gone.txt')}\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-gone 1\n-gone 2\n-gone 3\n`;
    const { info, logger } = capturingLogger();
    const s = session(logger);
    const view = await s.handle(1, edit(ws.rel(files[0].name), diff));
    assert.equal(view.state, 'applied', view.reason);

    for (const f of files) assert.deepEqual(ws.bytes(f.name), f.expected, f.name);
    assert.equal(ws.read('new.txt'), 'created\n');
    assert.equal(ws.exists('gone.txt'), false);
    assert.equal(dirty.isDirty, true, `the dirty buffer stays unsaved (closed: ${dirty.isClosed}, version ${dirty.version}; on disk: the user's line ${ws.read('dirty.txt').includes('user typed this')}, the agent's line ${ws.read('dirty.txt').includes('agent d8')})`);
    assert.equal(dirty.getText(), 'user typed this\n' + lines(10, 'd').replace('d 8\n', 'agent d8\n'));
    assert.equal(ws.read('dirty.txt'), lines(10, 'd'), 'nothing of the dirty buffer written to disk');
    const open = openPaths();
    assert.deepEqual(files.map((f) => ws.abs(f.name)).filter((p) => open.has(p)), [], 'no closed file was opened as a document');
    assert.equal(info.filter((m) => /directly to disk/.test(m) && /Undo Run reverts them/.test(m)).length, 1, info.join('\n'));
    assert.match(info.find((m) => /directly to disk/.test(m))!, new RegExp(`wrote ${count} closed file`));

    // The run stays large: a later single-file edit of a closed file is written directly too.
    const later = files[1];
    const laterAfter = later.after.replace(`f1 2\n`, 'later\n');
    assert.equal((await s.handle(2, edit(ws.rel(later.name), gitDiff(ws.rel(later.name), later.after, laterAfter)))).state, 'applied');
    assert.equal(ws.read(later.name), crlf(laterAfter));
    assert.ok(!openPaths().has(ws.abs(later.name)));
    assert.equal(info.filter((m) => /directly to disk/.test(m)).length, 1, 'logged once per run');

    const result = await s.undo({ overwriteChanged: 'skip' });
    assert.deepEqual(result.failed, []);
    assert.deepEqual(result.skipped, []);
    for (const f of files) assert.deepEqual(ws.bytes(f.name), f.original, `${f.name} after Undo Run`);
    assert.equal(ws.exists('new.txt'), false);
    assert.equal(ws.read('gone.txt'), lines(3, 'gone'));
    assert.equal(dirty.getText(), 'user typed this\n' + lines(10, 'd'));
    assert.equal(dirty.isDirty, true);
    assert.equal(ws.read('dirty.txt'), lines(10, 'd'));
    await vscode.window.showTextDocument(dirty);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('edits: a batch at the threshold keeps text edits: the editor\'s undo gives a closed file its old text back', async () => {
    const ws = scratchFolder('threshold');
    const files = Array.from({ length: LARGE_RUN_CLOSED_FILES }, (_, i) => fileFor('lf', i));
    for (const f of files) ws.write(f.name, f.original);
    const { info, logger } = capturingLogger();
    const s = session(logger);
    const diff = files.map((f) => gitDiff(ws.rel(f.name), f.before, f.after)).join('');
    assert.equal((await s.handle(1, edit(ws.rel(files[0].name), diff))).state, 'applied');
    for (const f of files) assert.deepEqual(ws.bytes(f.name), f.expected, f.name);
    assert.deepEqual(info.filter((m) => /directly to disk/.test(m)), []);

    const target = files[LARGE_RUN_CLOSED_FILES - 1];
    const doc = await vscode.workspace.openTextDocument(ws.uri(target.name));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    for (let i = 0; i < 100 && doc.getText() !== target.before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(doc.getText(), target.before, 'the editor\'s undo restored it');
    assert.ok(await doc.save());
    assert.equal(ws.read(target.name), target.before);
  });
});
