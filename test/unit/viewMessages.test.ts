import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseViewMessage, viewMessageSchemas, type ViewMessage } from '../../src/core/viewProtocol';

/** One well-formed example of every message a webview may send. */
const examples: { [K in ViewMessage['type']]: Extract<ViewMessage, { type: K }> } = {
  ready: { type: 'ready' },
  submitPrompt: { type: 'submitPrompt', text: 'Build a todo app' },
  cancelRun: { type: 'cancelRun', localId: 'run-1' },
  pauseRun: { type: 'pauseRun', localId: 'run-1' },
  resumeRun: { type: 'resumeRun', localId: 'run-1' },
  answerRun: { type: 'answerRun', localId: 'run-1', text: 'yes, go on' },
  retryRun: { type: 'retryRun', localId: 'run-1' },
  newChat: { type: 'newChat' },
  openInEditor: { type: 'openInEditor', localId: 'run-1' },
  openDiff: { type: 'openDiff', localId: 'run-1', seq: 3, path: 'src/App.tsx' },
  openFile: { type: 'openFile', localId: 'run-1', seq: 3, path: 'src/App.tsx' },
  acceptEdit: { type: 'acceptEdit', localId: 'run-1', seq: 0 },
  rejectEdit: { type: 'rejectEdit', localId: 'run-1', seq: 7 },
  undoRun: { type: 'undoRun', localId: 'run-1' },
  keepChanges: { type: 'keepChanges', localId: 'run-1', path: 'src/App.tsx' },
  undoChanges: { type: 'undoChanges', localId: 'run-1', path: 'src/App.tsx' },
  openChange: { type: 'openChange', localId: 'run-1', path: 'src/App.tsx' },
  resolveConflict: { type: 'resolveConflict', localId: 'run-1', path: 'src/App.tsx' },
  reviewEdits: { type: 'reviewEdits', localId: 'run-1' },
  openDevUrl: { type: 'openDevUrl', localId: 'run-1', url: 'http://localhost:5173/' },
  openLink: { type: 'openLink', url: 'https://runtools.ai/docs' },
  showFullOutput: { type: 'showFullOutput', localId: 'run-1', seq: 2 },
  insertAtCursor: { type: 'insertAtCursor', text: 'export const answer = 42;\n' },
  runCommand: { type: 'runCommand', command: 'runtools.showLog' },
  addContext: { type: 'addContext', kind: 'problems' },
  removeContext: { type: 'removeContext', id: 'file:src/App.tsx' },
  setAgent: { type: 'setAgent', apiSlug: 'my-agent', params: '{"model": "fast"}' },
  resetAgent: { type: 'resetAgent' },
};

/** Fields a message may leave out (Keep / Undo without a path: the whole run). */
const OPTIONAL_FIELDS: Partial<Record<ViewMessage['type'], string[]>> = {
  keepChanges: ['path'],
  undoChanges: ['path'],
};

const dropped = (raw: unknown, why: RegExp) => {
  const result = parseViewMessage(raw);
  assert.equal(result.ok, false, `${JSON.stringify(raw)} was accepted`);
  if (!result.ok) assert.match(result.reason, why, JSON.stringify(raw));
};

