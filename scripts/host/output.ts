/** Where a child process's output goes: a details file (npm start keeps its console short), or our own stdio. */
import type { StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function withOutput<T>(details: string | undefined, task: (stdio: StdioOptions) => T): T {
  if (!details) return task('inherit');
  fs.mkdirSync(path.dirname(details), { recursive: true });
  const fd = fs.openSync(details, 'a');
  try {
    return task(['ignore', fd, fd]);
  } finally {
    fs.closeSync(fd);
  }
}
