import * as assert from 'node:assert/strict';
import { strictestOf, unionOfLists } from '../../../src/core/trust/tightenOnly';

const applyOrder = ['auto', 'review', 'off'] as const;

describe('tighten-only settings: a repository may make things stricter, never looser', () => {
  it('a workspace value stricter than the user\'s wins; a looser one is ignored', () => {
    assert.deepEqual(strictestOf({ defaultValue: 'auto', workspaceValue: 'review' }, applyOrder, 'auto'), { value: 'review', from: 'workspace' });
    assert.deepEqual(strictestOf({ defaultValue: 'auto', globalValue: 'review', workspaceValue: 'auto' }, applyOrder, 'auto'), { value: 'review', from: 'user' });
    assert.deepEqual(strictestOf({ defaultValue: 'auto', globalValue: 'off', workspaceValue: 'review', workspaceFolderValue: 'auto' }, applyOrder, 'auto'), { value: 'off', from: 'user' });
    assert.deepEqual(strictestOf({ defaultValue: 'auto', workspaceValue: 'review', workspaceFolderValue: 'off' }, applyOrder, 'auto'), { value: 'off', from: 'workspaceFolder' });
  });

  it('the user may loosen the default; nothing else counts for the base', () => {
    assert.deepEqual(strictestOf({ defaultValue: 'review', globalValue: 'auto' }, applyOrder, 'review'), { value: 'auto', from: 'user' });
    assert.deepEqual(strictestOf(undefined, applyOrder, 'review'), { value: 'review', from: 'default' });
  });

  it('values outside the order are ignored in every layer', () => {
    assert.deepEqual(strictestOf({ defaultValue: 'auto', globalValue: 'bogus', workspaceValue: 7 }, applyOrder, 'auto'), { value: 'auto', from: 'default' });
  });

  it('lists: the user\'s list (or the default) plus the repository\'s entries, never fewer', () => {
    const defaults = ['**/.vscode/**', '**/.env'];
    assert.deepEqual(unionOfLists({ workspaceValue: [] }, defaults).map((e) => e.value), defaults, 'an empty workspace list removes nothing');
    assert.deepEqual(unionOfLists({ workspaceValue: ['secrets/**', '**/.env'], workspaceFolderValue: ['infra/**'] }, defaults), [
      { value: '**/.vscode/**', from: 'default' }, { value: '**/.env', from: 'default' },
      { value: 'secrets/**', from: 'workspace' }, { value: 'infra/**', from: 'workspaceFolder' },
    ]);
    assert.deepEqual(unionOfLists({ globalValue: [] }, defaults), [], 'the user may switch protection off');
    assert.deepEqual(unionOfLists({ globalValue: ['a/**', 3, ''], workspaceValue: 'not a list' }, defaults), [{ value: 'a/**', from: 'user' }]);
  });
});
