/**
 * Carrying out a revert (Undo Run, or Reject of a written edit): plan it, ask about files the user
 * changed in the agent's lines, plan it again on the files as they are after the question, keep a
 * backup of any text it writes over, write, and book each edit's new state.
 *
 * Nothing is written from what was read before a question: a file the user changed while the
 * question was open is left alone (and said so), since the answer was about another text.
 */
import type { Logger } from '../logger';
import type { EditBook } from './editBook';
import { touchedPaths, type EditRecord } from './editRecord';
import type { EditPort } from './port';
import { planRevert, restoreChange, type BlockedPath, type RevertPlan } from './revertPlan';
import { sameText } from './texts';

export type OverwriteChoice = 'ask' | 'overwrite' | 'skip';

export interface RevertOptions {
  /** A file the user changed in the lines the run wrote: ask, restore it anyway (keeping a backup), or keep the user's. */
  overwriteChanged?: OverwriteChoice;
}

export interface RevertResult {
  /** Paths put back (or already back) to their text before the reverted edits. */
  restored: string[];
  /** Left as the user has them, with why. */
  skipped: { path: string; reason: string }[];
  /** Restored over the user's changes; their text is kept at `backup`. */
  overwritten: { path: string; backup: string }[];
  failed: { path: string; reason: string }[];
}

/** Asked when reverting would write over the user's own changes: may the extension, keeping a backup? */
export type AskOverwrite = (paths: readonly BlockedPath[]) => Promise<'overwrite' | 'skip'>;

export interface RevertContext {
  book: EditBook;
  port: EditPort;
  logger: Logger;
  askOverwrite: AskOverwrite;
}

export async function revertEdits(ctx: RevertContext, targets: readonly EditRecord[], options: RevertOptions = {}): Promise<RevertResult> {
  const result: RevertResult = { restored: [], skipped: [], overwritten: [], failed: [] };
  if (targets.length === 0) return result;
  const plan = () => planRevert({ targets, written: ctx.book.written(), ledger: ctx.book.ledger, read: async (p) => (await ctx.port.read(p)) ?? null });

  const first = await plan();
  const askable = first.blocked.filter((b) => b.original !== undefined);
  let choice = options.overwriteChanged ?? 'ask';
  if (askable.length > 0 && choice === 'ask') choice = await ctx.askOverwrite(askable);
  const second = askable.length > 0 ? await plan() : first;

  const changes = [...second.changes];
  const backups = new Map<string, string>();
  for (const blocked of second.blocked) {
    const asked = askable.find((b) => b.path === blocked.path);
    if (!asked && first.changes.some((c) => c.relPath === blocked.path)) {
      // Clean when the question was asked, changed by the user while it was open.
      result.skipped.push({ path: blocked.path, reason: 'you changed it while the question was open: not touched' });
      continue;
    }
    if (choice !== 'overwrite' || blocked.original === undefined || !asked) {
      result.skipped.push({ path: blocked.path, reason: blocked.reason });
      continue;
    }
    if (!sameText(asked.current, blocked.current)) {
      result.skipped.push({ path: blocked.path, reason: 'you changed it again while the question was open: not touched' });
      continue;
    }
    if (blocked.current !== null) {
      try {
        backups.set(blocked.path, await ctx.port.backup(blocked.path, blocked.current));
      } catch (error) {
        result.failed.push({ path: blocked.path, reason: `your version could not be kept in a backup (${(error as Error).message}), so it was not overwritten` });
        continue;
      }
    }
    changes.push(restoreChange(blocked.path, blocked.current, blocked.original));
  }
  await write(ctx, changes, backups, result);
  result.restored.push(...second.unchanged);
  bookStates(ctx.book, targets, result, second);
  ctx.logger.info(`revert: ${result.restored.length} file(s) restored, ${result.skipped.length} kept as you have them, ${result.overwritten.length} overwritten with a backup, ${result.failed.length} failed`);
  return result;
}

/** One write for all; when the editor refuses it, one write per file, so one bad file costs only itself. */
async function write(ctx: RevertContext, changes: RevertPlan['changes'], backups: Map<string, string>, result: RevertResult): Promise<void> {
  if (changes.length === 0) return;
  const done = (path: string, text: string | null) => {
    ctx.book.recordRestore(path, text);
    const backup = backups.get(path);
    if (backup !== undefined) result.overwritten.push({ path, backup });
    result.restored.push(path);
  };
  const all = await ctx.port.write(changes, { exact: true });
  if (all.ok) {
    for (const change of changes) done(change.relPath, change.after);
    return;
  }
  for (const change of changes) {
    const one = changes.length === 1 ? all : await ctx.port.write([change], { exact: true });
    if (one.ok) done(change.relPath, change.after);
    else result.failed.push({ path: change.relPath, reason: one.stale?.length ? 'it changed while the undo was being written: not touched' : one.reason });
  }
}

/** An edit is reverted when every path it wrote is back; otherwise it keeps its state and says what stayed. */
function bookStates(book: EditBook, targets: readonly EditRecord[], result: RevertResult, plan: RevertPlan): void {
  const back = new Set([...result.restored, ...plan.unchanged]);
  const why = new Map([...result.skipped, ...result.failed].map((s) => [s.path, s.reason]));
  for (const record of targets) {
    const paths = touchedPaths(record.written);
    const kept = paths.filter((p) => !back.has(p));
    if (kept.length === 0) book.set(record, 'reverted');
    else book.set(record, record.state, `not reverted: ${kept.map((p) => `${p} (${why.get(p) ?? 'not restored'})`).join('; ')}`);
  }
}
