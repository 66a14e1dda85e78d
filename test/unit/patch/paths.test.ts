import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunPlanner, checkInsideWorkspace, mapSandboxPath } from '../../../src/core/patch';

describe('mapSandboxPath', () => {
  const ok: [string, string, string?][] = [
    ['/workspace/src/App.tsx', 'src/App.tsx'],
    ['/src/App.tsx', 'src/App.tsx'],
    ['src/App.tsx', 'src/App.tsx'],
    ['./src//App.tsx', 'src/App.tsx'],
    ['/workspace', 'workspace', ''],
    ['/home/agent/proj/a.ts', 'a.ts', '/home/agent/proj'],
    ['/workspacefoo/a.ts', 'workspacefoo/a.ts'],
    ['src\\win\\path.ts', 'src/win/path.ts'],
    ['/workspace/100%.txt', '100%.txt'],
  ];
  for (const [input, relPath, sandboxRoot] of ok) {
    it(`maps ${JSON.stringify(input)}`, () => {
      assert.deepEqual(mapSandboxPath(input, sandboxRoot === undefined ? {} : { sandboxRoot }), { ok: true, relPath });
    });
  }
  const refused = ['', '   ', '/workspace', '/workspace/', '..', '/workspace/../x', 'a/../../x', 'a/%2e%2e/x', '%2E%2E%2Fx',
    'a%2fb', 'src/a\\..\\b', 'C:\\x', 'c:/x', '\\\\server\\share', '//server/share', 'a\0b', 'a\nb', '.git/config',
    'sub/.GIT/hooks/x', '...', 'a/. ./b'];
  for (const input of refused) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      const mapped = mapSandboxPath(input);
      assert.equal(mapped.ok, false);
      if (!mapped.ok) assert.ok(mapped.reason.length > 0);
    });
  }
});

describe('checkInsideWorkspace (real symlinks)', () => {
  let base: string;
  let root: string;
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-paths-'));
    root = path.join(base, 'ws');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.mkdirSync(path.join(base, 'outside'));
    fs.writeFileSync(path.join(base, 'outside', 'secret.txt'), 'secret\n');
    fs.symlinkSync(path.join(base, 'outside'), path.join(root, 'escape'));
    fs.symlinkSync(path.join(root, 'src'), path.join(root, 'alias'));
    fs.symlinkSync(path.join(base, 'outside', 'secret.txt'), path.join(root, 'secret-link.txt'));
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('accepts plain and not-yet-existing paths', async () => {
    assert.equal((await checkInsideWorkspace(root, 'src/a.ts')).ok, true);
    assert.equal((await checkInsideWorkspace(root, 'new/dir/a.ts')).ok, true);
  });
  it('accepts a symlink that stays inside', async () => {
    assert.equal((await checkInsideWorkspace(root, 'alias/a.ts')).ok, true);
  });
  it('refuses a directory symlink leading outside', async () => {
    const checked = await checkInsideWorkspace(root, 'escape/secret.txt');
    assert.equal(checked.ok, false);
    if (!checked.ok) assert.match(checked.reason, /symlink/);
  });
  it('refuses a file symlink leading outside', async () => {
    assert.equal((await checkInsideWorkspace(root, 'secret-link.txt')).ok, false);
  });
  it('the planner refuses the event and reads nothing outside', async () => {
    const read: string[] = [];
    const planner = new RunPlanner({
      readFile: async (relPath) => { read.push(relPath); return undefined; },
      checkPath: (relPath) => checkInsideWorkspace(root, relPath),
    });
    const plan = await planner.planEvent({ path: '/workspace/escape/secret.txt', diff: '@@ -1 +1 @@\n-secret\n+pwned\n' });
    assert.equal(plan.ok, false);
    if (!plan.ok) assert.equal(plan.kind, 'refused');
    assert.deepEqual(read, []);
    assert.equal(fs.readFileSync(path.join(base, 'outside', 'secret.txt'), 'utf8'), 'secret\n');
  });
});
