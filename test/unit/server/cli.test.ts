import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

const cli = path.resolve(__dirname, '../../../src/server/cli.ts');

/** Runs the CLI as `npm run server` would (tsx), and returns its first stdout line and the process. */
async function launch(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  return { child, first };
}

describe('local server: CLI', () => {
  it('prints its base URL and key as JSON, serves, and stops cleanly on SIGTERM', async () => {
    const { child, first } = await launch(['--json', '--key', 'rt_test_cli_key', '--delay-scale', '0']);
    const { baseUrl, apiKey } = JSON.parse(first) as { baseUrl: string; apiKey: string };
    assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(apiKey, 'rt_test_cli_key');
    const response = await fetch(`${baseUrl}/v1/run/demo`, {
      method: 'POST',
      headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'x', params: { scenario: 'demo' } }),
    });
    assert.equal(((await response.json()) as any).data.status, 'completed');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    await assert.rejects(fetch(`${baseUrl}/health`));
  });

  it('prints a banner in open mode and stops on SIGINT', async () => {
    const { child, first } = await launch(['--open']);
    const baseUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(first)?.[0];
    assert.ok(baseUrl, first);
    assert.equal((await fetch(`${baseUrl}/v1/run`)).status, 200, 'no key needed');
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });

  it('refuses a bad flag value with exit code 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.match(stderr, /--port/);
  });
});
