import * as assert from 'node:assert/strict';
import { chooseBaseUrl } from '../../../src/core/trust/baseUrlChoice';

const DEFAULT = 'https://api.runtools.ai';

describe('which base URL a run uses', () => {
  it('the user setting, else RUNTOOLS_API_URL, else the default: the configured origin', () => {
    assert.deepEqual(chooseBaseUrl({}, DEFAULT), { baseUrl: DEFAULT, source: 'default', configured: { baseUrl: DEFAULT, source: 'default' }, fromRepository: false });
    const env = chooseBaseUrl({ environment: 'http://127.0.0.1:8787' }, DEFAULT);
    assert.equal(env.source, 'environment');
    assert.equal(env.configured.baseUrl, 'http://127.0.0.1:8787');
    const user = chooseBaseUrl({ user: ' https://eu.runtools.ai ', environment: 'http://127.0.0.1:8787' }, DEFAULT);
    assert.equal(user.baseUrl, 'https://eu.runtools.ai');
    assert.equal(user.source, 'user');
    assert.equal(user.fromRepository, false);
  });

  it('a workspace or folder value wins, and is marked as the repository\'s when it names another origin', () => {
    const workspace = chooseBaseUrl({ user: DEFAULT, workspace: 'https://evil.example' }, DEFAULT);
    assert.equal(workspace.baseUrl, 'https://evil.example');
    assert.equal(workspace.source, 'workspace');
    assert.equal(workspace.fromRepository, true);
    assert.equal(workspace.configured.baseUrl, DEFAULT);
    const folder = chooseBaseUrl({ workspace: 'https://evil.example', workspaceFolder: 'https://other.example' }, DEFAULT);
    assert.equal(folder.source, 'workspaceFolder');
    assert.equal(folder.baseUrl, 'https://other.example');
  });

  it('a repository value on the configured origin (another path, say) needs no approval', () => {
    const same = chooseBaseUrl({ workspace: 'https://api.runtools.ai/v2-beta' }, DEFAULT);
    assert.equal(same.fromRepository, false);
    assert.equal(same.baseUrl, 'https://api.runtools.ai/v2-beta');
    // Another port or scheme is another origin.
    assert.equal(chooseBaseUrl({ workspace: 'https://api.runtools.ai:444' }, DEFAULT).fromRepository, true);
    assert.equal(chooseBaseUrl({ workspace: 'not a url' }, DEFAULT).fromRepository, true);
  });

  it('ignores empty and non-string values in any layer', () => {
    const choice = chooseBaseUrl({ workspace: '  ', workspaceFolder: 42, user: '' }, DEFAULT);
    assert.equal(choice.source, 'default');
  });
});
