import type { ViewSnapshot } from '../../core/viewProtocol';
import type { RunTargets } from '../runs/runTarget';
import { readRunSettings } from '../settings';
import { pickTargetFolder } from '../targetFolder';

/** What the views show under the composer: where runs go and where edits land. Never the key. */
export async function viewTarget(targets: RunTargets): Promise<Pick<ViewSnapshot, 'auth' | 'target'>> {
  const { origin, apiSlug, auth } = await targets.preview();
  const folder = pickTargetFolder({ ask: false });
  return { auth, target: { origin, apiSlug, folderName: folder?.name, sandboxRoot: readRunSettings(folder?.uri).sandboxRoot } };
}
