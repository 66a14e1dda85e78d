/**
 * Small runs in the real extension host: they stay on the editor's undo stack. One write mixing
 * new files, closed files (LF, CRLF, BOM, no final newline), a clean open file and buffers with
 * the user's unsaved typing lands byte for byte, leaves those buffers unsaved, and Ctrl+Z in the
 * editors takes every file back. (The pace is measured by bench/smallRunInHost.bench.ts.)
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import * as vscode from 'vscode';
import { nullLogger } from '../../src/core/logger';
import type { FileEditEvent } from '../../src/core/run/events';
import { EditSession } from '../../src/vscode/edits';
import { scratchFolder, type ScratchFolder } from './helpers';

const folder = () => vscode.workspace.workspaceFolders![0];
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const TYPED = 'the user typed this\n';
let counter = 0;

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join('\n') + '\n';
const crlf = (text: string) => text.replace(/\n/g, '\r\n');
const edit = (rel: string, diff: string, action?: string, newPath?: string): FileEditEvent =>
  ({ type: 'file_edit', path: `/workspace/${rel}`, diff, action, newPath: newPath && `/workspace/${newPath}` });
function gitDiff(rel: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, after);
  return `diff --git a/${rel} b/${rel}\n` + patch.slice(patch.indexOf('--- '));
}
const createDiff = (rel: string, text: string) =>
  `diff --git a/${rel} b/${rel}\nnew file mode 100644\n--- /dev/null\n+++ b/${rel}\n@@ -0,0 +1,${text.split('\n').length - 1} @@\n${text.split('\n').slice(0, -1).map((l) => `+${l}`).join('\n')}\n`;

/** A file of the run: its bytes before and after, as text (LF, no BOM) and on disk. */
interface RunFile { name: string; before?: string; after: string; original?: Buffer; expected: Buffer; open?: 'clean' | 'dirty' }

function modified(name: string, kind: 'lf' | 'crlf' | 'bom' | 'nofinal', open?: 'clean' | 'dirty'): RunFile {
  let before = lines(14, name);
  let after = before.replace(`${name} 7\n`, `agent ${name}\n`) + 'added by the agent\n';
  if (kind === 'nofinal') { before = before.slice(0, -1); after = after.slice(0, -1); }
  const bytes = (t: string) => (kind === 'crlf' ? Buffer.from(crlf(t)) : kind === 'bom' ? Buffer.concat([BOM, Buffer.from(t)]) : Buffer.from(t));
  return { name, before, after, original: bytes(before), expected: bytes(open === 'dirty' ? before : after), open };
}
const created = (name: string): RunFile => ({ name, after: lines(5, name), expected: Buffer.from(lines(5, name)) });

/** A document's text as the editor holds it: the document's line breaks, no BOM. */
const inDoc = (doc: vscode.TextDocument, text: string) => (doc.eol === vscode.EndOfLine.CRLF ? crlf(text) : text);

