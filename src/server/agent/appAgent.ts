import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { DevServer } from '../devServer';
import type { AgentContext } from './context';
import { planApp } from './appTemplate';

/** Base pause between steps, in ms at delay scale 1: slow enough to watch, fast enough to wait for. */
const step = 40;
const sandboxRoot = '/workspace';

/**
 * Builds a small static web app in a sandbox of its own, reporting each step as the real service
 * would: thinking, tool calls with real output from the sandbox, one file_edit per file with a
 * jsdiff patch of the real before/after, then a dev server and `complete`.
 */
export async function runAppAgent(ctx: AgentContext): Promise<void> {
  const prompt = ctx.request.message;
  const plan = planApp(prompt);
  const sandbox = await ctx.sandboxes.folder(ctx.run.id);
  const folder = path.join(sandbox, plan.folder);
  await mkdir(folder, { recursive: true });
  const appRoot = `${sandboxRoot}/${plan.folder}`;

  const earlier = earlierTurns(ctx.request.context as Record<string, unknown> | undefined);
  for (const piece of [
    ...(earlier.length ? [`Continuing the conversation (${earlier.length} earlier turn${earlier.length === 1 ? '' : 's'}; last request: "${earlier[earlier.length - 1]}"). `] : []),
    `The request asks for a small web app: "${plan.title}". `,
    'A static page is enough here: no build step, so it can be served as it is. ',
    `Plan: a folder ${plan.folder}/ with index.html for the markup, style.css for the look, app.js for the ${plan.kind === 'todo' ? 'todo list' : 'counter'}, and a README. `,
    'State goes in localStorage so it survives a reload.',
  ]) {
    await ctx.emit('thinking', { content: piece });
    await ctx.pause(step);
  }

  await bash(ctx, `mkdir -p ${plan.folder} && cd ${plan.folder} && pwd && ls -A`, async () => {
    const entries = (await readdir(folder)).sort();
    return [appRoot, ...entries].join('\n') + '\n';
  });

  for (const file of plan.files) {
    const sandboxPath = `${appRoot}/${file.name}`;
    const diskPath = path.join(folder, file.name);
    const before = await readFile(diskPath, 'utf8').catch(() => undefined);
    await ctx.emit('tool_call', { tool: 'write_file', input: { path: sandboxPath, content: file.content } });
    await ctx.pause(step);
    await writeFile(diskPath, file.content);
    await ctx.emit('tool_result', { tool: 'write_file', output: `Wrote ${Buffer.byteLength(file.content)} bytes to ${sandboxPath}` });
    const diff = createTwoFilesPatch(
      before === undefined ? '/dev/null' : `a${sandboxPath}`,
      `b${sandboxPath}`,
      before ?? '',
      file.content,
      undefined,
      undefined,
      { headerOptions: FILE_HEADERS_ONLY },
    );
    await ctx.emit('file_edit', { path: sandboxPath, action: before === undefined ? 'create' : 'modify', diff });
    await ctx.pause(step);
  }

  const names = plan.files.map((file) => file.name);
  await bash(ctx, `wc -c ${names.join(' ')}`, async () => wordCount(folder, names));
  await bash(ctx, 'cat README.md', () => readFile(path.join(folder, 'README.md'), 'utf8'));

  await ctx.emit('thinking', { content: `Starting a static server for ${appRoot} so the app can be opened.` });
  await ctx.pause(step);
  let devServer: DevServer | undefined = await ctx.sandboxes.serve(folder);
  try {
    await ctx.emit('dev_url', { url: devServer.url, port: devServer.port });
    await ctx.pause(step);
    const bytes = plan.files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
    await ctx.emit('complete', {
      status: 'completed',
      output: summary(plan.title, plan.folder, names, devServer.url),
      files: names.map((name) => `${appRoot}/${name}`),
      devUrl: devServer.url,
      usage: { inputTokens: 180 + Math.ceil(prompt.length / 4), outputTokens: Math.ceil(bytes / 4) },
    });
    devServer = undefined;
  } finally {
    // A run cancelled before it completed takes its dev server with it.
    await devServer?.close();
  }
}

async function bash(ctx: AgentContext, command: string, output: () => Promise<string>): Promise<void> {
  await ctx.emit('tool_call', { tool: 'bash', input: { command } });
  await ctx.pause(step);
  await ctx.emit('tool_result', { tool: 'bash', output: await output() });
  await ctx.pause(step);
}

/** The output `wc -c` prints, computed from the real files. */
async function wordCount(folder: string, names: string[]): Promise<string> {
  const sizes = await Promise.all(names.map(async (name) => (await readFile(path.join(folder, name))).length));
  const total = sizes.reduce((a, b) => a + b, 0);
  const width = String(total).length;
  const rows = names.map((name, i) => `${String(sizes[i]).padStart(width)} ${name}`);
  return [...rows, `${String(total).padStart(width)} total`].join('\n') + '\n';
}

/** The user turns of `context.history`, as the extension sends them for chat follow-ups. */
function earlierTurns(context: Record<string, unknown> | undefined): string[] {
  const history = context?.history;
  if (!Array.isArray(history)) return [];
  return history
    .filter((turn): turn is { role: string; content: string } => !!turn && turn.role === 'user' && typeof turn.content === 'string')
    .map((turn) => (turn.content.length > 80 ? `${turn.content.slice(0, 77)}...` : turn.content));
}

function summary(title: string, folder: string, names: string[], url: string): string {
  return [
    `## ${title}`,
    '',
    `Built a small static web app in \`${folder}/\`:`,
    '',
    ...names.map((name) => `- \`${folder}/${name}\``),
    '',
    `It is running at ${url}`,
  ].join('\n');
}
