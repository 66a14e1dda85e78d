/**
 * How each edit state reads to the user, in every view (chat, run panel, review list, diff tab
 * titles). Only a type import: the webview bundle uses this file too.
 */
import type { EditState } from './lifecycle';

export const EDIT_STATE_LABELS: Readonly<Record<EditState, string>> = {
  received: 'Received',
  planned: 'Applying…',
  applied: 'Applied',
  pending: 'Pending review',
  accepted: 'Accepted',
  rejected: 'Rejected',
  reverted: 'Reverted',
  conflict: 'Conflict',
  refused: 'Refused',
  unreadable: 'Unreadable diff',
  failed: 'Failed',
  shown: 'Shown only',
};
