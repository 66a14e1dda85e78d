import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/vscode/ids';
import { waitFor } from './helpers';

interface Keybinding { key: string; command: string; when?: string }

/**
 * Built-in shortcuts we share a key with on purpose, and why they never meet: the when-clauses
 * exclude each other.
 */
const KNOWN_OVERLAPS: Record<string, { commands: string[]; why: string }> = {
  'ctrl+alt+r': {
    commands: ['workbench.action.terminal.runRecentCommand', 'workbench.action.terminal.sendSequence'],
    why: 'the terminal ones need terminal focus; Run Agent on Selection needs editorTextFocus',
  },
};

/** VS Code's own list of every default shortcut, resolved for this platform (what Preferences shows). */
async function defaultKeybindings(): Promise<Keybinding[]> {
  await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
  await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === 'vscode://defaultsettings/keybindings.json', 'the default keybindings file');
  const text = vscode.window.activeTextEditor!.document.getText();
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  // JSON with whole-line comments only (and "Here are other available commands" as comments).
  return JSON.parse(text.split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n')) as Keybinding[];
}

describe('keybindings', () => {
  it('collide with no built-in shortcut of VS Code 1.100 (bar the overlaps written down above)', async () => {
    const all = await defaultKeybindings();
    assert.ok(all.length > 500, `the default list looks incomplete (${all.length} entries)`);
    const ours = all.filter((binding) => binding.command.startsWith('runtools.'));
    const contributed = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.keybindings as unknown[];
    assert.equal(ours.length, contributed.length, 'every contributed shortcut is in the list');
    const collisions: string[] = [];
    for (const binding of ours) {
      const allowed = KNOWN_OVERLAPS[binding.key]?.commands ?? [];
      for (const other of all) {
        if (other.key !== binding.key || other.command.startsWith('runtools.') || other.command.startsWith('-')) continue;
        if (!allowed.includes(other.command)) collisions.push(`${binding.key}: ${binding.command} and ${other.command}`);
      }
    }
    assert.deepEqual(collisions, []);
    assert.ok(ours.some((binding) => binding.command === 'runtools.openChat' && binding.key === 'ctrl+alt+y'), JSON.stringify(ours));
  });
});
