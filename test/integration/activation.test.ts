import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, Views } from '../../src/vscode/ids';
import { testHooks } from './helpers';

describe('activation', () => {
  it('the extension is present and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command package.json contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed: string[] = extension.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.includes(Commands.openChat));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
  });

  it('opens the chat view from its command', async () => {
    await vscode.commands.executeCommand(Commands.openChat);
    // The view's own focus command exists only once the view is contributed and known to the workbench.
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has(`${Views.chat}.focus`));
  });

  it('returns test hooks in extension-test mode (and only there)', async () => {
    const hooks = await testHooks();
    assert.equal(typeof hooks.setAnswerer, 'function');
  });
});
