import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO_ROOT } from '../../scripts/host/codeServer';
import { cacheRoot, startFolder } from '../../scripts/host/startFolder';

describe('npm start keeps its files outside the clone', () => {
  it('uses the platform\'s cache folder', () => {
    assert.equal(cacheRoot({}, 'linux', '/home/u'), '/home/u/.cache');
    assert.equal(cacheRoot({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u'), '/xdg');
    assert.equal(cacheRoot({}, 'darwin', '/Users/u'), '/Users/u/Library/Caches');
    assert.equal(cacheRoot({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local');
  });

  it('is the same folder on every run of one clone, another for another clone, and never inside the clone', () => {
    const env = { XDG_CACHE_HOME: '/tmp/cache' };
    const here = startFolder(env, REPO_ROOT);
    assert.equal(startFolder(env, REPO_ROOT), here);
    assert.notEqual(startFolder(env, '/elsewhere/clone'), here);
    assert.match(path.basename(here), /^start-[0-9a-f]{8}$/);
    assert.ok(path.relative(REPO_ROOT, startFolder(process.env)).startsWith('..'), 'the folder is inside the clone');
    assert.equal(startFolder({ RUNTOOLS_START_DIR: 'rel/dir' }), path.resolve('rel/dir'));
  });
});
