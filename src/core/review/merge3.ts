/**
 * Three-way merges of the user's text and the agent's, for the regions where both changed a file.
 * node-diff3 does the merging (diff3's rules: changes that overlap or touch are a conflict, never
 * a silent pick). What this file adds: line ends and a BOM that do not count as changes (the
 * user's file decides them), and conflict markers in git's diff3 style with the original lines
 * between `|||||||` and `=======`, which VS Code's built-in merge-conflict support decorates with
 * Accept Current / Accept Incoming / Accept Both.
 */
import type * as Diff3 from 'node-diff3' with { 'resolution-mode': 'import' };

// node-diff3 ships CommonJS for require() but types only as an ES module: the types come from
// the module's declaration, the code from its CommonJS build (which esbuild and Node both load).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { diff3Merge } = require('node-diff3') as typeof Diff3;

export interface MergeLabels {
  /** The user's side (VS Code: "Current Change"). */
  ours: string;
  /** The lines both started from. */
  base: string;
  /** The agent's side (VS Code: "Incoming Change"). */
  theirs: string;
}

export interface MergeOutcome {
  /** The merged text; with conflict markers where `conflicts` > 0. */
  text: string;
  conflicts: number;
}

export const MARKERS = { start: '<<<<<<<', base: '|||||||', split: '=======', end: '>>>>>>>' } as const;

/** Merges whole texts: `ours` and `theirs` both derived from `base`. */
export function mergeTexts(base: string, ours: string, theirs: string, labels: MergeLabels): MergeOutcome {
  const merged = mergeLines(split(base), split(ours), split(theirs), labels);
  return { text: joinLike(merged.lines, ours), conflicts: merged.conflicts };
}

/** Merges line lists (no line ends): the region-level merge the conflict resolution uses. */
export function mergeLines(base: string[], ours: string[], theirs: string[], labels: MergeLabels): { lines: string[]; conflicts: number } {
  const lines: string[] = [];
  let conflicts = 0;
  for (const region of diff3Merge(ours, base, theirs, { excludeFalseConflicts: true })) {
    if (region.ok) {
      lines.push(...region.ok);
      continue;
    }
    const conflict = region.conflict!;
    conflicts++;
    lines.push(
      `${MARKERS.start} ${labels.ours}`, ...conflict.a,
      `${MARKERS.base} ${labels.base}`, ...conflict.o,
      MARKERS.split, ...conflict.b,
      `${MARKERS.end} ${labels.theirs}`,
    );
  }
  return { lines, conflicts };
}

/** How many conflicts with this label on the agent's side the text still holds. */
export function countMarkers(text: string, theirsLabel: string): number {
  return text.split(/\r?\n/).filter((line) => line === `${MARKERS.end} ${theirsLabel}`).length;
}

interface TextForm { bom: boolean; crlf: boolean; finalNewline: boolean }

function formOf(text: string): TextForm {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const newlines = body.match(/\n/g)?.length ?? 0;
  const crlf = newlines > 0 && (body.match(/\r\n/g)?.length ?? 0) === newlines;
  return { bom: text.startsWith('\uFEFF'), crlf, finalNewline: body === '' || body.endsWith('\n') };
}

/** Lines without their ends; the final newline is the form's business. */
export function split(text: string): string[] {
  const body = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n/g, '\n');
  if (body === '') return [];
  const lines = body.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Lines back into a text shaped like `like`: its BOM, line ends and final newline. */
export function joinLike(lines: string[], like: string): string {
  return join(lines, formOf(like));
}

function join(lines: string[], form: TextForm): string {
  if (lines.length === 0) return form.bom ? '\uFEFF' : '';
  const eol = form.crlf ? '\r\n' : '\n';
  return (form.bom ? '\uFEFF' : '') + lines.join(eol) + (form.finalNewline ? eol : '');
}
