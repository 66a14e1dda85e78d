/**
 * What the composer's context chips send, built from plain inputs (the adapters in
 * src/vscode/context read VS Code): one builder per kind, each bounded, each saying when it cut.
 * The fields are the request's `context` contract (README, "Context chips"):
 *
 *   context.selections[]  { path, language, startLine, endLine, text, bytes, truncated }
 *   context.files[]       { path, language, text, bytes, truncated }
 *   context.openEditors[] { path, language, unsaved, active }
 *   context.problems[]    { path, problems: [{ severity, message, line, column, endLine, endColumn, source?, code? }], total, truncated }
 *
 * `bytes` is the text's full UTF-8 size, `truncated` whether `text` (or the list) was cut.
 * Paths are workspace-relative POSIX paths; lines and columns are 1-based.
 */
import { cutToBytes, formatBytes, utf8Bytes } from './byteBudget';

/** One selection's or file's text at most (a chip is cut to this, and says so). */
export const MAX_CHIP_BYTES = 64 * 1024;
/** All chips of one prompt together; a chip added beyond it is cut to what is left. */
export const MAX_CONTEXT_BYTES = 256 * 1024;
/** A chip that would get less than this is refused instead ("remove a chip first"). */
export const MIN_CHIP_BYTES = 1024;
export const MAX_CHIPS = 20;
export const MAX_OPEN_EDITORS = 50;
export const MAX_PROBLEMS_PER_FILE = 100;
export const MAX_PROBLEM_MESSAGE_CHARS = 1_000;

export type ContextKind = 'selection' | 'file' | 'openEditors' | 'problems';

export interface SelectionEntry { path: string; language: string; startLine: number; endLine: number; text: string; bytes: number; truncated: boolean }
export interface FileEntry { path: string; language: string; text: string; bytes: number; truncated: boolean }
export interface OpenEditorEntry { path: string; language: string; unsaved: boolean; active: boolean }
export type ProblemSeverity = 'error' | 'warning' | 'info' | 'hint';
export interface Problem { severity: ProblemSeverity; message: string; line: number; column: number; endLine: number; endColumn: number; source?: string; code?: string }
export interface ProblemsEntry { path: string; problems: Problem[]; total: number; truncated: boolean }

interface ChipBase {
  /** Stable per thing attached (kind, path, lines): adding it again replaces the chip. */
  id: string;
  label: string;
  /** The tooltip: the whole path and what was cut. */
  title: string;
  /** What this chip adds to the request: its text's (or its list's JSON) UTF-8 size as sent. */
  bytes: number;
  /** Set when something was left out, as the chip says it: "cut to 64 KB", "50 of 73 sent". */
  cut?: string;
}

export type ContextChip =
  | ChipBase & { kind: 'selection'; entry: SelectionEntry }
  | ChipBase & { kind: 'file'; entry: FileEntry }
  | ChipBase & { kind: 'openEditors'; entry: OpenEditorEntry[] }
  | ChipBase & { kind: 'problems'; entry: ProblemsEntry };

/** A chip as the webview shows it: no content, only what it is and its size. */
export interface ContextChipView { id: string; kind: ContextKind; label: string; title: string; size: string; cut: boolean }

export interface SelectionInput { path: string; language: string; startLine: number; endLine: number; text: string }
export interface FileInput { path: string; language: string; text: string }

export function selectionChip(input: SelectionInput, limitBytes = MAX_CHIP_BYTES): ContextChip {
  const { text, bytes, truncated } = boundedText(input.text, limitBytes);
  const lines = input.startLine === input.endLine ? `${input.startLine}` : `${input.startLine}-${input.endLine}`;
  return {
    kind: 'selection',
    id: `selection:${input.path}:${lines}`,
    label: `${basename(input.path)}:${lines}`,
    title: titleOf(`Selection: ${input.path}, ${input.startLine === input.endLine ? 'line' : 'lines'} ${lines}`, bytes, truncated, limitBytes),
    bytes: utf8Bytes(text),
    ...(truncated ? { cut: `cut to ${formatBytes(limitBytes)}` } : {}),
    entry: { path: input.path, language: input.language, startLine: input.startLine, endLine: input.endLine, text, bytes, truncated },
  };
}

export function fileChip(input: FileInput, limitBytes = MAX_CHIP_BYTES): ContextChip {
  const { text, bytes, truncated } = boundedText(input.text, limitBytes);
  return {
    kind: 'file',
    id: `file:${input.path}`,
    label: basename(input.path),
    title: titleOf(`File: ${input.path}`, bytes, truncated, limitBytes),
    bytes: utf8Bytes(text),
    ...(truncated ? { cut: `cut to ${formatBytes(limitBytes)}` } : {}),
    entry: { path: input.path, language: input.language, text, bytes, truncated },
  };
}

