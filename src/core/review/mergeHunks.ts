/**
 * An agent's diff on a file the user has changed since the agent read it. Each hunk whose lines
 * are still there is placed where they are now (the user's edits above it moved it); a hunk
 * whose lines the user changed is merged three-way over its region: the hunk's old side is the
 * base, its new side the agent's version, and the file's lines where the old side matches best
 * the user's version. Where the two do not overlap the merge is clean; where they do, the region
 * gets conflict markers (merge3.ts), for the user to resolve in the editor. Written by hand
 * because no library merges a bare hunk: diff3 wants whole texts, and the agent sends only hunks.
 */
import { diffArrays } from 'diff';
import type { PatchHunk } from '../patch/types';
import { joinLike, mergeLines, split, type MergeLabels } from './merge3';

export const AGENT_MERGE_LABELS: MergeLabels = {
  ours: 'Yours (the file as it is)',
  base: "Before the agent's change",
  theirs: "Agent's change",
};

export interface HunkMerge {
  text: string;
  /** Regions left with conflict markers. */
  conflicts: number;
  /** Hunks merged cleanly with the user's changes in their lines. */
  merged: number;
  /** The largest distance (in lines) between where a hunk said it goes and where it went. */
  moved: number;
  /** 1-based line of the first conflict marker in `text`, when there is a conflict. */
  firstConflictLine?: number;
}

/** How far (in lines) from where a hunk claims to go its region is looked for. */
const WINDOW = 200;

/**
 * The file with every hunk placed or merged; undefined when a hunk's region cannot be found at
 * all (nothing of its old side is anywhere near) or the hunks carry no positions (envelope chunks).
 */
export function mergeIntoChanged(current: string, hunks: readonly PatchHunk[], labels: MergeLabels = AGENT_MERGE_LABELS): HunkMerge | undefined {
  if (hunks.length === 0 || hunks.some((h) => h.unpositioned)) return undefined;
  const lines = split(current);
  const out: string[] = [];
  const result: HunkMerge = { text: '', conflicts: 0, merged: 0, moved: 0 };
  let cursor = 0;
  let drift = 0;
  for (const hunk of hunks) {
    const { old, neu } = sides(hunk);
    const claimed = (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1);
    const exact = nearestExact(lines, old, cursor, claimed + drift);
    if (exact !== undefined) {
      out.push(...lines.slice(cursor, exact), ...neu);
      cursor = exact + old.length;
      drift = exact - claimed;
      result.moved = Math.max(result.moved, Math.abs(drift));
      continue;
    }
    const region = bestRegion(lines, old, cursor, claimed + drift);
    if (!region) return undefined;
    const merge = mergeLines(old, lines.slice(region.from, region.to), neu, labels);
    out.push(...lines.slice(cursor, region.from), ...merge.lines);
    cursor = region.to;
    drift = region.from - claimed;
    if (merge.conflicts > 0) result.firstConflictLine ??= out.length + 1 - merge.lines.length + merge.lines.findIndex((line) => line.startsWith('<<<<<<<'));
    result.conflicts += merge.conflicts;
    if (merge.conflicts === 0) result.merged++;
  }
  out.push(...lines.slice(cursor));
  result.text = joinLike(out, current);
  return result;
}

/**
 * How far the hunks of a diff that applied had to move from where they claim to go (the user's
 * edits above them): 0 when each is where it says.
 */
export function placementDrift(current: string, hunks: readonly PatchHunk[]): number {
  if (hunks.some((h) => h.unpositioned)) return 0;
  const lines = split(current);
  let cursor = 0;
  let drift = 0;
  let moved = 0;
  for (const hunk of hunks) {
    const { old } = sides(hunk);
    const claimed = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    const at = nearestExact(lines, old, cursor, claimed + drift);
    if (at === undefined) return moved;
    drift = at - claimed;
    moved = Math.max(moved, Math.abs(drift));
    cursor = at + old.length;
  }
  return moved;
}

function sides(hunk: PatchHunk): { old: string[]; neu: string[] } {
  const ops = hunk.lines.filter((line) => !line.startsWith('\\')).map((line) => ({ op: line[0] ?? ' ', text: stripCr(line.slice(1)) }));
  return {
    old: ops.filter((o) => o.op !== '+').map((o) => o.text),
    neu: ops.filter((o) => o.op !== '-').map((o) => o.text),
  };
}

function nearestExact(lines: string[], old: string[], cursor: number, claimed: number): number | undefined {
  const last = lines.length - old.length;
  const from = Math.min(Math.max(claimed, cursor), Math.max(last, cursor));
  for (let distance = 0; distance <= lines.length; distance++) {
    const below = from + distance;
    const above = from - distance;
    if (below <= last && matchesAt(lines, old, below)) return below;
    if (distance > 0 && above >= cursor && above <= last && matchesAt(lines, old, above)) return above;
    if (below > last && above < cursor) break;
  }
  return undefined;
}

function matchesAt(lines: string[], old: string[], start: number): boolean {
  for (let j = 0; j < old.length; j++) if (lines[start + j] !== old[j]) return false;
  return true;
}

/**
 * The user's lines that stand for the hunk's old side: around the place where most of its lines
 * match, aligned line by line (the user may have added or removed lines inside it), widened by
 * the old side's unmatched lines at either end.
 */
function bestRegion(lines: string[], old: string[], cursor: number, claimed: number): { from: number; to: number } | undefined {
  if (old.length === 0) {
    const at = Math.min(Math.max(claimed, cursor), lines.length);
    return { from: at, to: at };
  }
  let best = -1;
  let bestScore = 0;
  for (let distance = 0; distance <= WINDOW; distance++) {
    for (const start of distance === 0 ? [claimed] : [claimed - distance, claimed + distance]) {
      if (start < cursor || start >= lines.length) continue;
      let score = 0;
      for (let j = 0; j < old.length; j++) if (lines[start + j] === old[j]) score++;
      if (score > bestScore) { bestScore = score; best = start; }
    }
  }
  if (best < 0) return undefined;
  const windowFrom = Math.max(cursor, best - old.length);
  const windowTo = Math.min(lines.length, best + 2 * old.length);
  const window = lines.slice(windowFrom, windowTo);
  let oldIndex = 0;
  let windowIndex = 0;
  let first: { old: number; at: number } | undefined;
  let lastMatch: { old: number; at: number } | undefined;
  for (const part of diffArrays(old, window)) {
    const count = part.count ?? part.value.length;
    if (part.added) { windowIndex += count; continue; }
    if (part.removed) { oldIndex += count; continue; }
    first ??= { old: oldIndex, at: windowIndex };
    lastMatch = { old: oldIndex + count - 1, at: windowIndex + count - 1 };
    oldIndex += count;
    windowIndex += count;
  }
  if (!first || !lastMatch) return undefined;
  const from = Math.max(cursor, windowFrom + first.at - first.old);
  const to = Math.min(lines.length, windowFrom + lastMatch.at + 1 + (old.length - 1 - lastMatch.old));
  return { from, to: Math.max(from, to) };
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
