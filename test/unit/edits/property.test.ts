/**
 * Random sessions against the edit engine: the agent edits its copy of the files and sends the
 * diffs, the user types into the workspace between them, and accepts, rejects, undoes and
 * reloads (the history's JSON, restored into a new engine) in any order. After every step:
 * - no text the user typed is lost: it is in the workspace, in a backup, or kept to be restored
 *   (a file the agent deleted comes back with Reject or Undo Run);
 * - what the views heard equals what the history would keep;
 * - an edit that is not written (rejected, pending, reverted, not applied) is nowhere in the files.
 */
import * as assert from 'node:assert/strict';
import { createTwoFilesPatch } from 'diff';
import fc from 'fast-check';
import { editsToJSON, isWritten, restoreEdits, type EditView, type RunEdits } from '../../../src/core/edits';
import type { FileEditEvent } from '../../../src/core/run/events';
import { MemoryWorkspace } from './memoryWorkspace';

type Action =
  | { kind: 'agent'; file: number; line: number; op: 'replace' | 'insert' | 'delete-file' | 'two-places' }
  | { kind: 'hunk'; pick: number; action: 'keep' | 'undo'; hunk: number }
  | { kind: 'user'; file: number; line: number }
  | { kind: 'accept' | 'reject'; pick: number }
  | { kind: 'undo'; overwrite: boolean }
  | { kind: 'reload' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('agent' as const), file: fc.nat(3), line: fc.nat(20), op: fc.constantFrom('replace' as const, 'insert' as const, 'delete-file' as const, 'two-places' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hunk' as const), pick: fc.nat(30), action: fc.constantFrom('keep' as const, 'undo' as const), hunk: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('user' as const), file: fc.nat(3), line: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('accept' as const, 'reject' as const), pick: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undo' as const), overwrite: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reload' as const) }) },
);

const fileName = (i: number) => `src/f${i}.txt`;
const initial = (i: number) => Array.from({ length: 16 }, (_, n) => `f${i} line ${n}\n`).join('');

class Session {
  readonly ws = new MemoryWorkspace(Object.fromEntries([0, 1, 2].map((i) => [fileName(i), initial(i)])));
  /** The agent's sandbox: its own copy, which drifts from the workspace as the user works. */
  private readonly agent = new Map(this.ws.files);
  private seq = 0;
  private overwrite = false;
  /** The tokens each edit wrote (unique per edit). */
  readonly tokens = new Map<number, string>();
  readonly userLines: string[] = [];
  edits!: RunEdits;
  /** What the views were told, edit by edit. */
  shown = new Map<number, EditView>();

  constructor(readonly mode: 'auto' | 'review') {
    this.attach(restoreEdits({ version: 2, runId: 'run', mode, sandboxRoot: '/workspace', edits: [], ledger: [] }, this.options()));
  }

  private options() {
    return { port: this.ws, askOverwrite: async () => (this.overwrite ? 'overwrite' as const : 'skip' as const) };
  }

  private attach(edits: RunEdits): void {
    this.edits = edits;
    this.shown = new Map(edits.edits().map((v) => [v.seq, v]));
    edits.onDidChange((view) => this.shown.set(view.seq, view));
  }

  async step(a: Action): Promise<void> {
    switch (a.kind) {
      case 'agent': return this.agentEdit(a.file, a.line, a.op);
      case 'user': {
        const path = fileName(a.file);
        const text = this.ws.files.get(path);
        if (text === undefined) return;
        const marker = `user typed ${this.userLines.length}`;
        this.userLines.push(marker);
        const lines = text.split('\n');
        lines.splice(a.line % lines.length, 0, marker);
        this.ws.files.set(path, lines.join('\n'));
        return;
      }
      case 'accept': case 'reject': {
        const all = this.edits.edits();
        if (all.length === 0) return;
        const seq = all[a.pick % all.length]!.seq;
        await (a.kind === 'accept' ? this.edits.accept(seq) : this.edits.reject(seq));
        return;
      }
      case 'hunk': {
        const all = this.edits.edits();
        if (all.length === 0) return;
        const view = all[a.pick % all.length]!;
        await this.edits.decideHunks(view.seq, view.paths[0]!, a.action, [a.hunk]);
        return;
      }
      case 'undo':
        this.overwrite = a.overwrite;
        await this.edits.undo();
        return;
      case 'reload': {
        await this.edits.settled();
        const json = JSON.parse(JSON.stringify(editsToJSON(this.edits)));
        this.attach(restoreEdits(json, this.options()));
        await this.edits.settled();
        return;
      }
    }
  }

