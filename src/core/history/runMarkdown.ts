/**
 * A run as a Markdown document (Export Run as Markdown): what was asked, each step the agent
 * took, each file change with its diff, and the answer. Pure, from the run's full event log.
 */
import type { EditView, LoggedEvent, RunHeader } from '../viewProtocol';

export interface ExportedRun {
  header: RunHeader;
  /** The full log (not the view's cut copies). */
  events: readonly LoggedEvent[];
  edits: readonly EditView[];
}

/** Tool output longer than this is cut in the export (diffs and the answer never are). */
export const EXPORT_TOOL_OUTPUT_CHARS = 4_000;

export function runMarkdown(run: ExportedRun): string {
  const { header } = run;
  const out: string[] = [];
  out.push(`# ${escapeInline(firstLine(header.prompt))}`, '');
  const facts = [
    `**Status:** ${header.status}${header.undone ? ' (undone)' : ''}`,
    `**Started:** ${new Date(header.startedAt).toISOString()}`,
    header.endedAt !== undefined ? `**Took:** ${seconds(header.endedAt - header.startedAt)}` : undefined,
    header.folderName ? `**Folder:** ${escapeInline(header.folderName)}` : undefined,
    header.serverRunId ? `**Run id:** \`${header.serverRunId}\`` : undefined,
    header.threadId ? `**Thread:** \`${header.threadId}\`` : undefined,
  ].filter(Boolean);
  out.push(facts.map((fact) => `- ${fact}`).join('\n'), '');
  out.push('## Prompt', '');
  if (header.selection) out.push(`On \`${header.selection.path}\`, lines ${header.selection.startLine}-${header.selection.endLine}:`, '');
  out.push(fenced(header.prompt, 'text'), '');

  const steps = stepsOf(run);
  if (steps.length) out.push('## Steps', '', ...steps, '');

  if (run.edits.length) {
    out.push('## Files changed', '');
    for (const edit of run.edits) out.push(`- \`${edit.paths.join('` → `')}\`: ${edit.state}, +${edit.added} -${edit.removed}${edit.reason ? ` (${escapeInline(edit.reason)})` : ''}`);
    out.push('');
  }
  if (header.output) out.push('## Output', '', header.output.trim(), '');
  if (header.error) out.push('## Error', '', `${escapeInline(header.error.message)}${header.error.code ? ` (\`${header.error.code}\`)` : ''}${header.error.requestId ? `, request id \`${header.error.requestId}\`` : ''}`, '');
  if (header.note) out.push(`> ${escapeInline(header.note)}`, '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function stepsOf(run: ExportedRun): string[] {
  const steps: string[] = [];
  let thinking = '';
  const flushThinking = () => {
    if (thinking.trim()) steps.push(`- **Thinking:** ${escapeInline(thinking.trim().replace(/\s+/g, ' '))}`);
    thinking = '';
  };
  for (const { event, truncated } of run.events) {
    if (event.type === 'thinking') { thinking += event.content; continue; }
    flushThinking();

    switch (event.type) {
      case 'tool_call':
        steps.push(`- **Tool** \`${event.tool}\``, indent(fenced(JSON.stringify(event.input, null, 2) ?? 'null', 'json')));
        break;
      case 'tool_result':
        steps.push(`- **Result**${event.tool ? ` of \`${event.tool}\`` : ''}`, indent(fenced(cut(event.output, EXPORT_TOOL_OUTPUT_CHARS), 'text')));
        break;
      case 'file_edit':
        steps.push(`- **File edit** \`${event.path}\`${event.action ? ` (${event.action})` : ''}${event.newPath ? ` → \`${event.newPath}\`` : ''}`, indent(fenced(event.diff, 'diff')));
        break;
      case 'dev_url':
        steps.push(`- **Dev server:** <${event.url}>`);
        break;
      case 'error':
        steps.push(`- **Error:** ${escapeInline(event.message)}${event.code ? ` (\`${event.code}\`)` : ''}`);
        break;
      case 'complete':
        break; // the answer is the Output section
      case 'unknown':
        steps.push(`- **Event** \`${event.event}\``, indent(fenced(typeof event.data === 'string' ? event.data : JSON.stringify(event.data, null, 2) ?? '', 'json')));
        break;
    }
    // The history keeps long texts cut (after a reload the full text is gone): say so where it shows.
    if (truncated && event.type !== 'complete') steps.push(`  *(the ${truncated.field} is cut here: ${truncated.fullLength} characters in all)*`);
  }
  flushThinking();
  return steps;
}

/** A code block whose fence is longer than any backtick run inside it. */
export function fenced(text: string, language: string): string {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`;
}

function indent(block: string): string {
  return block.split('\n').map((line) => `  ${line}`).join('\n');
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[... ${text.length - max} more characters]`;
}

/** Text on one line of Markdown: nothing in it starts a heading, list, or HTML. */
function escapeInline(text: string): string {
  return text.replace(/[\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ');
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line || 'Run';
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
