/**
 * A small run as an agent sends it, for bench/smallRunInHost.bench.ts: 50 file_edit events on a
 * small web project, half new files and half changes to existing ones (TypeScript, JavaScript,
 * JSON, CSS, Markdown, HTML; one CRLF file, one with a BOM, one without a final newline), three of
 * the changed files open in editors, two of those with the user's unsaved typing. Deterministic:
 * the same scenario every time, so rounds and the baseline write the same plans.
 */
import { createTwoFilesPatch } from 'diff';

export interface SmallRunFile {
  /** Relative to the round's folder. */
  relPath: string;
  /** On disk before the run (undefined: created by the run). */
  original?: Buffer;
  /** On disk after the run (for a dirty buffer: unchanged, the edit stays in the buffer). */
  expected: Buffer;
  /** Text (LF, no BOM) before and after the agent's edit. */
  before?: string;
  after: string;
  open?: 'clean' | 'dirty';
}

export interface SmallRunScenario {
  files: SmallRunFile[];
  /** One file_edit per file, in the order the agent sends them; `relPath` names the file. */
  events: { relPath: string; diff: string }[];
  /** What the user typed at the top of each dirty buffer before the run. */
  typed: string;
}

export const SMALL_RUN_FILES = 50;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

type Lang = 'ts' | 'js' | 'json' | 'css' | 'md' | 'html';
/** The languages of the scenario's files, for a warm-up document each. */
export const WARM_UP_LANGUAGES: readonly Lang[] = ['ts', 'js', 'json', 'css', 'md', 'html'];
const LANGS: Lang[] = ['ts', 'ts', 'ts', 'ts', 'js', 'js', 'json', 'css', 'md', 'ts', 'html', 'ts'];

/** A file of its language, ~40 to 120 lines, different for each `n`. */
function source(lang: Lang, n: number): string {
  const count = 3 + (n % 5);
  switch (lang) {
    case 'ts':
    case 'js': {
      const typed = lang === 'ts';
      const parts = [`import { format${n} } from './format';\n`];
      for (let i = 0; i < count; i++) {
        parts.push([
          typed ? `export interface Item${n}x${i} {\n  id: string;\n  title: string;\n  done: boolean;\n}\n` : '',
          `/** Keeps the items of list ${i} in the order the user chose. */`,
          `export function sortItems${n}x${i}(items${typed ? `: Item${n}x${i}[]` : ''})${typed ? `: Item${n}x${i}[]` : ''} {`,
          `  const copy = [...items];`,
          `  copy.sort((a, b) => a.title.localeCompare(b.title));`,
          `  return copy.filter((item) => !item.done || item.id.startsWith('${i}'));`,
          `}`,
          ``,
          `export const label${n}x${i} = (count${typed ? ': number' : ''}) => format${n}(\`\${count} items in list ${i}\`);`,
          ``,
        ].join('\n'));
      }
      return parts.join('\n');
    }
    case 'json':
      return JSON.stringify({ name: `package-${n}`, version: `1.${n}.0`, scripts: { build: 'tsc -p .', test: 'mocha' }, dependencies: Object.fromEntries(Array.from({ length: count * 3 }, (_, i) => [`dep-${n}-${i}`, `^${i}.0.0`])) }, null, 2) + '\n';
    case 'css':
      return Array.from({ length: count * 2 }, (_, i) => `.item-${n}-${i} {\n  display: flex;\n  gap: ${i}px;\n  color: #${(n * 97 + i * 13).toString(16).padStart(3, '0').slice(0, 3)};\n}\n`).join('\n');
    case 'md':
      return `# Notes ${n}\n\n` + Array.from({ length: count * 2 }, (_, i) => `## Step ${i}\n\nThe list keeps item ${i} where the user put it, and the app saves it in local storage.\n`).join('\n');
    case 'html':
      return `<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>Page ${n}</title>\n</head>\n<body>\n` + Array.from({ length: count * 4 }, (_, i) => `  <section id="s${i}"><h2>Section ${i}</h2><p>Text ${n}.${i}</p></section>\n`).join('') + `</body>\n</html>\n`;
  }
}

