/**
 * The composer's context chips: one per thing attached to the next prompt, with its size (or
 * what was cut) and a remove button, and the "Add context" button. The host builds and keeps the
 * chips; this only shows them and asks, through messages, to add or remove one.
 */
import type { ComposerState } from '../core/viewProtocol';
import { button, el } from './dom';

export interface ContextChipActions {
  add(): void;
  remove(id: string): void;
}

const KIND_MARKS: Record<ComposerState['chips'][number]['kind'], string> = {
  selection: '⌶',
  file: '▤',
  openEditors: '▦',
  problems: '⚠',
};

export class ContextChips {
  readonly element = el('div', { className: 'context-chips', testid: 'context-chips', attrs: { role: 'list', 'aria-label': 'Context sent with the prompt' } });
  readonly addButton: HTMLButtonElement;
  private readonly total = el('span', { className: 'context-total', testid: 'context-total' });
  private readonly note = el('p', { className: 'context-note', testid: 'context-note', attrs: { role: 'status' } });

  constructor(private readonly actions: ContextChipActions) {
    this.addButton = button('+ Context', () => actions.add(), {
      variant: 'link', testid: 'add-context', title: 'Add the selection, a file, the open editors or a file\'s problems (Ctrl+Alt+A)',
      attrs: { 'aria-label': 'Add context to the prompt' },
    });
    this.element.hidden = true;
    this.note.hidden = true;
  }

  /** The note under the chips (a chip the host refused); cleared by the next change. */
  get noteElement(): HTMLElement {
    return this.note;
  }

  update(composer: ComposerState): void {
    const chips = composer.chips.map((chip) => {
      const remove = button('×', () => this.actions.remove(chip.id), { variant: 'link', className: 'chip-remove', testid: 'chip-remove', title: `Remove ${chip.label}`, attrs: { 'aria-label': `Remove ${chip.label}` } });
      return el('span', { className: `chip chip-${chip.kind}${chip.cut ? ' chip-cut' : ''}`, testid: 'context-chip', title: chip.title, attrs: { role: 'listitem' }, data: { chipId: chip.id, kind: chip.kind } },
        el('span', { className: 'chip-mark', text: KIND_MARKS[chip.kind], attrs: { 'aria-hidden': 'true' } }),
        el('span', { className: 'chip-label', text: chip.label }),
        el('span', { className: 'chip-size', testid: 'chip-size', text: chip.size }),
        remove,
      );
    });
    this.total.textContent = composer.chips.length ? composer.contextSize : '';
    this.element.replaceChildren(...chips, ...(chips.length ? [this.total] : []));
    this.element.hidden = chips.length === 0;
    this.say(undefined);
  }

  say(text: string | undefined): void {
    this.note.textContent = text ?? '';
    this.note.hidden = !text;
  }
}
