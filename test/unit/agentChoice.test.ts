import * as assert from 'node:assert/strict';
import { checkAgentSlug, formatParams, MAX_RECENT_AGENTS, parseAgentParams, rememberRecent } from '../../src/core/agents/agentChoice';

describe('the agent picker\'s rules', () => {
  it('takes a slug of one word, trimmed', () => {
    assert.deepEqual(checkAgentSlug('  my-agent_2 '), { ok: true, value: 'my-agent_2' });
    assert.deepEqual(checkAgentSlug('team/agent@v2'), { ok: true, value: 'team/agent@v2' });
    for (const bad of ['', '   ', 'two words', 'a\nb', 'x'.repeat(201), 'ag<ent>']) assert.equal(checkAgentSlug(bad).ok, false, JSON.stringify(bad));
  });

  it('params: empty is none; otherwise a JSON object, with a clear error for the rest', () => {
    assert.deepEqual(parseAgentParams(''), { ok: true, value: {} });
    assert.deepEqual(parseAgentParams(' {"model": "fast", "n": 2} '), { ok: true, value: { model: 'fast', n: 2 } });
    const invalid = parseAgentParams('{"model": fast}');
    assert.equal(invalid.ok, false);
    if (!invalid.ok) assert.match(invalid.message, /^Params are not valid JSON: /);
    for (const [text, what] of [['[1]', 'an array'], ['"fast"', 'a string'], ['3', 'a number'], ['null', 'null'], ['true', 'a boolean']]) {
      const result = parseAgentParams(text!);
      assert.equal(result.ok, false, text);
      if (!result.ok) assert.equal(result.message, `Params must be a JSON object, like {"model": "fast"}, not ${what}.`);
    }
    assert.equal(parseAgentParams(`{"a": "${'x'.repeat(17_000)}"}`).ok, false);
  });

  it('keeps the recent agents newest first, once each, at most eight', () => {
    let recent: string[] = [];
    for (const slug of ['a', 'b', 'c', 'a']) recent = rememberRecent(recent, slug);
    assert.deepEqual(recent, ['a', 'c', 'b']);
    for (let i = 0; i < 20; i++) recent = rememberRecent(recent, `s${i}`);
    assert.equal(recent.length, MAX_RECENT_AGENTS);
    assert.equal(recent[0], 's19');
  });

  it('shows params as pretty JSON, none as empty', () => {
    assert.equal(formatParams({}), '');
    assert.equal(formatParams(undefined), '');
    assert.equal(formatParams({ model: 'fast' }), '{\n  "model": "fast"\n}');
  });
});
