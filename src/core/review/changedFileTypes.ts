/** A run's changed file as every view shows it (types only: the webview bundle reads them too). */

/** Where a changed file stands, in one word. */
export type ChangedFileState =
  | 'review'    // written; the user has not kept or undone all of it yet
  | 'pending'   // waiting for review: nothing written but what the user kept
  | 'kept' | 'undone' | 'conflict' | 'refused' | 'failed';

export interface ChangedFile {
  path: string;
  added: number;
  removed: number;
  state: ChangedFileState;
  /** Hunks still waiting for a decision (written ones to keep or undo, pending ones to keep or turn down). */
  open: number;
  /** Why, when not obvious (a conflict's cause). */
  reason?: string;
  /** The edits (seq) that change this file, in order. */
  seqs: number[];
  /** 1-based line of its first change in the agent's version, to open the file there. */
  firstLine?: number;
  /** A conflict of this file can be merged in the editor. */
  resolvable?: boolean;
  kind: 'create' | 'modify' | 'delete' | 'rename' | 'problem';
}
