import * as assert from 'node:assert/strict';
import { effectiveApplyMode } from '../../src/core/applyMode';

describe('effective apply mode', () => {
  it('an untrusted workspace reviews what would be applied automatically', () => {
    assert.equal(effectiveApplyMode('auto', { hasFolder: true, trusted: false }), 'review');
    assert.equal(effectiveApplyMode('review', { hasFolder: true, trusted: false }), 'review');
    assert.equal(effectiveApplyMode('off', { hasFolder: true, trusted: false }), 'off');
  });

  it('a trusted workspace follows the setting', () => {
    for (const mode of ['auto', 'review', 'off'] as const) assert.equal(effectiveApplyMode(mode, { hasFolder: true, trusted: true }), mode);
  });

  it('without a folder, edits are only shown', () => {
    assert.equal(effectiveApplyMode('auto', { hasFolder: false, trusted: true }), 'off');
  });
});
