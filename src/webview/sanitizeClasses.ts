/**
 * Which classes survive the sanitiser: only `language-<name>` on a code block, the one class
 * markdown-it writes and the highlighter reads. The name comes from the agent's fence info
 * string, so it is held to the characters language names use. Pure, so it is tested in Node.
 */
const LANGUAGE_CLASS = /^language-[A-Za-z0-9_+#-]{1,40}$/;

export function languageClasses(value: string): string {
  return value.split(/\s+/).filter((name) => LANGUAGE_CLASS.test(name)).slice(0, 1).join(' ');
}
