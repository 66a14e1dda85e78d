/**
 * Messages between the extension host and its webviews, declared once. The webview imports this
 * file with `import type` only, so nothing of the host ends up in the browser bundle.
 * Both sides `switch` on `type` and end with an exhaustiveness check (`assertNever`).
 */

/** Host -> webview. */
export type HostMessage =
  | { type: 'init'; viewKind: 'chat' | 'panel'; version: string };

/** Webview -> host. */
export type ViewMessage =
  | { type: 'ready' }
  | { type: 'submitPrompt'; text: string };

export function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}
