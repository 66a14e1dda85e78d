/**
 * Applying hunks to a file's current text. jsdiff's applyPatch does the matching: exact at the
 * header's line first, then the nearest exact fit outward (never before the previous hunk), and,
 * only if the caller asks for it, a bounded number of mismatched context lines (fuzzFactor).
 * It also converts a LF patch for a CRLF file and back. What it does not do is done here:
 * keeping the BOM, keeping the final-newline state when the diff disagrees about it, placing
 * the envelope's unnumbered chunks, and saying which hunk failed and what the file holds there.
 */
import { applyPatch } from 'diff';
import type { StructuredPatch } from 'diff';
import { BOM, displayLines, splitBom } from './text';
import type { HunkConflict, PatchHunk } from './types';

export interface ApplyOptions {
  /** Context lines allowed to differ per hunk (jsdiff's fuzzFactor). Default 0, as git apply. */
  fuzzFactor?: number;
}

export type ApplyResult =
  | { ok: true; text: string }
  | { ok: false; conflict: HunkConflict; reason: string };

function asPatch(hunks: PatchHunk[]): StructuredPatch {
  return { oldFileName: undefined, newFileName: undefined, oldHeader: undefined, newHeader: undefined, hunks };
}

/** A BOM on a first line of the diff is the sandbox file's BOM; the target's BOM rules. */
function withoutBom(hunks: PatchHunk[]): PatchHunk[] {
  if (!hunks.some((hunk) => hunk.lines.some((line) => line.charCodeAt(1) === 0xfeff))) return hunks;
  return hunks.map((hunk) => ({ ...hunk, lines: hunk.lines.map((line) => (line.charCodeAt(1) === 0xfeff ? line[0] + line.slice(2) : line)) }));
}

function withoutEofMarkers(hunks: PatchHunk[]): PatchHunk[] | undefined {
  if (!hunks.some((hunk) => hunk.lines.some((line) => line.startsWith('\\')))) return undefined;
  return hunks.map((hunk) => ({ ...hunk, lines: hunk.lines.filter((line) => !line.startsWith('\\')) }));
}

export function applyHunks(current: string, hunks: PatchHunk[], options: ApplyOptions = {}): ApplyResult {
  const { bom, body } = splitBom(current);
  const clean = withoutBom(hunks);
  const result = clean.some((hunk) => hunk.unpositioned)
    ? applyUnpositioned(body, clean, options)
    : applyPositioned(body, clean, options);
  if (!result.ok) return result;
  return { ok: true, text: bom ? BOM + result.text : result.text };
}

function applyPositioned(body: string, hunks: PatchHunk[], options: ApplyOptions): ApplyResult {
  const fuzzFactor = options.fuzzFactor ?? 0;
  const applied = applyPatch(body, asPatch(hunks), { fuzzFactor });
  if (applied !== false) return { ok: true, text: applied };
  if (body === '') {
    const filled = applyToEmpty(hunks);
    if (filled !== undefined) return { ok: true, text: filled };
  }
  // The sandbox file and ours may disagree only about the final newline: keep ours.
  const relaxed = withoutEofMarkers(hunks);
  if (relaxed) {
    const retried = applyPatch(body, asPatch(relaxed), { fuzzFactor });
    if (retried !== false) return { ok: true, text: retried };
  }
  return explainFailure(body, hunks, fuzzFactor);
}

/**
 * An empty file (or one holding only a BOM) is one empty line without a newline to a diff; jsdiff
 * finds no line there to match, and the retry without `\ No newline` markers would then drop the
 * newline the diff adds. Written by hand for that one shape: a single hunk whose old side is at
 * most one empty line.
 */
function applyToEmpty(hunks: PatchHunk[]): string | undefined {
  if (hunks.length !== 1) return undefined;
  const lines = hunks[0]!.lines;
  const old = lines.filter((line) => line[0] === ' ' || line[0] === '-');
  if (old.length > 1 || old.some((line) => stripCr(line.slice(1)) !== '')) return undefined;
  const added: string[] = [];
  let finalNewline = true;
  lines.forEach((line, i) => {
    if (line[0] === '+' || line[0] === ' ') {
      added.push(line.slice(1));
      finalNewline = true;
    } else if (line.startsWith('\\') && (lines[i - 1]?.[0] === '+' || lines[i - 1]?.[0] === ' ')) {
      // `\ No newline at end of file` after a line of the new side: the new file ends without one.
      finalNewline = false;
    }
  });
  if (added.length === 0) return '';
  return added.join('\n') + (finalNewline ? '\n' : '');
}

