/**
 * One `file_edit` event -> the per-file patches it describes, whatever the dialect
 * (docs/protocol.md section 4). The diff decides where it is explicit (headers, /dev/null, Move to);
 * `action` and `newPath` fill in what bare dialects cannot say.
 */
import type { FileEditEvent } from '../run/events';
import { isEnvelope, readEnvelope } from './envelope';
import { hasFileHeaders, isHunksOnly, readUnified } from './unified';
import type { FilePatch, ParseResult } from './types';

export type FileEditInput = Pick<FileEditEvent, 'path' | 'diff' | 'action' | 'newPath'>;

type Action = 'create' | 'modify' | 'delete' | 'rename' | undefined;

function normaliseAction(action: string | undefined): Action | 'unknown' {
  switch (action?.trim().toLowerCase()) {
    case undefined: case '': return undefined;
    case 'create': case 'add': case 'added': case 'created': return 'create';
    case 'modify': case 'update': case 'edit': case 'modified': case 'updated': case 'edited': return 'modify';
    case 'delete': case 'remove': case 'deleted': case 'removed': return 'delete';
    case 'rename': case 'move': case 'renamed': case 'moved': return 'rename';
    default: return 'unknown';
  }
}

/** Every non-blank line starts with `+` (and the text is not a diff with headers). */
function isPlusOnly(text: string): boolean {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.length > 0 && lines.every((line) => line.startsWith('+')) && !/^\+\+\+ /.test(lines[0] ?? '');
}

/** `+`-only text -> file content; a final newline is kept exactly as sent. */
function plusOnlyContent(text: string): string {
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((line) => line.slice(1));
  return lines.join('\n') + (endsWithNewline ? '\n' : '');
}

export function parseFileEdit(event: FileEditInput): ParseResult {
  const action = normaliseAction(event.action);
  if (action === 'unknown') return { ok: false, reason: `unknown action ${JSON.stringify(event.action)}` };
  const diff = typeof event.diff === 'string' ? event.diff : '';
  const path = typeof event.path === 'string' ? event.path : '';
  const newPath = typeof event.newPath === 'string' && event.newPath.trim() !== '' ? event.newPath : undefined;

  if (diff.trim() === '') {
    switch (action) {
      case 'delete': return single({ kind: 'delete', path, hunks: [], dialect: 'action' });
      case 'create': return single({ kind: 'create', path, hunks: [], content: diff, dialect: 'action' });
      case 'rename':
        if (!newPath) return { ok: false, reason: 'rename without a new path' };
        return single({ kind: 'rename', path, newPath, hunks: [], dialect: 'action' });
      default: return { ok: false, reason: 'empty diff' };
    }
  }

  if (isEnvelope(diff)) return readEnvelope(diff);

  const headers = hasFileHeaders(diff);
  if (headers || isHunksOnly(diff)) {
    const read = readUnified(diff, path);
    if (!read.ok || headers) return read;
    // Hunks only: the action says what the bare hunks cannot.
    const [patch] = read.patches;
    if (action === 'create') patch.kind = 'create';
    else if (action === 'delete') patch.kind = 'delete';
    else if (action === 'rename') {
      if (!newPath) return { ok: false, reason: 'rename without a new path' };
      patch.kind = 'rename';
      patch.newPath = newPath;
    }
    return read;
  }

  if (isPlusOnly(diff)) {
    if (action !== undefined && action !== 'create') {
      return { ok: false, reason: `whole-file content (every line starts with +) with action ${event.action}` };
    }
    return single({ kind: 'create', path, hunks: [], content: plusOnlyContent(diff), dialect: 'plus-only' });
  }

  // The documented create example is plain text; with action create, plain text is the content.
  if (action === 'create') return single({ kind: 'create', path, hunks: [], content: diff, dialect: 'action' });
  return { ok: false, reason: 'not a diff in any known dialect (unified, hunks, +-only, *** Begin Patch)' };
}

function single(patch: FilePatch): ParseResult {
  if (patch.path.trim() === '') return { ok: false, reason: 'the event names no file' };
  return { ok: true, patches: [patch] };
}
