// Stands in for VS Code's webview API: records what the page posts, and keeps setState in
// sessionStorage so a reload behaves like a hidden and shown view. Loaded by nonce, before the bundle.
(() => {
  window.__posted = [];
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
  });
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may be called only once');
    acquired = true;
    return {
      postMessage: (message) => { window.__posted.push(JSON.parse(JSON.stringify(message))); },
      getState: () => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null') ?? undefined,
      setState: (state) => { sessionStorage.setItem('vscodeState', JSON.stringify(state)); },
    };
  };
  /** Posts a HostMessage the way the extension host does. */
  window.__host = (message) => window.postMessage(message, '*');
})();