/** The agent's change: a line inserted, a number changed further down, a few lines appended. */
function changed(lang: Lang, text: string, n: number): string {
  const lines = text.split('\n');
  const at = Math.floor(lines.length / 3);
  const note = { ts: `// reviewed ${n}`, js: `// reviewed ${n}`, css: `/* reviewed ${n} */`, md: `Reviewed ${n}.`, html: `  <!-- reviewed ${n} -->`, json: undefined }[lang];
  const later = Math.floor((lines.length * 2) / 3);
  lines[later] = lines[later]!.replace(/\d+/, (d) => String(Number(d) + 1));
  if (note !== undefined) lines.splice(at, 0, note);
  const tail = { ts: `\nexport const added${n} = true;\n`, js: `\nexport const added${n} = true;\n`, css: `\n.agent-${n} {\n  display: grid;\n}\n`, md: `\n## Added by the agent\n\nItem ${n} moves with drag and drop.\n`, html: '', json: '' }[lang];
  return lines.join('\n') + tail;
}

function gitDiff(rel: string, before: string | undefined, after: string): string {
  if (before === undefined) {
    const body = after.split('\n');
    if (body[body.length - 1] === '') body.pop();
    return `diff --git a/${rel} b/${rel}\nnew file mode 100644\n--- /dev/null\n+++ b/${rel}\n@@ -0,0 +1,${body.length} @@\n${body.map((l) => `+${l}`).join('\n')}\n`;
  }
  const patch = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, after);
  return `diff --git a/${rel} b/${rel}\n` + patch.slice(patch.indexOf('--- '));
}

const crlf = (text: string) => Buffer.from(text.replace(/\n/g, '\r\n'));

/** The scenario; `prefix` is the round's folder inside the workspace (paths in the diffs include it). */
export function smallRunScenario(prefix: string): SmallRunScenario {
  const typed = '// the user was typing here\n';
  const files: SmallRunFile[] = [];
  const half = SMALL_RUN_FILES / 2;
  for (let n = 0; n < half; n++) {
    const lang = LANGS[n % LANGS.length]!;
    const before = source(lang, n);
    let after = changed(lang, before, n);
    const relPath = `src/${lang === 'md' ? 'docs' : lang === 'css' ? 'styles' : 'app'}/existing${n}.${lang}`;
    let original = Buffer.from(before);
    let expected = Buffer.from(after);
    if (n === 1) { original = crlf(before); expected = crlf(after); }
    if (n === 4) { original = Buffer.concat([BOM, original]); expected = Buffer.concat([BOM, expected]); }
    const file: SmallRunFile = { relPath, original, expected, before, after };
    if (n === 8) { // no final newline
      file.before = before.replace(/\n$/, '');
      file.after = after = after.replace(/\n$/, '');
      file.original = Buffer.from(file.before);
      file.expected = Buffer.from(after);
    }
    if (n === 2) file.open = 'clean';
    if (n === 9 || n === 7) { file.open = 'dirty'; file.expected = file.original!; }
    files.push(file);
  }
  const created: SmallRunFile[] = [];
  for (let n = 0; n < half; n++) {
    const lang = LANGS[(n + 5) % LANGS.length]!;
    const after = source(lang, 100 + n);
    created.push({ relPath: `src/${n % 3 === 0 ? 'features/new' : 'app'}/created${n}.${lang}`, expected: Buffer.from(after), after });
  }
  // Interleaved, as an agent alternates between writing new files and changing old ones.
  const ordered = files.flatMap((file, i) => [created[i]!, file]);
  const events = ordered.map((file) => ({ relPath: file.relPath, diff: gitDiff(`${prefix}/${file.relPath}`, file.before, file.after) }));
  return { files: ordered, events, typed };
}
