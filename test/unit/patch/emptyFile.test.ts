import * as assert from 'node:assert/strict';
import { createTwoFilesPatch } from 'diff';
import { RunPlanner } from '../../../src/core/patch';

/** Plans jsdiff's own diff of before -> after against `before`, as the agent would send it. */
async function plan(before: string, after: string): Promise<string | null> {
  const diff = createTwoFilesPatch('a/f.txt', 'b/f.txt', before, after);
  const planner = new RunPlanner({ readFile: async () => before });
  const result = await planner.planEvent({ path: 'f.txt', diff });
  if (!result.ok) throw new Error(result.message);
  return result.changes.length === 0 ? before : result.changes[0]!.after;
}

// An empty file is one empty line without a newline to a diff, which jsdiff cannot place; a
// property test found the BOM-only case producing the old text. Every shape around it:
describe('patch engine: empty and BOM-only files', () => {
  for (const [before, after] of [
    ['', '\n'], ['\uFEFF', '\uFEFF\n'], ['\uFEFF', '\uFEFFx'], ['', 'x'], ['', 'x\ny\n'],
    ['x', ''], ['\uFEFFx', '\uFEFF'], ['\n', ''], ['\uFEFF\n', '\uFEFF'],
  ] as const) {
    it(`${JSON.stringify(before)} -> ${JSON.stringify(after)}`, async () => {
      assert.equal(await plan(before, after), after);
    });
  }
});
