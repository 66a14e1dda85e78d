/**
 * One run as the history keeps it on disk (a JSON file per run): what is written, and the record
 * read back from it. The files themselves are RunHistory's.
 */
import { readResumeState, type ResumeState } from '../../core/run';
import type { EditView, LoggedEvent, RunHeader } from '../../core/viewProtocol';
import type { EditSession, EditSessionJSON } from '../edits';
import { forView, RunRecord } from './runRecord';

export interface StoredRun {
  version: 1;
  header: RunHeader;
  events: LoggedEvent[];
  droppedEvents: number;
  edits: EditView[];
  /** The edit engine's own record (src/core/edits/persistence.ts), in its own versions. */
  editSession?: EditSessionJSON;
  folderUri?: string;
  /** What following the run again after a reload needs (no secret in it). */
  resume?: ResumeState;
}

/** What is written for a run: its last `eventsLimit` events (long texts cut as the views get them). */
export function storedRunOf(record: RunRecord, edits: EditSession | undefined, eventsLimit: number): StoredRun {
  const events = record.events.slice(-eventsLimit).map(forView);
  return {
    version: 1,
    header: record.header,
    events,
    droppedEvents: record.events.length - events.length,
    edits: record.edits,
    editSession: edits?.toJSON() as EditSessionJSON | undefined,
    folderUri: edits?.folder.uri.toString(),
    ...(record.resume ? { resume: record.resume } : {}),
  };
}

/** The record of a stored run (its edits' session is restored by the history, which knows the folders). */
export function recordOf(stored: StoredRun): RunRecord {
  // A run that was active when the window closed did not finish here; the controller follows
  // it again where the server allows (see RunController.followAgain).
  const wasActive = stored.header.status === 'running' || stored.header.status === 'starting';
  const header: RunHeader = wasActive
    ? { ...stored.header, status: 'interrupted', connection: undefined, control: undefined, error: { message: 'The window was closed or reloaded while this run was active.' } }
    : stored.header;
  const record = new RunRecord(header);
  const resume = stored.resume === undefined ? undefined : readResumeState(stored.resume);
  if (typeof resume === 'object') record.resume = resume;
  record.events.push(...stored.events);
  for (const edit of stored.edits) record.setEdit(edit);
  return record;
}
