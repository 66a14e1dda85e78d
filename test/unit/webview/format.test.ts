import * as assert from 'node:assert/strict';
import { compactJson, countDiffLines, formatDuration, formatUsage, lastLines } from '../../../src/webview/format';
import { truncateForView } from '../../../src/webview/truncate';

describe('webview formatting', () => {
  it('formats durations from tenths of a second to hours', () => {
    assert.equal(formatDuration(0), '0.0s');
    assert.equal(formatDuration(1234), '1.2s');
    assert.equal(formatDuration(42_000), '42s');
    assert.equal(formatDuration(65_000), '1m 05s');
    assert.equal(formatDuration(3_725_000), '1h 02m');
    assert.equal(formatDuration(-5), '0.0s');
    assert.equal(formatDuration(Number.NaN), '0.0s');
  });

  it('formats token usage, extra counters included', () => {
    assert.equal(formatUsage(undefined), '');
    assert.equal(formatUsage({}), '');
    assert.equal(formatUsage({ inputTokens: 12_345, outputTokens: 678, cacheRead: 9 }), 'Tokens: 12,345 in · 678 out · 9 cacheRead');
  });

  it('writes JSON on one line, and values JSON cannot represent as text', () => {
    assert.equal(compactJson({ path: 'src/a.ts', lines: [1, 2] }), '{"path":"src/a.ts","lines":[1,2]}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.equal(compactJson(circular), '[object Object]');
    assert.equal(compactJson(undefined), 'undefined');
  });

  it('counts added and removed lines of a diff without its headers', () => {
    const diff = '--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@\n-old\n+new\n+more\n context';
    assert.deepEqual(countDiffLines(diff), { added: 2, removed: 1 });
    assert.deepEqual(countDiffLines(''), { added: 0, removed: 0 });
  });

  it('keeps the last lines of a text', () => {
    assert.equal(lastLines('a\nb\nc\nd\n\n', 2), 'c\nd');
    assert.equal(lastLines('x'.repeat(5000), 3, 10), 'x'.repeat(10));
  });
});

describe('webview truncation', () => {
  it('leaves short text alone', () => {
    assert.deepEqual(truncateForView('one\ntwo'), { text: 'one\ntwo', cut: false, hiddenLines: 0 });
  });

  it('cuts by lines', () => {
    const text = Array.from({ length: 100 }, (_, index) => `line ${index}`).join('\n');
    const view = truncateForView(text, { maxLines: 10, maxChars: 10_000 });
    assert.equal(view.cut, true);
    assert.equal(view.text.split('\n').length, 10);
    assert.equal(view.hiddenLines, 90);
  });

  it('cuts by characters (one huge line)', () => {
    const view = truncateForView('y'.repeat(50_000), { maxLines: 10, maxChars: 1000 });
    assert.equal(view.text.length, 1000);
    assert.equal(view.cut, true);
    assert.equal(view.hiddenLines, 0);
  });
});
