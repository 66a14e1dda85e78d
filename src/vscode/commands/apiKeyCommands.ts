import * as vscode from 'vscode';
import { validateApiKey, type ApiKeyStore } from '../apiKeyStore';

/** runtools.setApiKey: stores the key in SecretStorage. Takes the key as an argument (scripts, tests). */
export async function setApiKey(keys: ApiKeyStore, rawKey: unknown): Promise<boolean> {
  const given = typeof rawKey === 'string' ? rawKey : undefined;
  if (given !== undefined) {
    const problem = validateApiKey(given);
    if (problem) {
      void vscode.window.showErrorMessage(`RunTools: the key was not saved: ${problem}`);
      return false;
    }
  }
  const key = given ?? await vscode.window.showInputBox({
    title: 'RunTools: Set API Key',
    prompt: 'Your RunTools API key (kept in VS Code\'s secret storage, never in settings)',
    placeHolder: 'rt_live_...',
    password: true,
    ignoreFocusOut: true,
    validateInput: validateApiKey,
  });
  if (!key) return false;
  await keys.store(key.trim());
  void vscode.window.showInformationMessage('RunTools: API key saved in secret storage.');
  return true;
}

export async function clearApiKey(keys: ApiKeyStore): Promise<void> {
  await keys.clear();
  const fromEnvironment = process.env.RUNTOOLS_API_KEY ? ' RUNTOOLS_API_KEY is still set in the environment and will be used.' : '';
  void vscode.window.showInformationMessage(`RunTools: API key removed from secret storage.${fromEnvironment}`);
}
