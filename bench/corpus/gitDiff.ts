/**
 * Helpers for corpora made with `git diff --no-index old new`: such a diff names files as
 * `a/old/x` and `b/new/x`; rewritten to `a/x` and `b/x` it applies with plain `git apply` in a
 * copy of `old`, and each file's part is what an agent would send in one file_edit event.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface CorpusFileDiff {
  /** Workspace-relative POSIX path of the file (its new path; the old one for deletes). */
  relPath: string;
  kind: 'create' | 'modify' | 'delete';
  /** This file's git-style diff with `a/`/`b/` paths relative to the package root. */
  diff: string;
}

/**
 * Runs `git diff --no-index` between two sibling folders of `cwd` and writes the raw diff to
 * `outFile` (streamed to a file: the text can be far larger than a pipe buffer).
 */
export function gitDiffNoIndex(cwd: string, oldName: string, newName: string, outFile: string, extra: string[] = []): void {
  const fd = fs.openSync(outFile, 'w');
  try {
    const result = spawnSync('git', [
      '-c', 'core.quotepath=false', '-c', 'diff.noprefix=false', '-c', 'diff.mnemonicprefix=false',
      'diff', '--no-index', '--no-color', '--no-ext-diff', '--binary', ...extra, oldName, newName,
    ], { cwd, stdio: ['ignore', fd, 'pipe'] });
    // Exit status 1 means "there are differences"; anything else is a failure.
    if (result.status !== 0 && result.status !== 1) {
      throw new Error(`git diff --no-index failed (${result.status}): ${result.stderr?.toString()}`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Splits a git diff into per-file parts and strips the `old/`/`new/` folder from their paths. */
export function splitNoIndexDiff(text: string, oldName: string, newName: string): CorpusFileDiff[] {
  const files: CorpusFileDiff[] = [];
  const starts: number[] = [];
  // Hunk body lines start with ' ', '+', '-' or a backslash, so `diff --git` at a line start is a header.
  const nextStart = (from: number) => {
    const at = text.indexOf('\ndiff --git ', from);
    return at < 0 ? -1 : at + 1;
  };
  for (let i = text.startsWith('diff --git ') ? 0 : nextStart(0); i >= 0; i = nextStart(i)) starts.push(i);
  for (let k = 0; k < starts.length; k++) {
    const part = text.slice(starts[k], k + 1 < starts.length ? starts[k + 1] : text.length);
    files.push(rewritePart(part, oldName, newName));
  }
  return files;
}

function rewritePart(part: string, oldName: string, newName: string): CorpusFileDiff {
  const hunkAt = part.indexOf('\n@@');
  const headerEnd = hunkAt < 0 ? part.length : hunkAt + 1;
  const strip = (line: string) => line
    .replace(new RegExp(`(^|[ "])a/(?:${oldName}|${newName})/`, 'g'), '$1a/')
    .replace(new RegExp(`(^|[ "])b/(?:${oldName}|${newName})/`, 'g'), '$1b/')
    .replace(new RegExp(`^(rename|copy) (from|to) (?:${oldName}|${newName})/`), '$1 $2 ');
  const header = part.slice(0, headerEnd).split('\n').map(strip).join('\n');
  const kind = /^new file mode /m.test(header) ? 'create' : /^deleted file mode /m.test(header) ? 'delete' : 'modify';
  const first = header.slice(0, header.indexOf('\n') < 0 ? header.length : header.indexOf('\n'));
  const match = /^diff --git "?a\/(.*?)"? "?b\/(.*?)"?$/.exec(first);
  const relPath = match ? (kind === 'delete' ? match[1] : match[2]) : first;
  return { relPath, kind, diff: header + part.slice(headerEnd) };
}
