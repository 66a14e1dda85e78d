import type { AgentContext } from './context';
import { planSelectionEdit } from './selectionEdit';

const step = 40;

/** Proposes an edit of exactly the selected lines and reports it as a `file_edit` the user's file accepts. */
export async function runSelectionAgent(ctx: AgentContext): Promise<void> {
  const edit = planSelectionEdit(ctx.request.context ?? {}, ctx.request.message);
  const sandboxPath = `/workspace/${edit.path}`;
  const range = `${edit.startLine}-${edit.endLine}`;

  await ctx.emit('thinking', { content: `Looking at lines ${range} of ${edit.path} (${edit.language}). ` });
  await ctx.pause(step);
  await ctx.emit('tool_call', { tool: 'bash', input: { command: `sed -n '${edit.startLine},${edit.endLine}p' ${edit.path}` } });
  await ctx.pause(step);
  await ctx.emit('tool_result', { tool: 'bash', output: edit.before });
  await ctx.pause(step);
  await ctx.emit('thinking', { content: 'I will add a short summary comment above them, in the language\'s comment syntax, and leave the code itself unchanged.' });
  await ctx.pause(step);
  await ctx.emit('file_edit', { path: sandboxPath, action: 'modify', diff: edit.diff });
  await ctx.pause(step);
  await ctx.emit('complete', {
    status: 'completed',
    output: [
      `Added a summary comment above lines ${range} of \`${edit.path}\`:`,
      '',
      '```' + edit.language,
      ...edit.comment,
      '```',
    ].join('\n'),
    files: [sandboxPath],
    usage: { inputTokens: 120 + Math.ceil((ctx.request.message.length + edit.before.length) / 4), outputTokens: Math.ceil(edit.diff.length / 4) },
  });
}
