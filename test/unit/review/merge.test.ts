import * as assert from 'node:assert/strict';
import { createTwoFilesPatch, parsePatch } from 'diff';
import type { PatchHunk } from '../../../src/core/patch/types';
import { countMarkers, mergeTexts } from '../../../src/core/review/merge3';
import { AGENT_MERGE_LABELS, mergeIntoChanged, placementDrift } from '../../../src/core/review/mergeHunks';

const labels = AGENT_MERGE_LABELS;
const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');
const hunksOf = (before: string, after: string): PatchHunk[] => parsePatch(createTwoFilesPatch('a', 'b', before, after))[0]!.hunks as PatchHunk[];

/** The agent read `base` and wrote `agent`; the user meanwhile made `base` into `mine`. */
function merge(base: string, agent: string, mine: string) {
  return mergeIntoChanged(mine, hunksOf(base, agent));
}

describe('merging the agent\'s hunks into a file the user changed', () => {
  const base = lines(30);
  const agent = base.replace('line 15\n', 'agent 15\n');

  it('a change above the agent\'s lines: the hunk moves down with them, and says how far', () => {
    const mine = 'mine 0a\nmine 0b\n' + base;
    const result = merge(base, agent, mine)!;
    assert.equal(result.conflicts, 0);
    assert.equal(result.text, 'mine 0a\nmine 0b\n' + agent);
    assert.equal(result.moved, 2);
    assert.equal(placementDrift(mine, hunksOf(base, agent)), 2);
  });

  it('a change below: placed where it says, nothing moved', () => {
    const mine = base.replace('line 28\n', 'mine 28\n');
    const result = merge(base, agent, mine)!;
    assert.deepEqual([result.conflicts, result.moved], [0, 0]);
    assert.equal(result.text, agent.replace('line 28\n', 'mine 28\n'));
  });

  it('changes between two hunks and in a hunk\'s context lines merge cleanly, keeping both', () => {
    const agent2 = base.replace('line 5\n', 'agent 5\n').replace('line 25\n', 'agent 25\n');
    const mine = base.replace('line 15\n', 'mine 15\n').replace('line 7\n', 'mine 7\n');
    const result = merge(base, agent2, mine)!;
    assert.equal(result.conflicts, 0);
    assert.equal(result.merged, 1, 'the first hunk\'s context (line 7) was the user\'s: merged, not placed');
    assert.equal(result.text, mine.replace('line 5\n', 'agent 5\n').replace('line 25\n', 'agent 25\n'));
  });

  it('the same line changed by both: conflict markers with both versions and the original, never a pick', () => {
    const mine = base.replace('line 15\n', 'mine 15\n');
    const result = merge(base, agent, mine)!;
    assert.equal(result.conflicts, 1);
    assert.equal(result.firstConflictLine, 15);
    const text = result.text;
    assert.match(text, /<<<<<<< Yours \(the file as it is\)\nmine 15\n\|\|\|\|\|\|\| Before the agent's change\nline 15\n=======\nagent 15\n>>>>>>> Agent's change\n/);
    assert.equal(countMarkers(text, labels.theirs), 1);
    assert.ok(text.startsWith(lines(14)) && text.endsWith(lines(30).split('\n').slice(15).join('\n')), 'the rest of the file is untouched');
  });

  it('lines the user inserted inside the agent\'s region stay, inside the conflict', () => {
    const mine = base.replace('line 15\n', 'mine 15\nmine 15b\n').replace('line 14\n', 'line 14\nmine 14b\n');
    const result = merge(base, agent, mine)!;
    assert.equal(result.conflicts, 1);
    for (const line of ['mine 14b', 'mine 15', 'mine 15b', 'agent 15', 'line 13', 'line 17']) assert.ok(result.text.includes(`${line}\n`), line);
    assert.equal(result.text.split('line 13\n').length, 2, 'no line doubled');
  });

  it('CRLF files stay CRLF, a missing final newline stays missing', () => {
    const crlfBase = base.replace(/\n/g, '\r\n');
    const mine = crlfBase.replace('line 15\r\n', 'mine 15\r\n').replace(/\r\n$/, '');
    const result = mergeIntoChanged(mine, hunksOf(base, agent))!;
    assert.equal(result.conflicts, 1);
    assert.ok(!/[^\r]\n/.test(result.text), 'every line ends CRLF');
    assert.ok(!result.text.endsWith('\n'));
  });

  it('undefined when nothing of the hunk is anywhere near', () => {
    assert.equal(merge(base, agent, lines(30, 'other')), undefined);
  });
});

describe('three-way merge of whole texts', () => {
  it('clean where the sides touch different lines; markers where they meet', () => {
    const base = 'a\nb\nc\nd\ne\n';
    assert.deepEqual(mergeTexts(base, 'A\nb\nc\nd\ne\n', 'a\nb\nc\nd\nE\n', labels), { text: 'A\nb\nc\nd\nE\n', conflicts: 0 });
    const clash = mergeTexts(base, 'a\nX\nc\nd\ne\n', 'a\nY\nc\nd\ne\n', labels);
    assert.equal(clash.conflicts, 1);
    assert.match(clash.text, /<<<<<<< .*\nX\n\|\|\|\|\|\|\| .*\nb\n=======\nY\n>>>>>>> /);
  });

  it('the user\'s line ends and BOM decide; the agent\'s LF is not a change', () => {
    const result = mergeTexts('\uFEFFa\r\nb\r\nc\r\n', '\uFEFFa\r\nb\r\nC\r\n', 'A\nb\nc\n', labels);
    assert.deepEqual(result, { text: '\uFEFFA\r\nb\r\nC\r\n', conflicts: 0 });
  });
});
