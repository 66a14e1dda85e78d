import * as vscode from 'vscode';
import { checkApiBaseUrl } from '../../core/trust/apiOrigin';
import { validateApiKey, type ApiKeyStore } from '../apiKeyStore';
import { ENV_API_KEY } from '../ids';
import type { RunTargets } from '../runs/runTarget';

/** `key` or `{ key, origin }` (scripts, tests); the origin defaults to where runs go by the settings. */
function keyArgs(raw: unknown): { key?: string; origin?: string } {
  if (typeof raw === 'string') return { key: raw };
  if (!raw || typeof raw !== 'object') return {};
  const { key, origin } = raw as Record<string, unknown>;
  return { key: typeof key === 'string' ? key : undefined, origin: typeof origin === 'string' ? origin : undefined };
}

/** The origin named by the argument, else the one runs go to; undefined (with a message) when not usable. */
function originFor(targets: RunTargets, given: string | undefined): { origin: string; fromRepository: boolean } | undefined {
  if (given !== undefined) {
    const checked = checkApiBaseUrl(given);
    if (checked.ok) return { origin: checked.origin, fromRepository: false };
    void vscode.window.showErrorMessage(`RunTools: the key was not saved: ${checked.message}`);
    return undefined;
  }
  const target = targets.keyOrigin();
  if (target.ok) return target;
  void vscode.window.showErrorMessage(`RunTools: runtools.baseUrl is not usable, so there is no origin to keep a key for. ${target.message}`);
  return undefined;
}

/** runtools.setApiKey: stores the key in SecretStorage for one origin, and says which. */
export async function setApiKey(keys: ApiKeyStore, targets: RunTargets, rawArgs: unknown): Promise<boolean> {
  const args = keyArgs(rawArgs);
  if (args.key !== undefined) {
    const problem = validateApiKey(args.key);
    if (problem) {
      void vscode.window.showErrorMessage(`RunTools: the key was not saved: ${problem}`);
      return false;
    }
  }
  const target = originFor(targets, args.origin);
  if (!target) return false;
  const fromRepository = target.fromRepository ? ' (named by this workspace\'s settings)' : '';
  const key = args.key ?? await vscode.window.showInputBox({
    title: `RunTools: Set API Key for ${target.origin}`,
    prompt: `Your RunTools API key for ${target.origin}${fromRepository}: kept in VS Code's secret storage and sent only to that origin`,
    placeHolder: 'rt_live_...',
    password: true,
    ignoreFocusOut: true,
    validateInput: validateApiKey,
  });
  if (!key) return false;
  await keys.store(target.origin, key.trim());
  void vscode.window.showInformationMessage(`RunTools: API key saved for ${target.origin}${fromRepository} in secret storage; it is sent only there.`);
  return true;
}

/** runtools.clearApiKey: removes the key of one origin (where runs go, or `{ origin }`). */
export async function clearApiKey(keys: ApiKeyStore, targets: RunTargets, rawArgs: unknown): Promise<boolean> {
  const target = originFor(targets, keyArgs(rawArgs).origin);
  if (!target) return false;
  await keys.clear(target.origin);
  const fromEnvironment = process.env[ENV_API_KEY] && (await keys.keyFor(target.origin)).source === 'environment'
    ? ` ${ENV_API_KEY} is still set in the environment and will be used for it.`
    : '';
  void vscode.window.showInformationMessage(`RunTools: API key for ${target.origin} removed from secret storage.${fromEnvironment}`);
  return true;
}
