/**
 * The user's merge of a conflicting edit, written: `after` is their merge of the agent's change
 * into `before`, the file as it was when the merge was made. The port refuses it if the file
 * changed since (then nothing changes and the reason comes back); else the edit is accepted and
 * reverts to `before`.
 */
import type { EditRecord } from './editRecord';
import type { HunkContext } from './hunkDecisions';
import { textHash } from './texts';

/** Undefined once written; else why not. */
export async function writeMerge(ctx: HunkContext, record: EditRecord, path: string, before: string, after: string): Promise<string | undefined> {
  if (record.state !== 'conflict') return `edit #${record.seq} is ${record.state}, not a conflict`;
  const result = await ctx.port.write([{ relPath: path, kind: 'modify', before, after }], {});
  if (!result.ok) return result.stale?.length ? `${path} changed since the merge was made: merge again` : result.reason;
  const written = result.written.get(path) ?? after;
  ctx.book.recordHunkWrite(path, before, written);
  record.written = [{ relPath: path, kind: 'modify', before, after: written, afterHash: textHash(written) }];
  record.problems = [];
  ctx.book.set(record, 'accepted', 'merged by you in the editor');
  return undefined;
}
