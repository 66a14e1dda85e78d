import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunEdits } from '../../../src/core/edits';
import { RunPlanner } from '../../../src/core/patch';
import type { PlanResult } from '../../../src/core/patch';
import { MemoryWorkspace } from '../edits/memoryWorkspace';
import { applyChanges, readTree, sorted } from './workspace';

/**
 * Each folder under fixtures/ is one case: `before/` (the workspace), `events.json` (file_edit
 * events, each naming its diff file), and either `after/` (the workspace once every event is
 * applied) or `expected.json` (how the last event must fail; the workspace must not change).
 */
const fixtures = path.join(__dirname, 'fixtures');

interface FixtureEvent { path: string; action?: string; newPath?: string; diffFile: string }
interface Expected { kind: string; reason: string; hunkIndex?: number }

describe('patch engine fixtures', () => {
  for (const name of fs.readdirSync(fixtures).filter((entry) => fs.statSync(path.join(fixtures, entry)).isDirectory()).sort()) {
    it(name, async () => {
      const dir = path.join(fixtures, name);
      const files = readTree(path.join(dir, 'before'));
      const before = sorted(files);
      const events = JSON.parse(fs.readFileSync(path.join(dir, 'events.json'), 'utf8')) as FixtureEvent[];
      const expectedFile = path.join(dir, 'expected.json');
      const expected = fs.existsSync(expectedFile) ? JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as Expected : undefined;
      const planner = new RunPlanner({ readFile: async (relPath) => files.get(relPath) });

      let last: PlanResult | undefined;
      for (const [i, event] of events.entries()) {
        const diff = fs.readFileSync(path.join(dir, event.diffFile), 'utf8');
        last = await planner.planEvent({ path: event.path, action: event.action, newPath: event.newPath, diff });
        if (i < events.length - 1 || !expected) {
          assert.ok(last.ok, `event ${i + 1} failed: ${last.ok ? '' : last.message}`);
          applyChanges(files, last.changes);
          planner.accept(last.id);
        }
      }

      if (expected) {
        assert.ok(last && !last.ok, `expected a ${expected.kind}, got a plan`);
        assert.equal(last.kind, expected.kind, last.message);
        assert.ok(last.message.includes(expected.reason), `message ${JSON.stringify(last.message)} lacks ${JSON.stringify(expected.reason)}`);
        assert.equal(last.diff, fs.readFileSync(path.join(dir, events[events.length - 1].diffFile), 'utf8'), 'the diff is kept');
        if (expected.hunkIndex !== undefined) assert.equal(last.problems[0].hunk?.hunkIndex, expected.hunkIndex);
        assert.deepEqual(sorted(files), before, 'a failed event changes nothing');
      } else {
        assert.deepEqual(sorted(files), sorted(readTree(path.join(dir, 'after'))));
        // The edit engine gives the same tree, and Undo Run brings back the before tree exactly.
        const ws = new MemoryWorkspace(Object.fromEntries(before));
        const edits = new RunEdits({ runId: name, mode: 'auto', sandboxRoot: '/workspace', port: ws });
        for (const [i, event] of events.entries()) {
          const diff = fs.readFileSync(path.join(dir, event.diffFile), 'utf8');
          const view = await edits.receive(i + 1, { type: 'file_edit', path: event.path, action: event.action, newPath: event.newPath, diff });
          assert.equal(view.state, 'applied', `event ${i + 1}: ${view.reason}`);
        }
        assert.deepEqual(sorted(ws.files), sorted(files));
        const undone = await edits.undo();
        assert.deepEqual([...undone.skipped, ...undone.failed], []);
        assert.deepEqual(sorted(ws.files), before, 'undo restores every file');
      }
    });
  }
});
