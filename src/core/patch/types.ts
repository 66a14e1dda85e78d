/**
 * The shapes the patch engine reads and produces. Texts are JS strings throughout: the engine
 * takes the file's current text (possibly an unsaved editor buffer) and gives text back.
 */
import type { StructuredPatchHunk } from 'diff';

/** A jsdiff hunk, plus what the `*** Begin Patch` envelope can say about where it goes. */
export interface PatchHunk extends StructuredPatchHunk {
  /**
   * Envelope `@@ <line>` anchor, or a bare `@@` hunk: the header carries no trustworthy line
   * number, so the applier places the hunk from the text (after the anchor line, if any).
   */
  unpositioned?: boolean;
  anchor?: string;
  /** Envelope `*** End of File`: the hunk belongs at the end of the file. */
  atEnd?: boolean;
}

export type FilePatchKind = 'create' | 'modify' | 'delete' | 'rename';

/** What one diff says about one file, still in sandbox paths. */
export interface FilePatch {
  kind: FilePatchKind;
  /** The file's path as the diff names it (for create: the new file). */
  path: string;
  /** Rename target, as the diff names it. */
  newPath?: string;
  /** Hunks to apply to the current text (for create: to the empty text). */
  hunks: PatchHunk[];
  /** The whole new content when the dialect gives it outright (`+`-only, Add File, create). */
  content?: string;
  /** The diff is a binary patch (or `Binary files differ`): never applied. */
  binary?: boolean;
  /** Which reader produced this: for messages and tests. */
  dialect: Dialect;
}

export type Dialect = 'unified' | 'hunks' | 'plus-only' | 'envelope' | 'action';

export type ParseResult =
  | { ok: true; patches: FilePatch[] }
  | { ok: false; reason: string };

/** One file's change in a plan, in workspace-relative POSIX paths. */
export interface FileChange {
  relPath: string;
  kind: FilePatchKind;
  /** Text before this change; null when the file did not exist. */
  before: string | null;
  /** Text after this change; null when the file is deleted. For rename: the text at newRelPath. */
  after: string | null;
  newRelPath?: string;
  /** How the diff was fitted to a file the user had changed ("placed 2 lines lower", "merged with your changes"). */
  note?: string;
}

/** Why a hunk did not fit. Line numbers are 1-based in the file's current text. */
export interface HunkConflict {
  /** 0-based index of the hunk within its file's patch. */
  hunkIndex: number;
  /** Where the hunk said it goes (after earlier hunks' offsets). */
  line: number;
  /** The old side of the hunk (context and removed lines). */
  expected: string[];
  /** What the file holds at that place. */
  found: string[];
}

export type FailureKind = 'conflict' | 'refused' | 'unreadable';

export interface FileProblem {
  kind: FailureKind;
  /** The path as the diff named it. */
  sandboxPath: string;
  /** Workspace-relative path, when the mapping succeeded. */
  relPath?: string;
  reason: string;
  hunk?: HunkConflict;
  /** Best-effort text the agent meant the file to become (for showing the intended version). */
  intendedAfter?: string;
  /**
   * The file with the agent's change merged in, conflict markers where the user's changes and the
   * agent's overlap: what the user resolves in the editor (never written to disk by the engine).
   */
  resolution?: string;
}

export interface PlanSuccess {
  ok: true;
  /** Handle for accept/discard; increasing in planning order. */
  id: number;
  changes: FileChange[];
}

export interface PlanFailure {
  ok: false;
  /** The most severe kind among the problems (unreadable > refused > conflict). */
  kind: FailureKind;
  /** One line naming the file(s) and why. */
  message: string;
  problems: FileProblem[];
  /** The event's diff, kept so the user can still see or export what the agent sent. */
  diff: string;
  /** Every workspace path the event names (also those that would have applied), when known. */
  paths?: string[];
}

export type PlanResult = PlanSuccess | PlanFailure;