/** The list of open editors (paths, not contents), at most MAX_OPEN_EDITORS, the active one first. */
export function openEditorsChip(editors: readonly OpenEditorEntry[], limitBytes = MAX_CHIP_BYTES): ContextChip {
  const ordered = [...editors.filter((e) => e.active), ...editors.filter((e) => !e.active)];
  const kept = fitList(ordered.slice(0, MAX_OPEN_EDITORS), limitBytes);
  const truncated = kept.length < editors.length;
  const bytes = utf8Bytes(JSON.stringify(kept));
  return {
    kind: 'openEditors',
    id: 'openEditors',
    label: `Open editors (${truncated ? `${kept.length} of ${editors.length}` : editors.length})`,
    title: `Open editors: ${kept.map((e) => e.path).join(', ') || 'none'}${truncated ? ` (the first ${kept.length} of ${editors.length})` : ''}`,
    bytes,
    ...(truncated ? { cut: `${kept.length} of ${editors.length} sent` } : {}),
    entry: kept,
  };
}

/** A file's problems, errors first, at most MAX_PROBLEMS_PER_FILE, each message cut to MAX_PROBLEM_MESSAGE_CHARS. */
export function problemsChip(path: string, problems: readonly Problem[], limitBytes = MAX_CHIP_BYTES): ContextChip {
  const rank: Record<ProblemSeverity, number> = { error: 0, warning: 1, info: 2, hint: 3 };
  let messagesCut = false;
  const sorted = [...problems]
    .sort((a, b) => rank[a.severity] - rank[b.severity] || a.line - b.line || a.column - b.column)
    .map((p) => {
      if (p.message.length <= MAX_PROBLEM_MESSAGE_CHARS) return p;
      messagesCut = true;
      return { ...p, message: `${p.message.slice(0, MAX_PROBLEM_MESSAGE_CHARS)}…` };
    });
  const kept = fitList(sorted.slice(0, MAX_PROBLEMS_PER_FILE), limitBytes);
  const truncated = kept.length < problems.length || messagesCut;
  const entry: ProblemsEntry = { path, problems: kept, total: problems.length, truncated };
  const errors = problems.filter((p) => p.severity === 'error').length;
  const counts = `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}${errors ? `, ${errors} ${errors === 1 ? 'error' : 'errors'}` : ''}`;
  return {
    kind: 'problems',
    id: `problems:${path}`,
    label: `Problems: ${basename(path)} (${problems.length})`,
    title: `Problems of ${path}: ${counts}${kept.length < problems.length ? ` (the first ${kept.length} are sent)` : ''}`,
    bytes: utf8Bytes(JSON.stringify(kept)),
    ...(truncated ? { cut: kept.length < problems.length ? `${kept.length} of ${problems.length} sent` : 'long messages cut' } : {}),
    entry,
  };
}

/** The request's `context` fields for these chips, in the order they were added. */
export function contextFields(chips: readonly ContextChip[]): Record<string, unknown> {
  const fields: { selections?: SelectionEntry[]; files?: FileEntry[]; openEditors?: OpenEditorEntry[]; problems?: ProblemsEntry[] } = {};
  for (const chip of chips) {
    switch (chip.kind) {
      case 'selection': (fields.selections ??= []).push(chip.entry); break;
      case 'file': (fields.files ??= []).push(chip.entry); break;
      case 'openEditors': fields.openEditors = chip.entry; break;
      case 'problems': (fields.problems ??= []).push(chip.entry); break;
    }
  }
  return fields;
}

export function chipView(chip: ContextChip): ContextChipView {
  return {
    id: chip.id,
    kind: chip.kind,
    label: chip.label,
    title: chip.title,
    size: chip.cut ?? formatBytes(chip.bytes),
    cut: chip.cut !== undefined,
  };
}

function boundedText(full: string, limitBytes: number): { text: string; bytes: number; truncated: boolean } {
  const bytes = utf8Bytes(full);
  const { text, cut } = cutToBytes(full, limitBytes);
  return { text, bytes, truncated: cut };
}

/** The longest start of the list whose JSON fits in `limitBytes`. */
function fitList<T>(items: readonly T[], limitBytes: number): T[] {
  let size = 2; // []
  const kept: T[] = [];
  for (const item of items) {
    size += utf8Bytes(JSON.stringify(item)) + (kept.length ? 1 : 0);
    if (size > limitBytes) break;
    kept.push(item);
  }
  return kept;
}

function titleOf(what: string, bytes: number, truncated: boolean, limitBytes: number): string {
  return truncated ? `${what} (${formatBytes(bytes)}, cut to the first ${formatBytes(limitBytes)})` : `${what} (${formatBytes(bytes)})`;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}
