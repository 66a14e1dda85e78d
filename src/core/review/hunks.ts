/**
 * The hunks of one agent change, as the user reviews them: git's hunks of the change's
 * before → after (three lines of context; changes closer than that share a hunk), each of which
 * can be kept or undone on its own. jsdiff computes them. What this file adds is what a review
 * needs beyond a diff: taking one hunk alone onto a text that has moved on (the user typed, the
 * agent wrote again), forwards or backwards, and finding a hunk's lines in a document so the
 * editor can show it where it is now.
 */
import { structuredPatch } from 'diff';
import { applyHunks } from '../patch';
import type { PatchHunk } from '../patch/types';

import type { ReviewHunk } from './hunkTypes';

export type { ReviewHunk };

/** The hunks of before → after. */
export function changeHunks(before: string, after: string): ReviewHunk[] {
  return structuredPatch('before', 'after', before, after, '', '', { context: 3 }).hunks
    .map(({ oldStart, oldLines, newStart, newLines, lines }) => ({ oldStart, oldLines, newStart, newLines, lines: [...lines] }));
}

/** The same hunk the other way round (after → before): what undoing it applies. */
export function reversed(hunk: ReviewHunk): ReviewHunk {
  return {
    oldStart: hunk.newStart,
    oldLines: hunk.newLines,
    newStart: hunk.oldStart,
    newLines: hunk.oldLines,
    lines: hunk.lines.map((line) => (line[0] === '+' ? `-${line.slice(1)}` : line[0] === '-' ? `+${line.slice(1)}` : line)),
  };
}

/** Lines the hunk adds and removes (without their markers and line ends). */
export function hunkCounts(hunk: ReviewHunk): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of hunk.lines) {
    if (line[0] === '+') added++;
    else if (line[0] === '-') removed++;
  }
  return { added, removed };
}

export function addedLines(hunk: ReviewHunk): string[] {
  return hunk.lines.filter((line) => line[0] === '+').map(lineText);
}

export function removedLines(hunk: ReviewHunk): string[] {
  return hunk.lines.filter((line) => line[0] === '-').map(lineText);
}

/**
 * Applies one hunk to a text, at the exact fit nearest to where it says it goes (the text may
 * have gained or lost lines above it). Undefined when its lines are not there as it expects:
 * someone changed them.
 */
export function applyOne(text: string, hunk: ReviewHunk): string | undefined {
  const applied = applyHunks(text, [{ ...hunk, lines: [...hunk.lines] } as PatchHunk]);
  return applied.ok ? applied.text : undefined;
}

/** Where one side of a hunk is in a text now: 0-based lines, the changed ones only (without context). */
export interface HunkPlace {
  /** First line of the hunk's side in the text (its context included). */
  start: number;
  /** The changed lines of that side: [from, to) in the text; empty (from === to) for a pure insertion or deletion. */
  from: number;
  to: number;
}

/**
 * Finds the `new` side (what the agent wrote: for a written hunk) or the `old` side (what the
 * agent would replace: for a hunk waiting for review) of a hunk in the text's lines, nearest to
 * where it claims to be. Lines compare without their line ends. Undefined when not there exactly.
 */
export function locate(textLines: readonly string[], hunk: ReviewHunk, side: 'old' | 'new'): HunkPlace | undefined {
  const ops = hunk.lines.filter((line) => !line.startsWith('\\'));
  const own = side === 'new' ? '+' : '-';
  const sideOps = ops.filter((line) => line[0] === ' ' || line[0] === own);
  const wanted = sideOps.map(lineText);
  const claimed = Math.max(0, (side === 'new' ? hunk.newStart : hunk.oldStart) - (wanted.length === 0 ? 0 : 1));
  const lines = textLines.map(stripCr);
  const last = lines.length - wanted.length;
  for (let distance = 0; distance <= lines.length; distance++) {
    for (const start of distance === 0 ? [claimed] : [claimed - distance, claimed + distance]) {
      if (start < 0 || start > last) continue;
      if (!wanted.every((line, j) => lines[start + j] === line)) continue;
      const first = sideOps.findIndex((line) => line[0] === own);
      const lastOwn = sideOps.length - 1 - [...sideOps].reverse().findIndex((line) => line[0] === own);
      if (first < 0) {
        // Nothing of this side changed (a pure insertion seen from the old side, say): the place
        // is where the other side's lines go, after the context before them.
        const leading = leadingContext(ops);
        return { start, from: start + leading, to: start + leading };
      }
      return { start, from: start + first, to: start + lastOwn + 1 };
    }
    if (claimed - distance < 0 && claimed + distance > last) break;
  }
  return undefined;
}

function leadingContext(ops: string[]): number {
  let n = 0;
  while (n < ops.length && ops[n]![0] === ' ') n++;
  return n;
}

function lineText(line: string): string {
  return stripCr(line.slice(1));
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** A text as lines for `locate` (a final newline makes no extra line). */
export function textLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