/** The first hunk whose prefix stops applying is the culprit (only computed on failure). */
function explainFailure(body: string, hunks: PatchHunk[], fuzzFactor: number): ApplyResult {
  let failing = hunks.length - 1;
  for (let k = 1; k < hunks.length; k++) {
    const prefix = hunks.slice(0, k).map((hunk) => ({ ...hunk, lines: hunk.lines.filter((line) => !line.startsWith('\\')) }));
    if (applyPatch(body, asPatch(prefix), { fuzzFactor }) === false) { failing = k - 1; break; }
  }
  return conflictAt(body, hunks[failing], failing, hunks[failing].oldStart);
}

function oldSide(hunk: PatchHunk): string[] {
  return hunk.lines.filter((line) => line[0] === ' ' || line[0] === '-' || line === '').map((line) => stripCr(line.slice(1)));
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Reports the hunk against the nearest place where most of its old lines match (within 100
 * lines of where it claimed to go), so the user sees the closest near miss, not random lines.
 */
function conflictAt(body: string, hunk: PatchHunk, hunkIndex: number, claimedLine: number): ApplyResult {
  const lines = displayLines(body);
  const expected = oldSide(hunk);
  const claimed = Math.max(0, claimedLine - 1);
  let best = Math.min(claimed, Math.max(0, lines.length - expected.length));
  let bestScore = -1;
  for (let distance = 0; distance <= 100; distance++) {
    for (const start of distance === 0 ? [claimed] : [claimed - distance, claimed + distance]) {
      if (start < 0 || start > lines.length) continue;
      let score = 0;
      for (let j = 0; j < expected.length; j++) if (lines[start + j] === expected[j]) score++;
      if (score > bestScore) { bestScore = score; best = start; }
    }
  }
  const found = lines.slice(best, best + expected.length);
  const firstDiff = expected.findIndex((line, j) => found[j] !== line);
  const detail = firstDiff < 0
    ? 'its lines are there but not where the diff places them (or the final newline differs)'
    : `line ${best + firstDiff + 1} is ${found[firstDiff] === undefined ? 'past the end of the file' : JSON.stringify(found[firstDiff])}, the diff expects ${JSON.stringify(expected[firstDiff])}`;
  return {
    ok: false,
    conflict: { hunkIndex, line: best + 1, expected, found },
    reason: `hunk ${hunkIndex + 1} (at line ${claimedLine}) does not fit: ${detail}`,
  };
}

/**
 * Envelope chunks and bare `@@` hunks carry no line numbers: place each one after the previous
 * (and after its `@@ anchor` line if it has one), or at the end for `*** End of File` and for
 * pure insertions. One jsdiff call per chunk, with compareLine refusing any line before the
 * cursor, so chunks apply in order as the envelope means.
 */
function applyUnpositioned(body: string, hunks: PatchHunk[], options: ApplyOptions): ApplyResult {
  let text = body;
  let cursor = 0; // 0-based line index before which nothing may match
  for (let h = 0; h < hunks.length; h++) {
    const hunk = hunks[h];
    const lines = text.split('\n');
    const lineCount = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
    let from = cursor;
    if (hunk.anchor !== undefined) {
      const anchor = hunk.anchor.trim();
      const at = lines.findIndex((line, j) => j >= cursor && stripCr(line).trim() === anchor);
      if (at < 0) {
        return {
          ok: false,
          conflict: { hunkIndex: h, line: cursor + 1, expected: [hunk.anchor], found: [] },
          reason: `hunk ${h + 1}: anchor line ${JSON.stringify(hunk.anchor)} not found`,
        };
      }
      from = at + 1;
    }
    let start = from;
    if (hunk.atEnd || (hunk.oldLines === 0 && hunk.anchor === undefined)) start = Math.max(from, lineCount - hunk.oldLines);
    const positioned: PatchHunk = { ...hunk, oldStart: start + 1, newStart: start + 1, unpositioned: false };
    const minLine = from + 1;
    const applied = applyPatch(text, asPatch([positioned]), {
      fuzzFactor: options.fuzzFactor ?? 0,
      compareLine: (lineNumber, line, _op, content) => lineNumber >= minLine && line === content,
    });
    if (applied === false) return conflictAt(text, positioned, h, start + 1);
    // The next chunk may not match before the first line this one changed.
    cursor = Math.max(cursor, firstChangedLine(text, applied));
    text = applied;
  }
  return { ok: true, text };
}

function firstChangedLine(before: string, after: string): number {
  let i = 0;
  const n = Math.min(before.length, after.length);
  while (i < n && before.charCodeAt(i) === after.charCodeAt(i)) i++;
  let line = 0;
  for (let j = before.indexOf('\n'); j >= 0 && j < i; j = before.indexOf('\n', j + 1)) line++;
  return line;
}

/**
 * What the agent meant the file to become, for showing next to a conflict: first with a few
 * mismatched context lines allowed (jsdiff's fuzz, which still wants the lines next to a change
 * to match), then with each hunk placed where its lines match best (placeByBestMatch), else
 * with the hunks that fit and without those that do not.
 * Skipped for very large texts, where fuzzy matching gets slow and nobody reads the result.
 */
export function bestEffortApply(current: string, hunks: PatchHunk[]): string | undefined {
  if (current.length > 1_000_000 || hunks.length === 0) return undefined;
  const fuzzy = applyHunks(current, hunks, { fuzzFactor: 3 });
  if (fuzzy.ok) return fuzzy.text;
  if (!hunks.some((hunk) => hunk.unpositioned)) {
    const { bom, body } = splitBom(current);
    const placed = placeByBestMatch(body, withoutBom(hunks));
    if (placed !== undefined) return bom ? BOM + placed : placed;
  }
  let text = current;
  let appliedAny = false;
  for (const hunk of hunks) {
    const one = applyHunks(text, [hunk], { fuzzFactor: 3 });
    if (one.ok) { text = one.text; appliedAny = true; }
  }
  return appliedAny ? text : undefined;
}

/** How far (in lines) from where a hunk claims to go placeByBestMatch looks for it. */
const PLACE_WINDOW = 100;

/**
 * Places each hunk, in order, at the position near its claimed line where the most of its
 * context lines match, provided every line it removes is there exactly and at least half of its
 * context matches. The file's own context lines are kept (the user's edits in them survive) and
 * the hunk's removals and additions are made around them. Hunks that cannot be placed are left
 * out; undefined when none can.
 */
function placeByBestMatch(body: string, hunks: PatchHunk[]): string | undefined {
  const lines = body.split('\n');
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  const terminated = finalNewline ? lines : lines.slice(0, -1);
  const eol = terminated.length > 0 && terminated.every((line) => line.endsWith('\r')) ? '\r' : '';
  const out: string[] = [];
  let cursor = 0;
  let drift = 0;
  let placed = 0;
  for (const hunk of hunks) {
    const ops = hunk.lines.filter((line) => !line.startsWith('\\')).map((line) => ({ op: line[0] ?? ' ', text: stripCr(line.slice(1)) }));
    const old = ops.filter((o) => o.op !== '+');
    const claimed = (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1) + drift;
    const at = bestPlace(lines, old, cursor, claimed);
    if (at === undefined) continue;
    out.push(...lines.slice(cursor, at));
    let i = at;
    for (const { op, text } of ops) {
      if (op === '+') out.push(text + eol);
      else if (op === '-') i++;
      else out.push(lines[i++]);
    }
    drift = at - (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1);
    cursor = i;
    placed++;
  }
  if (placed === 0) return undefined;
  out.push(...lines.slice(cursor));
  return out.join('\n') + (finalNewline ? '\n' : '');
}

function bestPlace(lines: string[], old: { op: string; text: string }[], cursor: number, claimed: number): number | undefined {
  const context = old.filter((o) => o.op !== '-').length;
  const needed = Math.ceil(context / 2);
  const last = lines.length - old.length;
  let best: number | undefined;
  let bestScore = -1;
  for (let distance = 0; distance <= PLACE_WINDOW; distance++) {
    for (const start of distance === 0 ? [claimed] : [claimed - distance, claimed + distance]) {
      if (start < cursor || start > last) continue;
      let score = 0;
      let fits = true;
      for (let j = 0; j < old.length && fits; j++) {
        const same = stripCr(lines[start + j]) === old[j].text;
        if (old[j].op === '-') fits = same;
        else if (same) score++;
      }
      if (fits && score >= needed && score > bestScore) { best = start; bestScore = score; }
    }
  }
  return best;
}
