import * as vscode from 'vscode';
import { checkDevUrl } from '../core/trust/devUrl';
import { readRunSettings, type OpenDevUrlSetting } from './settings';

/** Only http(s) URLs are opened; anything else from the network is refused with a reason. */
export function parseDevUrl(url: string): { ok: true; uri: vscode.Uri } | { ok: false; reason: string } {
  const checked = checkDevUrl(url);
  return checked.ok ? { ok: true, uri: vscode.Uri.parse(checked.url) } : checked;
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

/**
 * A button or command asked for the dev URL: opened as `runtools.openDevUrl` says; `off` only
 * stops it opening by itself, so a click then opens it in the Simple Browser.
 */
export function openDevUrlOnRequest(url: string): Promise<{ opened: boolean; reason?: string }> {
  return openDevUrl(url, readRunSettings().openDevUrl === 'external' ? 'external' : 'simpleBrowser');
}
