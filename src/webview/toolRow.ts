/**
 * A tool call with its result, shown by what matters: a shell command as a command line with
 * its output folded below it; a file tool as what it did and the file (a link to this run's change
 * of it, when there is one); anything else as the tool's name and its input on one line. A write call that produced a
 * file_edit becomes that edit's card (editRow.ts). Network text goes in through textContent only.
 */
import { button, el, pathLabel } from './dom';
import { fillEditCard } from './editRow';
import type { ToolRow } from './eventModel';
import { compactJson } from './format';
import { workspacePath } from './paths';
import type { RowContext, RowView } from './rowContext';
import { classifyTool, fileActionLabel, type ToolKind } from './toolKinds';
import { truncateForView } from './truncate';

export function renderTool(row: ToolRow, context: RowContext): RowView {
  const element = el('li', { className: 'event ev-tool', testid: 'event', data: { type: row.call ? 'tool_call' : 'tool_result' } });
  let editCard: (() => void) | undefined;
  const update = () => {
    if (row.edit) {
      editCard ??= fillEditCard(element, row.edit, context, row);
      editCard();
      return;
    }
    const children: HTMLElement[] = [];
    if (row.call) children.push(renderCall(row, context));
    if (row.result) children.push(renderResult(row, row.result, context));
    element.replaceChildren(...children);
    element.dataset.paired = String(Boolean(row.call && row.result));
  };
  update();
  return { element, update };
}

function renderCall(row: ToolRow, context: RowContext): HTMLElement {
  const { tool, input } = row.call!.event;
  const kind: ToolKind = classifyTool(tool, input);
  const state = el('span', { className: `tool-state ${row.result ? 'done' : 'open'}`, text: row.result ? '' : 'running…' });
  switch (kind.kind) {
    case 'shell': {
      const lines = kind.command.split('\n');
      const shown = lines.length > 1 ? `${lines[0]} …` : kind.command;
      return el('div', { className: 'tool-head tool-shell', data: { tool: kind.kind } },
        el('span', { className: 'prompt-sign', text: '$', attrs: { 'aria-hidden': 'true' } }),
        el('code', { className: 'tool-command', text: shown.slice(0, 400), title: `${tool}: ${kind.command.slice(0, 4000)}` }),
        state,
      );
    }
    case 'file': {
      const relative = workspacePath(kind.path, context.sandboxRoot);
      const title = `${relative} (${tool})`;
      // A link only to a change this run made: the host opens no other file for a webview.
      let target: HTMLElement = pathLabel(relative, { title, className: 'tool-path' });
      if (context.hasEdit(kind.path)) {
        target = button('', () => context.openPath(kind.path), {
          variant: 'link', className: 'tool-path', data: { action: 'open-path' }, attrs: { 'aria-label': `Show this run's change of ${relative}` },
        });
        target.title = title;
        target.replaceChildren(pathLabel(relative, { title }));
      }
      return el('div', { className: 'tool-head tool-file', data: { tool: kind.kind } },
        el('span', { className: 'tool-verb', text: fileActionLabel(kind.action), title: tool }),
        target,
        state,
      );
    }
    case 'other': {
      const inputText = compactJson(input);
      return el('div', { className: 'tool-head', data: { tool: kind.kind } },
        el('span', { className: 'tool-name', text: tool || 'tool' }),
        el('code', { className: 'tool-input', text: inputText.length > 400 ? `${inputText.slice(0, 400)}…` : inputText, title: inputText.slice(0, 4000) }),
        state,
      );
    }
  }
}

function renderResult(row: ToolRow, result: NonNullable<ToolRow['result']>, context: RowContext): HTMLElement {
  const full = context.fullText(result.seq);
  // One trailing newline ends the last line; it is not a line of its own.
  const text = (full ?? String(result.event.output ?? '')).replace(/\r?\n$/, '');
  const view = full !== undefined ? { text, cut: false, hiddenLines: 0 } : truncateForView(text);
  const hostCut = full === undefined && result.truncated !== undefined;
  const lines = text.length ? text.split('\n').length : 0;
  const label = row.call ? 'Output' : `Result${result.event.tool ? ` of ${result.event.tool}` : ''}`;
  const summary = el('summary', {},
    el('span', { className: 'label', text: label }),
    el('span', { className: 'meta', text: text.length ? ` · ${lines} line${lines === 1 ? '' : 's'}${hostCut ? ' (cut)' : ''}` : ' · empty' }),
  );
  const pre = el('pre', { className: 'tool-output', text: view.text });
  const details = el('details', { className: 'tool-result' }, summary, pre);
  details.open = context.toggled(row.id, 'result') ?? (lines > 0 && lines <= 8 && text.length <= 800);
  summary.addEventListener('click', () => context.setToggled(row.id, 'result', !details.open));

  if (view.cut || hostCut) {
    const hidden = hostCut ? `${result.truncated!.fullLength.toLocaleString('en-US')} characters` : `${view.hiddenLines} more lines`;
    const more = button(`Show all (${hidden})`, () => {
      if (hostCut) {
        more.disabled = true;
        more.textContent = 'Loading…';
        context.post({ type: 'showFullOutput', localId: context.localId, seq: result.seq });
      } else {
        pre.textContent = text;
        more.remove();
      }
    }, { variant: 'link', className: 'show-all', data: { action: 'show-all' } });
    details.append(more);
  }
  return details;
}