async function until(done: () => boolean | Promise<boolean>, what: () => string): Promise<void> {
  for (let i = 0; i < 100 && !(await done()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(await done(), what());
}

/** Whether a file of the run is back as it was: gone if the run created it, else its old text (and the user's typing). */
async function restored(ws: ScratchFolder, file: RunFile): Promise<boolean> {
  if (file.before === undefined) return !ws.exists(file.name);
  const doc = await vscode.workspace.openTextDocument(ws.uri(file.name));
  return doc.getText() === inDoc(doc, (file.open === 'dirty' ? TYPED : '') + file.before);
}

describe('edits: small runs', function () {
  this.timeout(120_000);
  const sessions: EditSession[] = [];
  let autoSave: string | undefined;
  // code-server saves dirty buffers a second after they change (files.autoSave afterDelay, its
  // default); desktop VS Code does not, and only then is "left unsaved" ours to keep.
  before(async () => {
    autoSave = vscode.workspace.getConfiguration('files').inspect<string>('autoSave')?.globalValue;
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) s.dispose();
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && !d.isClosed)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  const session = () => {
    const s = new EditSession({ runId: `small-${++counter}`, folder: folder(), mode: 'auto', sandboxRoot: '/workspace', logger: nullLogger, backupDir: vscode.Uri.file(path.join(os.tmpdir(), 'runtools-edits-test-backups')) });
    sessions.push(s);
    return s;
  };

  async function openEditors(ws: ScratchFolder, files: RunFile[]): Promise<vscode.TextDocument[]> {
    const dirty: vscode.TextDocument[] = [];
    for (const file of files.filter((f) => f.open)) {
      const doc = await vscode.workspace.openTextDocument(ws.uri(file.name));
      await vscode.window.showTextDocument(doc, { preview: false });
      if (file.open === 'clean') continue;
      const typing = new vscode.WorkspaceEdit();
      typing.insert(doc.uri, new vscode.Position(0, 0), TYPED);
      assert.ok(await vscode.workspace.applyEdit(typing));
      dirty.push(doc);
    }
    return dirty;
  }

  it('edits: one write of new files, closed files, a clean open file and buffers with unsaved typing lands byte for byte, keeps those buffers unsaved, and Ctrl+Z in the editors takes every file back', async () => {
    const ws = scratchFolder('small');
    const changed = [modified('lf.ts', 'lf'), modified('crlf.txt', 'crlf'), modified('bom.js', 'bom'), modified('nofinal.md', 'nofinal'), modified('clean.txt', 'lf', 'clean'), modified('dirty.css', 'lf', 'dirty'), modified('dirty.ts', 'lf', 'dirty')];
    const news = ['new/a.ts', 'new/b.json', 'c.md', 'd.txt', 'e.html', 'f.css', 'g.js'].map(created);
    // Interleaved, as an agent alternates between new files and changes.
    const files = changed.flatMap((file, i) => [news[i]!, file]);
    for (const file of changed) ws.write(file.name, file.original!);
    const dirty = await openEditors(ws, files);

    const diff = files.map((f) => (f.before === undefined ? createDiff(ws.rel(f.name), f.after) : gitDiff(ws.rel(f.name), f.before, f.after))).join('');
    const view = await session().handle(1, edit(ws.rel(files[0]!.name), diff));
    assert.equal(view.state, 'applied', view.reason);

    for (const file of files) assert.deepEqual(ws.bytes(file.name), file.expected, `${file.name} on disk`);
    for (const doc of dirty) {
      const file = files.find((f) => ws.abs(f.name) === doc.uri.fsPath)!;
      assert.equal(doc.isDirty, true, `${file.name} stays unsaved`);
      assert.equal(doc.getText(), TYPED + file.after, `${file.name} holds the user's typing and the agent's edit`);
    }

    // Ctrl+Z in an editor of each file, newest first, while one is not back yet.
    for (const file of [...files].reverse()) {
      if (await restored(ws, file)) continue;
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ws.uri(file.name)), { preview: false });
      await vscode.commands.executeCommand('undo');
      await until(() => restored(ws, file), () => `Ctrl+Z took ${file.name} back`);
    }
    for (const file of files) assert.ok(await restored(ws, file), `${file.name} is back after Ctrl+Z`);
    for (const file of changed.filter((f) => f.open !== 'dirty')) {
      const doc = await vscode.workspace.openTextDocument(ws.uri(file.name));
      if (doc.isDirty) assert.ok(await doc.save(), `${file.name} saved`);
      assert.deepEqual(ws.bytes(file.name), file.original, `${file.name}: its old bytes after Ctrl+Z and save (CRLF, BOM, final newline)`);
    }
    for (const doc of dirty) assert.equal(doc.isDirty, true, 'the user\'s buffers stay unsaved through the undo');
  });

  it('edits: a buffer with unsaved typing renamed and changed beside closed files keeps the typing unsaved', async () => {
    const ws = scratchFolder('small-rename');
    const closed = [modified('one.txt', 'lf'), modified('two.txt', 'crlf')];
    for (const file of closed) ws.write(file.name, file.original!);
    const renamed = modified('old.txt', 'lf', 'dirty');
    ws.write('old.txt', renamed.original!);
    const [doc] = await openEditors(ws, [renamed]);
    const s = session();
    const diff = closed.map((f) => gitDiff(ws.rel(f.name), f.before!, f.after)).join('');
    const views = await Promise.all([
      s.handle(1, edit(ws.rel('one.txt'), diff)),
      s.handle(2, edit(ws.rel('old.txt'), gitDiff('f', renamed.before!, renamed.after).split('\n').slice(3).join('\n'), 'rename', ws.rel('new.txt'))),
    ]);
    assert.deepEqual(views.map((v) => v.state), ['applied', 'applied'], views.map((v) => v.reason).join('; '));
    for (const file of closed) assert.deepEqual(ws.bytes(file.name), file.expected, file.name);
    assert.equal(ws.exists('old.txt'), false);
    const moved = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.fsPath === ws.abs('new.txt'));
    assert.ok(moved, `the buffer moved with its file (old one closed: ${doc!.isClosed})`);
    assert.equal(moved.isDirty, true, 'the user\'s typing is still unsaved');
    assert.equal(moved.getText(), TYPED + renamed.after);
    assert.ok(!ws.read('new.txt').includes(TYPED), 'the user\'s typing did not reach the disk');
  });
});
