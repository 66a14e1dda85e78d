/**
 * Syntax highlighting of the code blocks in an answer, with highlight.js. It runs on the DOM
 * after DOMPurify (the sanitiser keeps only `language-*` classes), over text it escapes itself,
 * so its `hljs-*` spans never pass through the sanitiser. Only the languages agents write most
 * are bundled (the core plus these keeps the webview bundle small); any other block stays plain,
 * and no language is guessed (guessing is slow and often wrong on short snippets).
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = { bash, c, cpp, csharp, css, diff, dockerfile, go, ini, java, javascript, json, markdown, php, python, ruby, rust, shell, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);

/** The language a `language-*` class names, when it is one we can highlight. */
export function highlightLanguage(code: HTMLElement): string | undefined {
  for (const name of code.classList) {
    const match = /^language-(.+)$/.exec(name);
    if (match && hljs.getLanguage(match[1])) return match[1];
  }
  return undefined;
}

/** Highlights one `<code>` in place; leaves it as it is when its language is not bundled. */
export function highlightCode(code: HTMLElement): void {
  const language = highlightLanguage(code);
  if (!language) return;
  const result = hljs.highlight(code.textContent ?? '', { language, ignoreIllegals: true });
  // highlight.js escapes the text it is given; its output holds only its own spans.
  code.innerHTML = result.value;
  code.classList.add('hljs');
}
