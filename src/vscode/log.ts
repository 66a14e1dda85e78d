import * as vscode from 'vscode';
import type { Logger } from '../core/logger';

/** Adapts the extension's single LogOutputChannel to the core's Logger interface. */
export function loggerFor(channel: vscode.LogOutputChannel, component: string): Logger {
  const tag = (message: string) => `[${component}] ${message}`;
  return {
    trace: (message, ...args) => channel.trace(tag(message), ...args),
    debug: (message, ...args) => channel.debug(tag(message), ...args),
    info: (message, ...args) => channel.info(tag(message), ...args),
    warn: (message, ...args) => channel.warn(tag(message), ...args),
    error: (message, ...args) => channel.error(typeof message === 'string' ? tag(message) : message, ...args),
  };
}
