import { displayOrigin } from '../../core/run/request';
import type { ViewSnapshot } from '../../core/viewProtocol';
import type { ApiKeyStore } from '../apiKeyStore';
import { readRunSettings } from '../settings';
import { pickTargetFolder } from '../targetFolder';

/** What the views show under the composer: where runs go and where edits land. Never the key. */
export async function viewTarget(keys: ApiKeyStore): Promise<Pick<ViewSnapshot, 'auth' | 'target'>> {
  const settings = readRunSettings();
  const override = keys.sessionOverride;
  const { source } = await keys.resolve();
  let origin: string;
  try {
    origin = displayOrigin(override?.baseUrl ?? settings.baseUrl);
  } catch {
    origin = 'invalid runtools.baseUrl';
  }
  const folder = pickTargetFolder({ ask: false });
  return {
    auth: source,
    target: { origin, apiSlug: override?.apiSlug ?? settings.apiSlug, folderName: folder?.name },
  };
}
