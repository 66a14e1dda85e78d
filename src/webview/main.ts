/**
 * The webview's entry: builds the page, queues host messages and applies them once per animation
 * frame, and turns clicks into typed ViewMessages. The host owns all run state; `reset` rebuilds.
 */
import type { HostMessage, ViewMessage, ViewSnapshot } from '../core/viewProtocol';
import { Announcer } from './announcer';
import { Composer } from './composer';
import { Conversation } from './conversation';
import { el } from './dom';
import { formatDuration, isActive, statusLabels } from './format';
import { isOpenableLink } from './markdownRender';
import { FrameScheduler } from './messageQueue';
import { vscodeApi } from './vscodeApi';

const app = document.getElementById('app')!;
const post = (message: ViewMessage) => vscodeApi.postMessage(message);

const announcer = new Announcer();
const conversation = new Conversation(post);
const composer = new Composer({
  submit: (text) => post({ type: 'submitPrompt', text }),
  answer: (text) => {
    const asked = conversation.activeQuestion();
    if (asked) post({ type: 'answerRun', localId: asked.localId, text });
  },
  cancel: () => {
    const localId = conversation.activeRunId();
    if (localId) post({ type: 'cancelRun', localId });
  },
  newChat: () => post({ type: 'newChat' }),
  context: {
    add: () => post({ type: 'addContext', kind: 'ask' }),
    remove: (id) => post({ type: 'removeContext', id }),
  },
  agent: {
    choose: (apiSlug, params) => post({ type: 'setAgent', apiSlug, params }),
    reset: () => post({ type: 'resetAgent' }),
  },
});
/** Kept for the workbench e2e check that the page loaded; read by screen readers only. */
const ready = el('p', { className: 'sr-only', testid: 'status' });

let viewKind: ViewSnapshot['viewKind'] = document.body.dataset.view === 'panel' ? 'panel' : 'chat';
let ticker: ReturnType<typeof setInterval> | undefined;

function layout(kind: ViewSnapshot['viewKind']): void {
  viewKind = kind;
  document.body.dataset.viewKind = kind;
  app.replaceChildren(ready, announcer.element, conversation.element, ...(kind === 'chat' ? [composer.element] : []));
}

function apply(messages: HostMessage[]): void {
  for (const message of messages) {
    try {
      applyOne(message);
    } catch (error) {
      // One bad message must not take the view down; the next reset rebuilds it.
      reportError(error);
    }
  }
  conversation.afterRender();
  composer.setQuestion(conversation.activeQuestion()?.question);
  updateTicker();
}

function applyOne(message: HostMessage): void {
  switch (message.type) {
    case 'reset': {
      const { snapshot } = message;
      if (snapshot.viewKind !== viewKind || !app.contains(conversation.element)) layout(snapshot.viewKind);
      ready.textContent = `Ready (extension ${snapshot.version})`;
      conversation.reset(snapshot);
      composer.setBusy(snapshot.busy);
      composer.setTarget(snapshot.target);
      composer.setComposerState(snapshot.composer);
      return;
    }
    case 'runStarted':
      conversation.runStarted(message.run);
      announcer.say(`Run started: ${message.run.prompt.slice(0, 80)}`);
      return;
    case 'events':
      conversation.turn(message.localId)?.addEvents(message.events);
      return;
    case 'runUpdated': {
      const turn = conversation.turn(message.localId);
      if (!turn) return;
      const before = turn.status;
      turn.updateHeader(message.header);
      if (turn.status !== before && !isActive(turn.status)) {
        const took = turn.durationMs();
        announcer.say(`Run ${statusLabels[turn.status].toLowerCase()}${took !== undefined ? ` in ${formatDuration(took)}` : ''}`);
      }
      return;
    }
    case 'filesUpdated':
      conversation.turn(message.localId)?.updateFiles(message.files);
      return;
    case 'editUpdated':
      conversation.turn(message.localId)?.updateEdit(message.edit);
      return;
    case 'busy':
      composer.setBusy(message.busy);
      return;
    case 'fullOutput':
      conversation.turn(message.localId)?.fullOutput(message.seq, message.text);
      return;
    case 'promptRefused':
      composer.restore(message.text);
      announcer.say(message.reason);
      return;
    case 'composerUpdated':
      composer.setComposerState(message.composer);
      return;
    case 'composerRefused':
      composer.composerRefused(message.reason);
      announcer.say(message.reason);
      return;
    default:
      assertNever(message);
  }
}

/** The webview's own copy: it imports nothing but types from src/core. */
function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}

function updateTicker(): void {
  const active = conversation.hasActiveRuns();
  if (active && ticker === undefined) ticker = setInterval(() => conversation.tick(Date.now()), 1000);
  if (!active && ticker !== undefined) { clearInterval(ticker); ticker = undefined; }
}

function reportError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  announcer.say(`The view could not show an update: ${message}`);
}

/** rAF, with a timer as a fallback: a webview in the background may get no frames for a while. */
function requestFrame(callback: () => void): void {
  let done = false;
  const run = () => { if (!done) { done = true; callback(); } };
  requestAnimationFrame(run);
  setTimeout(run, 200);
}

const scheduler = new FrameScheduler(requestFrame, apply);

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
  scheduler.push(message);
});

// The webview never navigates: links in the agent's output go to the host, which opens them through
// VS Code's link protection (openExternal), never in the Simple Browser; http/https only.
function interceptLink(event: MouseEvent): void {
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor) return;
  event.preventDefault();
  const href = anchor.getAttribute('href') ?? '';
  if (event.type === 'click' && isOpenableLink(href)) post({ type: 'openLink', url: href });
}
document.addEventListener('click', interceptLink);
document.addEventListener('auxclick', interceptLink);

layout(viewKind);
post({ type: 'ready' });
