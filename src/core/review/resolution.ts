/**
 * The merge the user resolves in the editor for an edit that conflicts with their changes: the
 * agent's diff for one file, merged three-way into the file as it is at the moment the user asks
 * (not as it was when the edit arrived: they may have typed since). Conflict markers where the
 * two overlap; clean where they do not.
 */
import { mapSandboxPath, parseFileEdit } from '../patch';
import type { FileEditInput } from '../patch';
import { AGENT_MERGE_LABELS, mergeIntoChanged, type HunkMerge } from './mergeHunks';

export type Resolution = { ok: true; merge: HunkMerge } | { ok: false; reason: string };

export function resolutionFor(event: FileEditInput, relPath: string, current: string, sandboxRoot: string): Resolution {
  const parsed = parseFileEdit(event);
  if (!parsed.ok) return { ok: false, reason: `the agent's diff cannot be read: ${parsed.reason}` };
  const patch = parsed.patches.find((p) => {
    const mapped = mapSandboxPath(p.path, { sandboxRoot });
    return mapped.ok && mapped.relPath === relPath;
  });
  if (!patch) return { ok: false, reason: `the agent's diff does not change ${relPath}` };
  if (patch.kind !== 'modify' || patch.hunks.length === 0) return { ok: false, reason: `the agent's change of ${relPath} is a ${patch.kind === 'modify' ? 'change without hunks' : patch.kind}, which has no lines to merge` };
  const merge = mergeIntoChanged(current, patch.hunks, AGENT_MERGE_LABELS);
  if (!merge) return { ok: false, reason: `the lines the agent changed are nowhere in ${relPath} any more` };
  return { ok: true, merge };
}