  private async agentEdit(file: number, line: number, op: 'replace' | 'insert' | 'delete-file' | 'two-places'): Promise<void> {
    const path = fileName(file);
    const before = this.agent.get(path);
    const seq = ++this.seq;
    const token = `agent edit ${seq}`;
    let event: FileEditEvent;
    if (before === undefined) {
      const after = `${token}\n`;
      this.agent.set(path, after);
      event = { type: 'file_edit', path: `/workspace/${path}`, action: 'create', diff: `+${token}\n` };
    } else if (op === 'delete-file') {
      this.agent.delete(path);
      event = { type: 'file_edit', path: `/workspace/${path}`, diff: createTwoFilesPatch(`a/${path}`, '/dev/null', before, '') };
    } else {
      const lines = before.split('\n');
      const at = line % Math.max(1, lines.length - 1);
      if (op === 'two-places' && lines.length > 10) {
        // Two hunks far apart: one edit the user can keep half of.
        lines[0] = `${token} top`;
        lines[lines.length - 2] = `${token} bottom`;
      } else if (op === 'replace' || op === 'two-places') lines[at] = token;
      else lines.splice(at, 0, token);
      const after = lines.join('\n');
      this.agent.set(path, after);
      event = { type: 'file_edit', path: `/workspace/${path}`, diff: createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after) };
    }
    this.tokens.set(seq, token);
    await this.edits.receive(seq, event);
  }

  check(): void {
    const files = [...this.ws.files.values()].join('\n');
    const backups = this.ws.backups.map((b) => b.text).join('\n');
    const kept = this.edits.book.written().flatMap((r) => r.written.map((c) => c.before ?? '')).join('\n');
    for (const marker of this.userLines) {
      assert.ok(files.includes(marker) || backups.includes(marker) || kept.includes(marker), `the user's "${marker}" was lost`);
    }
    const persisted = editsToJSON(this.edits).edits.map(({ seq, state, reason, paths }) => ({ seq, state, reason, paths }));
    const shown = [...this.shown.values()].sort((a, b) => a.seq - b.seq).map(({ seq, state, reason, paths }) => ({ seq, state, reason, paths }));
    assert.deepEqual(shown, persisted.map((p) => ({ ...p, reason: p.reason })), 'the views and the history disagree');
    for (const view of this.edits.edits()) {
      const token = this.tokens.get(view.seq)!;
      // A pending edit may have hunks the user kept: only those may be in the files.
      const kept = this.edits.edit(view.seq)?.review?.some((r) => r.marks.includes('kept')) ?? false;
      if (!isWritten(view.state) && !kept) assert.ok(!new RegExp(`^${token}( top| bottom)?$`, 'm').test(files), `edit #${view.seq} (${view.state}) is in the files`);
    }
  }
}

describe('edit engine: random sessions', function () {
  this.timeout(120_000);
  for (const mode of ['auto', 'review'] as const) {
    it(`${mode} mode: no user text lost, views equal the history, unwritten edits are nowhere`, async () => {
      await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 40 }), async (actions) => {
        const session = new Session(mode);
        for (const a of actions) {
          await session.step(a);
          await session.edits.settled();
          session.check();
        }
      }), { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) });
    });
  }
});
