import { formatPatch, structuredPatch, FILE_HEADERS_ONLY } from 'diff';
import type { SelectionContext } from '../runs/request';
import { commentLine, commentSyntaxFor } from './commentSyntax';

/** The demo agent's edit of an editor selection: a summary comment above the selected lines. */
export interface SelectionEdit {
  /** Workspace-relative posix path, as the extension sent it. */
  path: string;
  language: string;
  startLine: number;
  endLine: number;
  /** The selected lines before and after, each line ending in the file's line break. */
  before: string;
  after: string;
  /** `--- a/<path>` / `+++ b/<path>` with one hunk at the selection's real line numbers. */
  diff: string;
  comment: string[];
}

/** True when the request carries a non-empty selection, which makes it a selection request. */
export function hasSelection(context: SelectionContext | undefined): boolean {
  const selection = context?.selection;
  return typeof selection === 'object' && selection !== null &&
    [selection.linesText, selection.text].some((text) => typeof text === 'string' && text.trim() !== '');
}

export function planSelectionEdit(context: SelectionContext, prompt: string): SelectionEdit {
  const selection = context.selection ?? {};
  const filePath = (typeof context.file?.path === 'string' && context.file.path.trim() !== '' ? context.file.path : 'selection.txt')
    .replace(/\\/g, '/')
    .replace(/^\/+/, '');
  const language = typeof context.file?.language === 'string' ? context.file.language : 'plaintext';
  const text = typeof selection.linesText === 'string' && selection.linesText !== '' ? selection.linesText : (selection.text ?? '');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // The selection's lines, without the break after the last one (which the file has, or not).
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const startLine = Number.isInteger(selection.startLine) && (selection.startLine as number) >= 1 ? (selection.startLine as number) : 1;
  const endLine = startLine + lines.length - 1;

  const indent = /^\s*/.exec(lines.find((line) => line.trim() !== '') ?? '')?.[0] ?? '';
  const syntax = commentSyntaxFor(language, filePath);
  const comment = [`Summary: ${describe(lines, startLine, endLine, language)}`];
  const request = prompt.trim().split(/\r?\n/)[0]?.trim() ?? '';
  if (request) comment.push(`Request: ${request.length > 100 ? `${request.slice(0, 97)}...` : request}`);
  const commentLines = comment.map((line) => indent + commentLine(syntax, line));

  const before = lines.join(eol) + eol;
  const after = [...commentLines, ...lines].join(eol) + eol;
  // Context as wide as the selection, so the hunk covers exactly those lines and nothing else.
  const patch = structuredPatch(`a/${filePath}`, `b/${filePath}`, before, after, undefined, undefined, { context: lines.length });
  for (const hunk of patch.hunks) {
    hunk.oldStart += startLine - 1;
    hunk.newStart += startLine - 1;
  }
  return { path: filePath, language, startLine, endLine, before, after, diff: formatPatch(patch, FILE_HEADERS_ONLY), comment: commentLines };
}

const declaration = /\b(function|def|fn|func|class|interface|struct|enum|trait|type|module|const|let|var)\s+([A-Za-z_$][\w$]*)/;

function describe(lines: string[], start: number, end: number, language: string): string {
  const range = start === end ? `line ${start}` : `lines ${start}-${end}`;
  const count = `${lines.length} line${lines.length === 1 ? '' : 's'}`;
  for (const line of lines) {
    const match = declaration.exec(line);
    if (match) return `${range} ${start === end ? 'defines' : 'define'} \`${match[2]}\` (${match[1]}, ${count}).`;
  }
  return `${range}, ${count} of ${language}.`;
}
