import * as assert from 'node:assert/strict';
import { createTwoFilesPatch } from 'diff';
import fc from 'fast-check';
import { RunPlanner } from '../../../src/core/patch';

/**
 * A random file and a random edit of it; the jsdiff diff of the two, planned back onto the
 * original, must give the edited file: for LF, CRLF, BOM and no-final-newline texts, and for a
 * diff made from the LF/no-BOM form applied to a CRLF or BOM target (what an agent's sandbox sends).
 */
const line = fc.constantFrom('', 'a', 'b', 'c', '  x', '}', 'return 1;', 'é ✓', '\tz');
const lines = fc.array(line, { minLength: 0, maxLength: 40 });
const edit = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.array(line, { maxLength: 3 }) }), { minLength: 1, maxLength: 4 });

interface Shape { eol: '\n' | '\r\n'; bom: boolean; finalNewline: boolean }
const shape = fc.record({ eol: fc.constantFrom('\n' as const, '\r\n' as const), bom: fc.boolean(), finalNewline: fc.boolean() });

function render(body: string[], s: Shape): string {
  const text = body.join(s.eol) + (s.finalNewline && body.length > 0 ? s.eol : '');
  return (s.bom ? '\uFEFF' : '') + text;
}

function applyEdits(body: string[], edits: { at: number; remove: number; insert: string[] }[]): string[] {
  const out = [...body];
  for (const e of edits) out.splice(out.length === 0 ? 0 : e.at % (out.length + 1), e.remove, ...e.insert);
  return out;
}

async function plan(before: string, diff: string): Promise<string | null | undefined> {
  const planner = new RunPlanner({ readFile: async () => before });
  const result = await planner.planEvent({ path: 'f.txt', diff });
  if (!result.ok) throw new Error(result.message);
  return result.changes.length === 0 ? before : result.changes[0].after;
}

describe('patch engine properties', () => {
  it('diff(original, edited) applied to original gives edited, in every text shape', async () => {
    await fc.assert(fc.asyncProperty(lines, edit, shape, async (body, edits, s) => {
      const edited = applyEdits(body, edits);
      // An empty file has no final newline to keep; skip the degenerate empty/empty-ish cases.
      fc.pre(body.length > 0 && edited.length > 0);
      const before = render(body, s);
      const after = render(edited, s);
      const diff = createTwoFilesPatch('a/f.txt', 'b/f.txt', before, after);
      assert.equal(await plan(before, diff), after);
    }), { numRuns: 400 });
  });

  it('a diff of the LF, BOM-less form applies to the CRLF/BOM target and keeps its shape', async () => {
    await fc.assert(fc.asyncProperty(lines, edit, shape, async (body, edits, s) => {
      const edited = applyEdits(body, edits);
      fc.pre(body.length > 0 && edited.length > 0);
      // A target with no line break has no line-ending convention to keep.
      fc.pre(s.eol === '\n' || render(body, s).includes('\r\n'));
      const plain: Shape = { eol: '\n', bom: false, finalNewline: s.finalNewline };
      const diff = createTwoFilesPatch('a/f.txt', 'b/f.txt', render(body, plain), render(edited, plain));
      assert.equal(await plan(render(body, s), diff), render(edited, s));
    }), { numRuns: 400 });
  });
});
