/**
 * The Content-Security-Policy of every webview page, in one place: the extension's page shell
 * and the browser harness that tests the bundle under it both use this. Nothing but our own
 * nonce-tagged script, styles and fonts from media/ (`cspSource`), images from media/ or data:.
 */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}
