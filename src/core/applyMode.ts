/** How a run's edits reach the workspace: `runtools.applyEdits`, as the window allows it. */
export type ApplyMode = 'auto' | 'review' | 'off';

/**
 * Nothing is applied without review in an untrusted workspace, and nothing at all without a
 * folder to apply to (edits are then only shown).
 */
export function effectiveApplyMode(setting: ApplyMode, window: { hasFolder: boolean; trusted: boolean }): ApplyMode {
  if (!window.hasFolder) return 'off';
  if (setting === 'auto' && !window.trusted) return 'review';
  return setting;
}