describe('webview messages are checked at run time', () => {
  it('has a schema for every message type and an example here for each', () => {
    assert.deepEqual(Object.keys(examples).sort(), Object.keys(viewMessageSchemas).sort());
  });

  for (const [type, example] of Object.entries(examples)) {
    describe(type, () => {
      it('accepts the well-formed message as it is', () => {
        assert.deepEqual(parseViewMessage(structuredClone(example)), { ok: true, message: example });
      });

      it('drops it with an extra field', () => {
        dropped({ ...example, command: 'workbench.action.terminal.new', extra: 1 }, new RegExp(`malformed "${type}"`));
      });

      for (const field of Object.keys(example).filter((key) => key !== 'type')) {
        const optional = OPTIONAL_FIELDS[type as ViewMessage['type']]?.includes(field) ?? false;
        it(`${optional ? 'takes it without' : 'drops it without'} ${field}, and drops it with ${field} of another type`, () => {
          const { [field]: _omitted, ...without } = example as unknown as Record<string, unknown>;
          if (optional) assert.deepEqual(parseViewMessage(without), { ok: true, message: without });
          else dropped(without, new RegExp(`malformed "${type}".*${field}`));
          dropped({ ...example, [field]: { toString: 'x' } }, new RegExp(`malformed "${type}".*${field}`));
          dropped({ ...example, [field]: null }, /malformed/);
        });
      }
    });
  }

  it('drops unknown types, including ones that exist on every object', () => {
    for (const type of ['approveOrigin', 'runTerminal', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      dropped({ type }, /unknown message type/);
    }
  });

  it('drops what is not a message at all', () => {
    for (const raw of [null, undefined, 42, 'ready', [], [{ type: 'ready' }], { kind: 'ready' }, { type: 7 }]) {
      dropped(raw, /without a type/);
    }
  });

  it('runs only the allow-listed commands', () => {
    for (const command of ['workbench.action.terminal.new', 'runtools.clearApiKey', 'runtools.runPrompt', 'vscode.open', '']) {
      dropped({ type: 'runCommand', command }, /malformed "runCommand".*command/);
    }
    for (const command of ['runtools.setApiKey', 'runtools.tryLocalServer', 'runtools.showLog']) {
      assert.equal(parseViewMessage({ type: 'runCommand', command }).ok, true, command);
    }
  });

  it('checks numbers and sizes: seq a whole number from 0, paths and ids not empty nor huge', () => {
    dropped({ type: 'acceptEdit', localId: 'r', seq: -1 }, /seq/);
    dropped({ type: 'acceptEdit', localId: 'r', seq: 1.5 }, /seq/);
    dropped({ type: 'acceptEdit', localId: 'r', seq: Number.NaN }, /seq/);
    dropped({ type: 'acceptEdit', localId: 'r', seq: '1' }, /seq/);
    dropped({ type: 'openFile', localId: 'r', seq: 1, path: '' }, /path/);
    dropped({ type: 'openFile', localId: 'r', seq: 1, path: 'a'.repeat(5000) }, /path/);
    dropped({ type: 'cancelRun', localId: '' }, /localId/);
    dropped({ type: 'answerRun', localId: 'run-1', text: '' }, /text/);
    dropped({ type: 'openLink', url: `https://x/${'a'.repeat(9000)}` }, /url/);
    dropped({ type: 'insertAtCursor', text: 'x'.repeat(1_000_001) }, /text/);
    assert.equal(parseViewMessage({ type: 'insertAtCursor', text: '' }).ok, true, 'an empty code block inserts nothing, harmlessly');
  });

  it('never quotes the message itself in the reason (it may carry the user\'s text)', () => {
    const result = parseViewMessage({ type: 'submitPrompt', text: 42, secret: 'my private prompt' });
    assert.equal(result.ok, false);
    if (!result.ok) assert.ok(!result.reason.includes('my private prompt'));
  });

  it('the webview takes from src/core only types and files that import nothing themselves, so valibot stays out of its bundle', () => {
    const dir = path.resolve(__dirname, '../../src/webview');
    const runtimeImports = (source: string) => source.split('\n').filter((l) => /^(import|export) .* from '/.test(l) && !/^(import|export) type /.test(l));
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const line of runtimeImports(source).filter((l) => /from '\.\.\/core\//.test(l))) {
        const target = path.resolve(dir, /from '([^']+)'/.exec(line)![1]! + '.ts');
        assert.deepEqual(runtimeImports(fs.readFileSync(target, 'utf8')), [], `${file} takes ${path.relative(dir, target)} at run time, which imports more`);
      }
    }
  });
});
