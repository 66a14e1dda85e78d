/**
 * The only state the webview keeps (through vscode's setState, so a hidden and shown view keeps
 * it): the draft, which blocks the user opened or closed, how far each run's history was widened,
 * and the scroll position. Everything else comes from the host.
 */
import { vscodeApi } from './vscodeApi';

interface UiState {
  draft: string;
  /** key -> open, only for blocks the user toggled. */
  toggles: Record<string, boolean>;
  /** localId -> window limit, only when widened. */
  limits: Record<string, number>;
  scrollTop?: number;
  /** Was the view scrolled to the end (then it follows new events). */
  atBottom: boolean;
  /**
   * A run panel's run: VS Code hands this state to the extension's panel serializer after a
   * window reload, which is how the panel knows which run to show again.
   */
  localId?: string;
}

const MAX_KEYS = 500;

function load(): UiState {
  const raw = vscodeApi.getState() as Partial<UiState> | undefined;
  return {
    draft: typeof raw?.draft === 'string' ? raw.draft : '',
    toggles: raw?.toggles && typeof raw.toggles === 'object' ? raw.toggles : {},
    limits: raw?.limits && typeof raw.limits === 'object' ? raw.limits : {},
    scrollTop: typeof raw?.scrollTop === 'number' ? raw.scrollTop : undefined,
    atBottom: raw?.atBottom !== false,
    localId: document.body.dataset.localId || undefined,
  };
}

const state = load();
// Saved at once, not on the first UI change: a panel reloaded before any click must still restore.
if (state.localId) vscodeApi.setState(state);
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function save(): void {
  if (saveTimer !== undefined) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    vscodeApi.setState(state);
  }, 150);
}

function bounded(record: Record<string, unknown>): void {
  const keys = Object.keys(record);
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_KEYS))) delete record[key];
}

export const uiState = {
  get draft(): string { return state.draft; },
  setDraft(draft: string): void { state.draft = draft; save(); },

  toggled(key: string): boolean | undefined { return state.toggles[key]; },
  setToggled(key: string, open: boolean): void {
    delete state.toggles[key];
    state.toggles[key] = open;
    bounded(state.toggles);
    save();
  },

  limit(localId: string): number | undefined { return state.limits[localId]; },
  setLimit(localId: string, limit: number): void {
    state.limits[localId] = limit;
    bounded(state.limits);
    save();
  },

  get scroll(): { top?: number; atBottom: boolean } { return { top: state.scrollTop, atBottom: state.atBottom }; },
  setScroll(top: number, atBottom: boolean): void { state.scrollTop = top; state.atBottom = atBottom; save(); },
};
