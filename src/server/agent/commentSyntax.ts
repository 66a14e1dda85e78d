/** How to write a one-line comment in a language, by VS Code language id or file extension. */
export interface CommentSyntax {
  start: string;
  end?: string;
}

const byLanguage: Record<string, CommentSyntax> = {};
function define(syntax: CommentSyntax, ids: string[]): void {
  for (const id of ids) byLanguage[id] = syntax;
}

define({ start: '//' }, [
  'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'java', 'c', 'cpp', 'csharp', 'go',
  'rust', 'swift', 'kotlin', 'scala', 'php', 'dart', 'groovy', 'objective-c', 'objective-cpp', 'fsharp',
  'zig', 'jsonc', 'json', 'scss', 'less', 'proto', 'glsl', 'hlsl', 'solidity',
]);
define({ start: '#' }, [
  'python', 'ruby', 'shellscript', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell',
  'coffeescript', 'julia', 'elixir', 'nim', 'properties', 'graphql', 'terraform', 'cmake', 'crystal', 'nix',
]);
define({ start: '--' }, ['sql', 'lua', 'haskell', 'elm', 'ada', 'vhdl', 'purescript']);
define({ start: ';;' }, ['clojure', 'lisp', 'scheme', 'racket']);
define({ start: ';' }, ['ini', 'asm']);
define({ start: '%' }, ['latex', 'tex', 'erlang', 'matlab', 'bibtex']);
define({ start: "'" }, ['vb']);
define({ start: 'REM' }, ['bat']);
define({ start: '<!--', end: '-->' }, ['html', 'xml', 'markdown', 'svg', 'vue', 'xsl', 'svelte', 'razor']);
define({ start: '/*', end: '*/' }, ['css']);

const byExtension: Record<string, string> = {
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', ts: 'typescript', mts: 'typescript', cts: 'typescript',
  jsx: 'javascriptreact', tsx: 'typescriptreact', py: 'python', rb: 'ruby', sh: 'shellscript', bash: 'shellscript',
  yml: 'yaml', yaml: 'yaml', toml: 'toml', go: 'go', rs: 'rust', java: 'java', c: 'c', h: 'c', cc: 'cpp',
  cpp: 'cpp', hpp: 'cpp', cs: 'csharp', php: 'php', swift: 'swift', kt: 'kotlin', sql: 'sql', lua: 'lua',
  hs: 'haskell', html: 'html', htm: 'html', xml: 'xml', svg: 'svg', md: 'markdown', vue: 'vue', css: 'css',
  scss: 'scss', less: 'less', json: 'json', jsonc: 'jsonc', ps1: 'powershell', bat: 'bat', cmd: 'bat',
  tex: 'latex', r: 'r', pl: 'perl', ex: 'elixir', exs: 'elixir', clj: 'clojure', ini: 'ini',
};

/**
 * Plain text (and anything unknown) gets no comment markers: the added line is just text,
 * which is still a visible, checkable edit.
 */
export function commentSyntaxFor(language: string | undefined, filePath: string | undefined): CommentSyntax {
  const id = language?.toLowerCase();
  if (id && byLanguage[id]) return byLanguage[id];
  const extension = filePath?.split('.').pop()?.toLowerCase();
  const fromExtension = extension ? byExtension[extension] : undefined;
  if (fromExtension && byLanguage[fromExtension]) return byLanguage[fromExtension];
  return { start: '' };
}

export function commentLine(syntax: CommentSyntax, text: string): string {
  // Never let the text close the comment early.
  const safe = syntax.end ? text.split(syntax.end).join(syntax.end.split('').join(' ')) : text;
  const open = syntax.start ? `${syntax.start} ` : '';
  return syntax.end ? `${open}${safe} ${syntax.end}` : `${open}${safe}`;
}
