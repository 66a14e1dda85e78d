import type { ViewMessage } from '../core/viewProtocol';

/** The handful of the webview API we use (acquireVsCodeApi may be called only once). */
interface VsCodeApi {
  postMessage(message: ViewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscodeApi: VsCodeApi = acquireVsCodeApi();
