import { assertNever, type HostMessage } from '../core/viewProtocol';
import { vscodeApi } from './vscodeApi';

const app = document.getElementById('app')!;

function render(version: string): void {
  app.replaceChildren();
  const header = document.createElement('h2');
  header.className = 'title';
  header.textContent = 'RunTools agent';
  const status = document.createElement('p');
  status.className = 'status';
  status.dataset.testid = 'status';
  status.textContent = `Ready (extension ${version})`;
  app.append(header, status);
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'reset':
      render(message.snapshot.version);
      return;
    case 'runStarted':
    case 'events':
    case 'runUpdated':
    case 'editUpdated':
    case 'busy':
    case 'fullOutput':
      return;
    default:
      assertNever(message);
  }
});

vscodeApi.postMessage({ type: 'ready' });
