import * as assert from 'node:assert/strict';
import { structuredPatch } from 'diff';
import { bestEffortApply } from '../../../src/core/patch/apply';
import type { PatchHunk } from '../../../src/core/patch/types';

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join('\n') + '\n';
const hunksOf = (before: string, after: string): PatchHunk[] => structuredPatch('f', 'f', before, after, '', '', { context: 3 }).hunks;

describe('bestEffortApply: the intended version of a conflict', () => {
  it('a context line next to the change differs (jsdiff fuzz refuses it): the user\'s line stays, the change is made', () => {
    const hunks = hunksOf(lines(10), lines(10).replace('line 4\n', 'agent 4\n'));
    const mine = lines(10).replace('line 5\n', 'mine 5\n');
    assert.equal(bestEffortApply(mine, hunks), mine.replace('line 4\n', 'agent 4\n'));
  });

  it('works for context differing before the change, and for several hunks with lines added in between', () => {
    const agent = lines(40).replace('line 5\n', 'agent 5\nagent 5b\n').replace('line 30\n', 'agent 30\n');
    const hunks = hunksOf(lines(40), agent);
    assert.equal(hunks.length, 2);
    const mine = lines(40).replace('line 4\n', 'mine 4\n').replace('line 31\n', 'mine 31\n').replace('line 1\n', 'top\ntop\nline 1\n');
    assert.equal(bestEffortApply(mine, hunks), mine.replace('line 5\n', 'agent 5\nagent 5b\n').replace('line 30\n', 'agent 30\n'));
  });

  it('a hunk whose removed line the user changed is left out; the others are made', () => {
    const agent = lines(40).replace('line 5\n', 'agent 5\n').replace('line 30\n', 'agent 30\n');
    const hunks = hunksOf(lines(40), agent);
    const mine = lines(40).replace('line 5\n', 'mine 5\n').replace('line 31\n', 'mine 31\n');
    assert.equal(bestEffortApply(mine, hunks), mine.replace('line 30\n', 'agent 30\n'));
    assert.equal(bestEffortApply(lines(40).replace('line 5\n', 'mine 5\n'), hunksOf(lines(40), lines(40).replace('line 5\n', 'agent 5\n'))), undefined);
  });

  it('does not place a hunk where too little of its context matches', () => {
    const hunks = hunksOf(lines(10), lines(10).replace('line 4\n', 'agent 4\n'));
    const other = lines(10, 'other').replace('other 4\n', 'line 4\n');
    assert.equal(bestEffortApply(other, hunks), undefined);
  });

  it('keeps CRLF line endings, the BOM and a missing final newline', () => {
    const hunks = hunksOf(lines(10), lines(10).replace('line 4\n', 'agent 4\n'));
    const mine = '\uFEFF' + lines(10).replace('line 5\n', 'mine 5\n').replace(/\n/g, '\r\n').replace(/\r\n$/, '');
    assert.equal(bestEffortApply(mine, hunks), mine.replace('line 4\r\n', 'agent 4\r\n'));
  });

  it('finds a hunk that moved, within bounds', () => {
    const hunks = hunksOf(lines(30), lines(30).replace('line 20\n', 'agent 20\n'));
    const mine = lines(12, 'new') + lines(30).replace('line 21\n', 'mine 21\n');
    assert.equal(bestEffortApply(mine, hunks), mine.replace('line 20\n', 'agent 20\n'));
  });
});
