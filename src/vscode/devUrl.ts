import * as vscode from 'vscode';
import type { OpenDevUrlSetting } from './settings';

/** Only http(s) URLs are opened; anything else from the network is refused with a reason. */
export function parseDevUrl(url: string): { ok: true; uri: vscode.Uri } | { ok: false; reason: string } {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { ok: false, reason: `"${url.slice(0, 200)}" is not a URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `only http and https dev URLs are opened, not ${parsed.protocol}` };
  }
  return { ok: true, uri: vscode.Uri.parse(parsed.toString()) };
}

/**
 * Opens the agent's dev server: through asExternalUri (so it also works in remote and web
 * windows), in the Simple Browser beside the editor without taking focus, or externally.
 */
export async function openDevUrl(url: string, how: OpenDevUrlSetting | 'simpleBrowser' | 'external'): Promise<{ opened: boolean; reason?: string }> {
  const parsed = parseDevUrl(url);
  if (!parsed.ok) return { opened: false, reason: parsed.reason };
  if (how === 'off') return { opened: false, reason: 'runtools.openDevUrl is off' };
  const external = await vscode.env.asExternalUri(parsed.uri);
  if (how === 'external') {
    return { opened: await vscode.env.openExternal(external) };
  }
  await vscode.commands.executeCommand('simpleBrowser.api.open', external, {
    viewColumn: vscode.ViewColumn.Beside,
    preserveFocus: true,
  });
  return { opened: true };
}
