/**
 * The code blocks of an answer: each gets its language, Copy and Insert at Cursor, and syntax
 * highlighting. Applied to the DOM after sanitising, so the buttons are ours, never the agent's.
 */
import { button, el } from './dom';
import { highlightCode } from './highlight';

export interface CodeBlockActions {
  /** Inserts the text into the editor at its cursor (the host does it). */
  insert(text: string): void;
}

export function decorateCodeBlocks(root: HTMLElement, actions: CodeBlockActions): void {
  for (const pre of root.querySelectorAll('pre')) {
    const code = pre.querySelector('code');
    if (!code || pre.parentElement?.classList.contains('code-block')) continue;
    // The fence's own line end is not part of the code.
    const text = (code.textContent ?? '').replace(/\r?\n$/, '');
    const language = [...code.classList].find((name) => name.startsWith('language-'))?.slice('language-'.length) ?? '';
    highlightCode(code);
    const status = el('span', { className: 'code-status', attrs: { role: 'status', 'aria-live': 'polite' } });
    const copy = button('Copy', () => void copyText(text).then(
      () => flash(status, 'Copied'),
      () => flash(status, 'Could not copy: select the code and press Ctrl+C'),
    ), { variant: 'link', data: { action: 'copy-code' }, title: 'Copy this code' });
    const insert = button('Insert at Cursor', () => actions.insert(text), {
      variant: 'link', data: { action: 'insert-code' }, title: 'Insert this code into the editor at the cursor (replaces the selection)',
    });
    const bar = el('div', { className: 'code-bar' },
      el('span', { className: 'code-language', text: language }),
      status,
      copy,
      insert,
    );
    const block = el('div', { className: 'code-block', testid: 'code-block' });
    pre.replaceWith(block);
    block.append(bar, pre);
  }
}

/**
 * The webview's own clipboard (its iframe is allowed clipboard-write); the old way through a
 * selection when the page was not allowed (an unfocused document).
 */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // falls through to the selection
  }
  const area = el('textarea', { className: 'sr-only', attrs: { 'aria-hidden': 'true' } });
  area.value = text;
  const focused = document.activeElement as HTMLElement | null;
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  focused?.focus();
  if (!copied) throw new Error('copy refused');
}

const timers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();

function flash(status: HTMLElement, text: string): void {
  status.textContent = text;
  clearTimeout(timers.get(status));
  timers.set(status, setTimeout(() => { status.textContent = ''; }, 2500));
}
