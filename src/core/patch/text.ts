/** Facts about a text that the engine must keep intact across a patch. */

export const BOM = '\uFEFF';

export interface TextShape {
  bom: boolean;
  /** The text without its BOM. */
  body: string;
}

export function splitBom(text: string): TextShape {
  return text.startsWith(BOM) ? { bom: true, body: text.slice(1) } : { bom: false, body: text };
}

/** A NUL character means the file is not text we can patch line by line (git's own test). */
export function isBinaryText(text: string): boolean {
  return text.includes('\0');
}

/** Split into lines for display in conflicts: no line terminators, no trailing empty line. */
export function displayLines(text: string): string[] {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
