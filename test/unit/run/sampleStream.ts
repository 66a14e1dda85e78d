import type { RunEvent } from '../../../src/core/run/events';

/**
 * A run that uses every event type and every SSE feature the protocol allows: comments,
 * `retry:`, `id:`, multi-line `data:`, the name in `type`, non-JSON data, an unknown event,
 * and multi-byte UTF-8 (so that cuts land inside characters).
 */
export const sampleStreamLf = [
  ': connected, keep-alive comment',
  'retry: 3000',
  '',
  'event: thinking',
  'data: {"content":"Let me look at the café ☕ code…"}',
  '',
  'id: 1',
  'event: tool_call',
  'data: {"tool":"bash","input":{"command":"ls -la /src"}}',
  '',
  'event: tool_result',
  'data: {"tool":"bash","output":"total 8\\nApp.tsx\\n"}',
  '',
  ':ping',
  'data: {"type":"thinking","content":"Named by its type field 🚀"}',
  '',
  'event: file_edit',
  'data: {"path":"/src/App.tsx","action":"modify",',
  'data: "diff":"--- a/src/App.tsx\\n+++ b/src/App.tsx\\n@@ -1 +1 @@\\n-old\\n+new ✓\\n"}',
  '',
  'event: dev_url',
  'data: {"url":"https://sandbox-xyz.sandboxes.runtools.ai","port":3000}',
  '',
  'event: error',
  'data: {"message":"npm test failed","code":"tool_error"}',
  '',
  'event: progress',
  'data: {"percent":50}',
  '',
  'event: thinking',
  'data: plain text, not JSON',
  'data: over two lines',
  '',
  'event: complete',
  'data: {"output":"Done: changed App.tsx","files":["/src/App.tsx"],"devUrl":"https://sandbox-xyz.sandboxes.runtools.ai","usage":{"inputTokens":1234,"outputTokens":5678}}',
  '',
  '',
].join('\n');

export const sampleStreamCrlf = sampleStreamLf.replace(/\n/g, '\r\n');
export const sampleStreamCr = sampleStreamLf.replace(/\n/g, '\r');

export const sampleEvents: RunEvent[] = [
  { type: 'thinking', content: 'Let me look at the café ☕ code…' },
  { type: 'tool_call', tool: 'bash', input: { command: 'ls -la /src' } },
  { type: 'tool_result', tool: 'bash', output: 'total 8\nApp.tsx\n' },
  { type: 'thinking', content: 'Named by its type field 🚀' },
  { type: 'file_edit', path: '/src/App.tsx', action: 'modify', diff: '--- a/src/App.tsx\n+++ b/src/App.tsx\n@@ -1 +1 @@\n-old\n+new ✓\n' },
  { type: 'dev_url', url: 'https://sandbox-xyz.sandboxes.runtools.ai', port: 3000 },
  { type: 'error', message: 'npm test failed', code: 'tool_error' },
  { type: 'unknown', event: 'progress', data: { percent: 50 } },
  { type: 'thinking', content: 'plain text, not JSON\nover two lines' },
  {
    type: 'complete',
    output: 'Done: changed App.tsx',
    files: ['/src/App.tsx'],
    devUrl: 'https://sandbox-xyz.sandboxes.runtools.ai',
    usage: { inputTokens: 1234, outputTokens: 5678 },
  },
];

/** Byte offsets just after each complete event (its blank line), for the cut tests. */
export function eventEndOffsets(stream: string, lineEnd = '\n'): number[] {
  const bytes = Buffer.from(stream, 'utf8');
  const separator = Buffer.from(lineEnd + lineEnd, 'utf8');
  const ends: number[] = [];
  for (let i = bytes.indexOf(separator); i !== -1; i = bytes.indexOf(separator, i + 1)) ends.push(i + separator.length);
  return ends;
}
