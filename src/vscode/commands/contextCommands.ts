import * as vscode from 'vscode';
import type { ContextKind } from '../../core/context/contextItems';
import type { AddContextResult, ComposerContext } from '../context/composerContext';

const KINDS: readonly ContextKind[] = ['selection', 'file', 'openEditors', 'problems'];

/**
 * runtools.addContext: a context chip for the chat's next prompt. `{ kind, path? }` asks nothing
 * (`path`: workspace-relative or absolute, for `file` and `problems`); without a kind it asks
 * which. The chat view comes into sight (without the focus) so the chip is seen.
 */
export async function addContext(context: ComposerContext, reveal: () => Promise<void>, rawArgs: unknown): Promise<AddContextResult> {
  const raw = rawArgs && typeof rawArgs === 'object' ? rawArgs as Record<string, unknown> : {};
  const kind = KINDS.find((k) => k === raw.kind);
  const path = typeof raw.path === 'string' && raw.path.trim() ? raw.path.trim() : undefined;
  const result = await context.add({ kind, path });
  if ('refused' in result) void vscode.window.showWarningMessage(`RunTools: ${result.refused}`);
  if ('added' in result) await reveal();
  return result;
}
