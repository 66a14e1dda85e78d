/**
 * The agent picker under the prompt box: which deployed agent runs, and the params it gets, as a
 * small JSON editor checked while typing (the same rules the host checks again). The host keeps
 * the pick per workspace; a pick stands until the user goes back to the settings' agent.
 */
import { checkAgentSlug, parseAgentParams } from '../core/agents/agentChoice';
import type { AgentView } from '../core/viewProtocol';
import { button, el } from './dom';

export interface AgentPickerActions {
  choose(apiSlug: string, params: string): void;
  reset(): void;
}

const OTHER = '\u0000other';

export class AgentPicker {
  /** The button in the composer's bar that names the agent and opens the editor. */
  readonly toggle: HTMLButtonElement;
  readonly element = el('div', { className: 'agent-picker', testid: 'agent-picker', attrs: { role: 'group', 'aria-label': 'Agent and params' } });
  private readonly select = el('select', { className: 'agent-select', testid: 'agent-select', attrs: { 'aria-label': 'Agent' } });
  private readonly slug = el('input', { className: 'agent-slug', testid: 'agent-slug', attrs: { type: 'text', placeholder: 'the agent\'s slug, e.g. my-agent', 'aria-label': 'Agent slug', spellcheck: 'false' } });
  private readonly params = el('textarea', { className: 'agent-params', testid: 'agent-params', attrs: { rows: '4', placeholder: '{ "model": "fast" }', 'aria-label': 'Params for this agent, a JSON object', spellcheck: 'false' } });
  private readonly error = el('p', { className: 'agent-error', testid: 'agent-error', attrs: { role: 'alert' } });
  private readonly save: HTMLButtonElement;
  private readonly resetButton: HTMLButtonElement;
  private agent: AgentView | undefined;
  /** The slug sent to the host, until its state shows it (or it refuses). */
  private pending: string | undefined;

  constructor(private readonly actions: AgentPickerActions) {
    this.toggle = button('Agent', () => this.setOpen(this.element.hidden), { variant: 'link', testid: 'agent-toggle', className: 'agent-toggle', attrs: { 'aria-expanded': 'false' } });
    this.save = button('Use', () => this.submit(), { variant: 'primary', testid: 'agent-save' });
    this.resetButton = button('Use the settings\' agent', () => { actions.reset(); this.setOpen(false); }, { variant: 'link', testid: 'agent-reset' });
    this.select.addEventListener('change', () => this.selected());
    for (const input of [this.slug, this.params]) input.addEventListener('input', () => this.check());
    this.element.append(
      el('label', { className: 'agent-field' }, el('span', { text: 'Agent' }), this.select),
      this.slug,
      el('label', { className: 'agent-field agent-field-params' }, el('span', { text: 'Params (a JSON object, sent with each run of this agent)' }), this.params),
      this.error,
      el('div', { className: 'agent-actions' }, this.resetButton, el('span', { className: 'spacer' }), button('Cancel', () => this.setOpen(false), { testid: 'agent-cancel' }), this.save),
    );
    this.element.hidden = true;
  }

  update(agent: AgentView): void {
    this.agent = agent;
    this.toggle.textContent = `Agent: ${agent.apiSlug || 'none'} ▾`;
    this.toggle.title = agent.source === 'picked' ? `Runs go to ${agent.apiSlug}, picked here` : agent.source === 'localServer' ? 'Runs go to the local demo server\'s agent' : agent.apiSlug ? `Runs go to ${agent.apiSlug}, from runtools.apiSlug` : 'No agent yet: pick one';
    this.resetButton.hidden = agent.source !== 'picked';
    if (this.pending !== undefined && agent.source === 'picked' && agent.apiSlug === this.pending) {
      this.pending = undefined;
      this.setOpen(false);
    }
    if (this.element.hidden) this.fill();
  }

  /** The host did not take the pick: the editor stays open with its text, and says why. */
  refused(reason: string): boolean {
    if (this.pending === undefined) return false;
    this.pending = undefined;
    this.error.textContent = reason;
    return true;
  }

  private setOpen(open: boolean): void {
    if (open) this.fill();
    this.element.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) this.select.focus();
  }

  /** The editor as the host's state says: the current agent selected, its params in the box. */
  private fill(): void {
    const agent = this.agent;
    if (!agent) return;
    const slugs = [...new Set([agent.apiSlug, ...agent.recent.map((r) => r.apiSlug), agent.settingsSlug].filter(Boolean))];
    this.select.replaceChildren(
      ...slugs.map((slug) => el('option', { text: slug === agent.settingsSlug && !agent.recent.some((r) => r.apiSlug === slug) ? `${slug} (settings)` : slug, attrs: { value: slug } })),
      el('option', { text: 'Other agent…', attrs: { value: OTHER } }),
    );
    this.select.value = agent.apiSlug || OTHER;
    this.selected();
  }

  private selected(): void {
    const other = this.select.value === OTHER;
    this.slug.hidden = !other;
    if (!other) this.slug.value = '';
    this.params.value = this.agent?.recent.find((r) => r.apiSlug === this.select.value)?.params ?? '';
    this.check();
  }

  private chosenSlug(): string {
    return this.select.value === OTHER ? this.slug.value : this.select.value;
  }

  private check(): boolean {
    const slug = checkAgentSlug(this.chosenSlug());
    const params = parseAgentParams(this.params.value);
    const message = !slug.ok ? slug.message : !params.ok ? params.message : '';
    this.error.textContent = message;
    this.params.classList.toggle('invalid', !params.ok);
    this.save.disabled = message !== '';
    return message === '';
  }

  private submit(): void {
    if (!this.check()) return;
    this.pending = this.chosenSlug().trim();
    this.actions.choose(this.pending, this.params.value);
  }
}
