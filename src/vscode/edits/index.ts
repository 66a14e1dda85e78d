/** Applying a run's edits in VS Code: sessions, review, undo, and the read-only edit documents. */
export { EditSession } from './editSession';
export type { ApplyMode, EditSessionJSON, EditSessionOptions, EditSummary, UndoOptions } from './editSession';
export type { OverwriteChoice, RevertResult as UndoResult } from '../../core/edits';
export { EDIT_CONTENT_SCHEME, registerEditContentProvider } from './editContent';
export { reviewEdits, reviewItems, runReviewAction } from './reviewEdits';
export type { ReviewItem } from './reviewEdits';
export { rejectEdit, reportRevert, undoRun } from './undoRun';
