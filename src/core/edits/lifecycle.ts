/**
 * The life of one `file_edit`, written down once. Every change of an edit's state in the
 * extension goes through `transition`, which refuses a move this table does not allow, so the
 * views, the history on disk and the files can only ever disagree by a bug that throws.
 *
 *   received ─plan─▶ planned ─write─▶ applied ──revert──▶ reverted
 *      │               │                 ╰─keep─▶ accepted
 *      │               │ ╰─hold──▶ pending ─accept─▶ accepted ──revert──▶ reverted
 *      │               │             │ ╰─reject─▶ rejected
 *      │               │             ╰─re-plan fails─▶ conflict ─resolved in the editor─▶ accepted
 *      │               ├─show (applyEdits off, no folder)─▶ shown
 *      │               ├─stale at write, re-plan fails─▶ conflict
 *      │               ╰─write throws─▶ failed
 *      ╰─cannot plan─▶ conflict | refused | unreadable
 *
 * A pending edit that is planned again (the user edited its file, the window reloaded) goes
 * pending → planned → pending. Conflicts, refusals and failures changed nothing on disk; the user
 * can dismiss them (→ rejected), and a conflict can be resolved by the user in the editor (its
 * merge with conflict markers; → accepted once saved without markers).
 *
 * Below an edit, each hunk of each file it modifies can be decided on its own (HUNK_TRANSITIONS):
 * an edit is `accepted` once its hunks are all decided and some were kept, `rejected` (pending)
 * or `reverted` (written) once none is left, and keeps its state, with a reason saying how many
 * were decided, while some still wait.
 */

export type EditState =
  | 'received'    // the event arrived; not planned yet
  | 'planned'     // planned on the current files; about to be written or held
  | 'applied'     // written as it arrived (auto mode)
  | 'pending'     // held for review (review mode, untrusted workspace, protected path)
  | 'accepted'    // was pending, the user accepted it: written
  | 'rejected'    // the user turned it down (pending or a dismissed conflict): nothing written
  | 'reverted'    // was written, then undone (Undo Run, or Reject of an applied edit)
  | 'conflict'    // the diff does not fit the file as it is: nothing changed
  | 'refused'     // unsafe path, binary file, folder where a file should be...: nothing changed
  | 'unreadable'  // the diff could not be parsed: nothing changed
  | 'failed'      // writing it threw: nothing of it is on disk (the write was rolled back)
  | 'shown';      // applyEdits is off, or there is no folder: shown only

export const EDIT_TRANSITIONS: Readonly<Record<EditState, readonly EditState[]>> = {
  received: ['planned', 'conflict', 'refused', 'unreadable'],
  planned: ['applied', 'pending', 'accepted', 'shown', 'conflict', 'refused', 'failed'],
  pending: ['planned', 'accepted', 'rejected', 'conflict', 'refused', 'failed'],
  applied: ['reverted', 'accepted'],
  accepted: ['reverted'],
  conflict: ['rejected', 'accepted'],
  refused: ['rejected'],
  unreadable: ['rejected'],
  failed: ['rejected'],
  rejected: [],
  reverted: [],
  shown: [],
};

export const EDIT_STATES = Object.keys(EDIT_TRANSITIONS) as EditState[];

export class IllegalTransitionError extends Error {
  constructor(readonly from: EditState, readonly to: EditState, readonly seq?: number) {
    super(`edit${seq === undefined ? '' : ` #${seq}`} cannot go from ${from} to ${to}`);
  }
}

export function canTransition(from: EditState, to: EditState): boolean {
  return EDIT_TRANSITIONS[from].includes(to);
}

/** The new state, or an IllegalTransitionError. */
export function transition(from: EditState, to: EditState, seq?: number): EditState {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, seq);
  return to;
}

/** The edit's content is in the workspace (as far as the extension wrote it). */
export function isWritten(state: EditState): boolean {
  return state === 'applied' || state === 'accepted';
}

/** A decision still waits for the user: exactly these are offered by Review Edits after a reload. */
export function isOpenDecision(state: EditState): boolean {
  return state === 'pending';
}

/** No further change can happen to it. */
export function isFinal(state: EditState): boolean {
  return EDIT_TRANSITIONS[state].length === 0;
}

/** Nothing of the edit reached the disk and nothing will unless the user asks again. */
export function isNotApplied(state: EditState): boolean {
  return state === 'conflict' || state === 'refused' || state === 'unreadable' || state === 'failed';
}

/**
 * One hunk of a modified file, as the user reviews it in the editor:
 *
 *   applied ─keep─▶ kept ─undo─▶ undone      (an edit written as it arrived)
 *      ╰──────undo──────────▶ undone
 *   pending ─keep─▶ kept ─undo─▶ undone      (an edit waiting for review)
 *      ╰─undo─▶ rejected
 *
 * `applied` and `pending` wait for the user; `kept` is in the file; `undone` and `rejected` are not.
 */
export type HunkMark = 'applied' | 'pending' | 'kept' | 'undone' | 'rejected';

export const HUNK_TRANSITIONS: Readonly<Record<HunkMark, readonly HunkMark[]>> = {
  applied: ['kept', 'undone'],
  pending: ['kept', 'rejected'],
  kept: ['undone'],
  undone: [],
  rejected: [],
};

/** The hunk's lines are in the file (as far as the extension wrote them). */
export function isHunkWritten(mark: HunkMark): boolean {
  return mark === 'applied' || mark === 'kept';
}

/** The user has not decided this hunk yet. */
export function isHunkOpen(mark: HunkMark): boolean {
  return mark === 'applied' || mark === 'pending';
}

export function moveHunk(from: HunkMark, to: HunkMark): HunkMark {
  if (!HUNK_TRANSITIONS[from].includes(to)) throw new Error(`a hunk cannot go from ${from} to ${to}`);
  return to;
}
