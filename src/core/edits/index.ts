/** The edit engine: the lifecycle of a file_edit, planning, writing through a port, review and revert. */
export * from './lifecycle';
export type { EditRecord, EditView, ReverseHunk, WrittenChange } from './editRecord';
export { displayPath, touchedPaths, viewOf } from './editRecord';
export type { EditListener, EditSummary } from './editBook';
export { FileShapeError, NotTextError } from './port';
export type { EditPort, WriteOptions, WriteResult } from './port';
export { editsToJSON, restoreEdits } from './persistence';
export type { RunEditsJSON } from './persistence';
export type { BlockedPath, LedgerEntry } from './revertPlan';
export type { AskOverwrite, OverwriteChoice, RevertOptions, RevertResult } from './revertEdits';
export { RunEdits } from './runEdits';
export type { ApplyMode, RunEditsOptions } from './runEdits';
export { sameText, textHash } from './texts';
export { EDIT_STATE_LABELS } from './stateLabels';
export { decideHunks, wholeOnly } from './hunkDecisions';
export type { HunkAction, HunkOutcome } from './hunkDecisions';
export { decidedMark, effectiveMark, reviewOf } from './hunkReview';
export type { EditFileReview, PathReview } from './hunkReview';
