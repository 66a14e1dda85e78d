import * as assert from 'node:assert/strict';
import { cutToBytes, formatBytes, utf8Bytes } from '../../../src/core/context/byteBudget';
import { addChip, totalBytes } from '../../../src/core/context/chipSet';
import {
  chipView, contextFields, fileChip, MAX_CHIP_BYTES, MAX_CHIPS, MAX_CONTEXT_BYTES, MAX_OPEN_EDITORS, MAX_PROBLEM_MESSAGE_CHARS,
  MAX_PROBLEMS_PER_FILE, openEditorsChip, problemsChip, selectionChip, type ContextChip, type Problem,
} from '../../../src/core/context/contextItems';

const problem = (severity: Problem['severity'], line: number, message = `problem on line ${line}`): Problem => ({ severity, message, line, column: 1, endLine: line, endColumn: 5 });

describe('context chips: sizes, cuts and the fields sent in `context`', () => {
  describe('byte budget', () => {
    it('measures UTF-8 bytes, not characters', () => {
      assert.equal(utf8Bytes('abc'), 3);
      assert.equal(utf8Bytes('é'), 2);
      assert.equal(utf8Bytes('€'), 3);
      assert.equal(utf8Bytes('😀'), 4);
    });

    it('cuts at a character boundary at every offset, never half a character', () => {
      const text = 'a€😀é'.repeat(50);
      for (let max = 0; max <= utf8Bytes(text) + 1; max++) {
        const { text: cut, cut: wasCut } = cutToBytes(text, max);
        assert.ok(utf8Bytes(cut) <= max, `at ${max}: ${utf8Bytes(cut)} bytes`);
        assert.ok(text.startsWith(cut), `at ${max}: not a start of the text`);
        assert.ok(!cut.includes('\uFFFD'), `at ${max}: a broken character`);
        assert.equal(wasCut, max < utf8Bytes(text));
        // As long as possible: one more character would not fit.
        if (wasCut) assert.ok(utf8Bytes(text.slice(0, [...cut].join('').length + [...text.slice(cut.length)][0]!.length)) > max);
      }
    });

    it('labels sizes as people read them', () => {
      assert.equal(formatBytes(0), '0 B');
      assert.equal(formatBytes(1023), '1023 B');
      assert.equal(formatBytes(1536), '1.5 KB');
      assert.equal(formatBytes(64 * 1024), '64 KB');
      assert.equal(formatBytes(256 * 1024), '256 KB');
      assert.equal(formatBytes(3 * 1024 * 1024), '3 MB');
    });
  });

  describe('builders', () => {
    it('a selection: its lines, language and text, with its size', () => {
      const chip = selectionChip({ path: 'src/math.js', language: 'javascript', startLine: 1, endLine: 3, text: 'function add(a, b) {\n  return a + b;\n}' });
      assert.equal(chip.id, 'selection:src/math.js:1-3');
      assert.equal(chip.label, 'math.js:1-3');
      assert.deepEqual(chip.entry, { path: 'src/math.js', language: 'javascript', startLine: 1, endLine: 3, text: 'function add(a, b) {\n  return a + b;\n}', bytes: 38, truncated: false });
      assert.deepEqual(chipView(chip), { id: chip.id, kind: 'selection', label: 'math.js:1-3', title: 'Selection: src/math.js, lines 1-3 (38 B)', size: '38 B', cut: false });
    });

    it('a file larger than 64 KB is cut to 64 KB, and the chip says so', () => {
      const text = 'x'.repeat(100 * 1024);
      const chip = fileChip({ path: 'big/data.txt', language: 'plaintext', text });
      assert.equal(chip.kind, 'file');
      if (chip.kind !== 'file') return;
      assert.equal(chip.entry.text.length, MAX_CHIP_BYTES);
      assert.equal(chip.entry.bytes, 100 * 1024, 'the full size is sent along');
      assert.equal(chip.entry.truncated, true);
      assert.equal(chip.bytes, MAX_CHIP_BYTES);
      assert.equal(chipView(chip).size, 'cut to 64 KB');
      assert.equal(chipView(chip).cut, true);
      assert.match(chip.title, /100 KB, cut to the first 64 KB/);
    });

    it('a file of exactly 64 KB is not cut', () => {
      const chip = fileChip({ path: 'a.txt', language: 'plaintext', text: 'y'.repeat(MAX_CHIP_BYTES) });
      assert.equal(chipView(chip).cut, false);
      assert.equal(chipView(chip).size, '64 KB');
    });

    it('open editors: paths only, the active one first, at most 50', () => {
      const editors = Array.from({ length: 60 }, (_, i) => ({ path: `src/f${i}.ts`, language: 'typescript', unsaved: i === 3, active: i === 7 }));
      const chip = openEditorsChip(editors);
      if (chip.kind !== 'openEditors') return assert.fail(chip.kind);
      assert.equal(chip.entry.length, MAX_OPEN_EDITORS);
      assert.equal(chip.entry[0]!.path, 'src/f7.ts');
      assert.equal(chip.label, 'Open editors (50 of 60)');
      assert.equal(chipView(chip).size, '50 of 60 sent');
      assert.deepEqual(Object.keys(chip.entry[0]!).sort(), ['active', 'language', 'path', 'unsaved']);
      assert.equal(openEditorsChip(editors.slice(0, 2)).label, 'Open editors (2)');
    });

    it('problems: errors first then by line, at most 100, long messages cut', () => {
      const problems = [problem('warning', 2), problem('error', 9), problem('info', 1), problem('error', 4, 'e'.repeat(5000))];
      const chip = problemsChip('src/app.ts', problems);
      if (chip.kind !== 'problems') return assert.fail(chip.kind);
      assert.deepEqual(chip.entry.problems.map((p) => `${p.severity}:${p.line}`), ['error:4', 'error:9', 'warning:2', 'info:1']);
      assert.equal(chip.entry.problems[0]!.message.length, MAX_PROBLEM_MESSAGE_CHARS + 1);
      assert.equal(chip.entry.total, 4);
      assert.equal(chip.entry.truncated, true);
      assert.equal(chip.label, 'Problems: app.ts (4)');
      assert.equal(chipView(chip).size, 'long messages cut');

      const many = problemsChip('src/app.ts', Array.from({ length: 130 }, (_, i) => problem('warning', i + 1)));
      if (many.kind !== 'problems') return assert.fail(many.kind);
      assert.equal(many.entry.problems.length, MAX_PROBLEMS_PER_FILE);
      assert.equal(chipView(many).size, '100 of 130 sent');
      assert.equal(problemsChip('a.ts', [problem('hint', 1)]).cut, undefined);
    });

    it('a list is cut to the byte limit it is given, whole entries only', () => {
      const chip = problemsChip('src/app.ts', Array.from({ length: 100 }, (_, i) => problem('error', i + 1, 'm'.repeat(500))), 4096);
      if (chip.kind !== 'problems') return assert.fail(chip.kind);
      assert.ok(chip.bytes <= 4096, String(chip.bytes));
      assert.ok(chip.entry.problems.length > 0 && chip.entry.problems.length < 10);
      assert.equal(chip.bytes, utf8Bytes(JSON.stringify(chip.entry.problems)));
    });
  });

  describe('the request\'s context fields', () => {
    it('puts each kind under its documented field, in the order added', () => {
      const chips: ContextChip[] = [
        fileChip({ path: 'b.ts', language: 'typescript', text: 'b' }),
        selectionChip({ path: 'a.ts', language: 'typescript', startLine: 2, endLine: 2, text: 'x' }),
        fileChip({ path: 'c.ts', language: 'typescript', text: 'c' }),
        openEditorsChip([{ path: 'a.ts', language: 'typescript', unsaved: false, active: true }]),
        problemsChip('a.ts', [problem('error', 1)]),
      ];
      const fields = contextFields(chips) as Record<string, unknown[]>;
      assert.deepEqual(Object.keys(fields).sort(), ['files', 'openEditors', 'problems', 'selections']);
      assert.deepEqual(fields.files!.map((f) => (f as { path: string }).path), ['b.ts', 'c.ts']);
      assert.deepEqual(fields.selections, [{ path: 'a.ts', language: 'typescript', startLine: 2, endLine: 2, text: 'x', bytes: 1, truncated: false }]);
      assert.deepEqual(fields.openEditors, [{ path: 'a.ts', language: 'typescript', unsaved: false, active: true }]);
      assert.deepEqual(fields.problems, [{ path: 'a.ts', problems: [problem('error', 1)], total: 1, truncated: false }]);
      assert.deepEqual(contextFields([]), {});
    });
  });

  describe('the chips of one prompt', () => {
    const file = (name: string, kb: number) => (limit: number) => fileChip({ path: name, language: 'plaintext', text: 'z'.repeat(kb * 1024) }, limit);

    it('adding the same file again replaces its chip in place', () => {
      let chips: ContextChip[] = [];
      for (const build of [file('a', 1), file('b', 1), file('a', 2)]) {
        const result = addChip(chips, build);
        assert.ok(result.ok);
        if (result.ok) chips = result.chips;
      }
      assert.deepEqual(chips.map((c) => `${c.id}:${c.bytes}`), ['file:a:2048', 'file:b:1024']);
    });

    it('a chip beyond 256 KB together is cut to what is left, then refused once too little is left', () => {
      let chips: ContextChip[] = [];
      for (const name of ['1', '2', '3']) chips = (addChip(chips, file(name, 64)) as { chips: ContextChip[] }).chips;
      assert.equal(totalBytes(chips), 192 * 1024);
      const fourth = addChip(chips, file('4', 100));
      assert.ok(fourth.ok);
      if (!fourth.ok) return;
      assert.equal(chipView(fourth.chip).size, 'cut to 64 KB');
      chips = fourth.chips;
      assert.equal(totalBytes(chips), MAX_CONTEXT_BYTES);
      const fifth = addChip(chips, file('5', 1));
      assert.equal(fifth.ok, false);
      if (!fifth.ok) assert.match(fifth.message, /context is full \(256 KB together\)\. Remove a chip first/);
      // Replacing a chip frees its own share first.
      const again = addChip(chips, file('2', 10));
      assert.ok(again.ok);
      if (again.ok) assert.equal(totalBytes(again.chips), 202 * 1024);
    });

    it('cuts a chip to the room that is left when that is less than 64 KB', () => {
      let chips: ContextChip[] = [];
      for (const name of ['1', '2', '3']) chips = (addChip(chips, file(name, 64)) as { chips: ContextChip[] }).chips;
      chips = (addChip(chips, file('4', 50)) as { chips: ContextChip[] }).chips;
      const last = addChip(chips, file('5', 20));
      assert.ok(last.ok);
      if (!last.ok) return;
      assert.equal(last.chip.bytes, 14 * 1024);
      assert.equal(chipView(last.chip).size, 'cut to 14 KB');
    });

    it(`takes at most ${MAX_CHIPS} chips`, () => {
      let chips: ContextChip[] = [];
      for (let i = 0; i < MAX_CHIPS; i++) chips = (addChip(chips, (limit) => fileChip({ path: `f${i}`, language: 'x', text: 'a' }, limit)) as { chips: ContextChip[] }).chips;
      const over = addChip(chips, (limit) => fileChip({ path: 'one-more', language: 'x', text: 'a' }, limit));
      assert.equal(over.ok, false);
      if (!over.ok) assert.match(over.message, /20 context chips.*Remove one first/);
    });
  });
});
