/**
 * One renderer per kind of row. Every text from the network goes in through textContent; the
 * only markdown (the final output) is rendered by the turn, not here.
 */
import type { CompleteEvent, DevUrlEvent, ErrorEvent, UnknownEvent } from '../core/run/events';
import { button, el, present } from './dom';
import { renderEditRow } from './editRow';
import { thinkingTail, thinkingText, type FileEditLogged, type Row, type SingleRow, type ThinkingRow } from './eventModel';
import { compactJson, lastLines } from './format';
import type { RowContext, RowView } from './rowContext';
import { renderTool } from './toolRow';

export function renderRow(row: Row, context: RowContext): RowView {
  switch (row.kind) {
    case 'thinking': return renderThinking(row, context);
    case 'tool': return renderTool(row, context);
    case 'single': return renderSingle(row, context);
  }
}

function eventItem(type: string, className: string): HTMLLIElement {
  return el('li', { className: `event ${className}`, testid: 'event', data: { type } });
}

function renderThinking(row: ThinkingRow, context: RowContext): RowView {
  const element = eventItem('thinking', 'ev-thinking');
  const label = el('span', { className: 'label', text: 'Thinking' });
  const meta = el('span', { className: 'meta' });
  const summary = el('summary', {}, label, meta);
  const body = el('pre', { className: 'thinking-text' });
  const details = el('details', { className: 'thinking' }, summary, body);
  const tail = el('pre', { className: 'thinking-tail', attrs: { 'aria-hidden': 'true' } });
  details.open = context.toggled(row.id, 'open') ?? false;
  element.append(details, tail);

  let more: HTMLButtonElement | undefined;
  const fill = () => {
    if (!details.open) return;
    body.textContent = thinkingText(row, (seq) => context.fullText(seq));
    const missing = row.truncated.filter(({ seq }) => context.fullText(seq) === undefined);
    if (missing.length && !more) {
      more = button('Show all', () => {
        for (const { seq } of missing) context.post({ type: 'showFullOutput', localId: context.localId, seq });
        more!.disabled = true;
        more!.textContent = 'Loading…';
      }, { variant: 'link', className: 'show-all', data: { action: 'show-all' } });
      details.append(more);
    } else if (!missing.length && more) {
      more.remove();
      more = undefined;
    }
  };
  summary.addEventListener('click', () => context.setToggled(row.id, 'open', !details.open));
  details.addEventListener('toggle', fill);

  const update = () => {
    meta.textContent = row.eventCount > 1 ? ` · ${row.eventCount} parts` : '';
    tail.textContent = lastLines(thinkingTail(row, 600), 3);
    fill();
  };
  update();
  return { element, update };
}

function renderSingle(row: SingleRow, context: RowContext): RowView {
  const { logged } = row;
  const event = logged.event;
  switch (event.type) {
    case 'file_edit': return renderEditRow(logged as FileEditLogged, context);
    case 'dev_url': return staticRow(renderDevUrl(event, context));
    case 'error': return staticRow(renderError(event));
    case 'complete': return staticRow(renderComplete(event));
    case 'unknown': return staticRow(renderUnknown(event));
    default: {
      // thinking/tool rows never reach here; show anything unexpected raw rather than fail.
      const item = eventItem(event.type, 'ev-unknown');
      item.append(el('code', { text: compactJson(event).slice(0, 1000) }));
      return staticRow(item);
    }
  }
}

function staticRow(element: HTMLElement): RowView {
  return { element, update: () => undefined };
}

/** Opens one of the run's own dev URLs, as the host's `runtools.openDevUrl` setting says. */
export function devUrlButton(localId: string, url: string, post: RowContext['post']): HTMLButtonElement {
  return button(`Open ${url}`, () => post({ type: 'openDevUrl', localId, url }), {
    variant: 'primary', testid: 'dev-url', className: 'dev-url', title: `Open the dev server at ${url}`,
  });
}

function renderDevUrl(event: DevUrlEvent, context: RowContext): HTMLElement {
  const item = eventItem('dev_url', 'ev-dev-url');
  item.append(el('span', { className: 'label', text: 'Dev server' }), devUrlButton(context.localId, String(event.url), context.post));
  return item;
}

function renderError(event: ErrorEvent): HTMLElement {
  const item = eventItem('error', 'ev-error');
  item.append(...present(
    el('span', { className: 'label', text: 'Error' }),
    el('span', { className: 'message', text: String(event.message ?? '') }),
    event.code ? el('code', { className: 'code', text: String(event.code) }) : null,
  ));
  return item;
}

function renderComplete(event: CompleteEvent): HTMLElement {
  const item = eventItem('complete', 'ev-complete');
  // What happened to the files here is the edits' to say (the run's footer), not the sandbox's file list.
  item.append(el('span', { className: 'label', text: `Finished${event.status ? `: ${event.status}` : ''}` }));
  if (event.error?.message) item.append(el('span', { className: 'message error-text', text: String(event.error.message) }));
  return item;
}

function renderUnknown(event: UnknownEvent): HTMLElement {
  // The agent asking and being answered (the local server's and the run stream's input events).
  const data = event.data && typeof event.data === 'object' ? (event.data as Record<string, unknown>) : {};
  if (event.event === 'input_required' || event.event === 'input_received') {
    const asked = event.event === 'input_required';
    const item = eventItem(event.event, asked ? 'ev-question' : 'ev-answer');
    item.append(
      el('span', { className: 'label', text: asked ? 'The agent asks' : 'Answered' }),
      el('span', { className: 'message', text: String((asked ? data.question : data.text) ?? '') }),
    );
    return item;
  }
  const item = eventItem('unknown', 'ev-unknown');
  const raw = compactJson(event.data);
  item.append(
    el('span', { className: 'label', text: String(event.event || 'event') }),
    el('code', { className: 'raw', text: raw.length > 1000 ? `${raw.slice(0, 1000)}…` : raw }),
  );
  return item;
}
