import type { Logger } from '../logger';

/** What a secret is replaced with. Short, and obviously not a key. */
export const REDACTED = '[redacted]';

/** RunTools keys, in case a server echoes one we were not told about (another user's, an old one). */
const apiKeyPattern = /\brt_(?:live|test)_[A-Za-z0-9_\-]+/g;

/**
 * Removes secrets from text before it reaches an error, a log line or the UI.
 * Besides the exact secrets it also masks their URL- and JSON-encoded spellings (servers echo
 * headers back in either form) and anything shaped like a RunTools key.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const spelling of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      if (result.includes(spelling)) result = result.split(spelling).join(REDACTED);
    }
  }
  return result.replace(apiKeyPattern, REDACTED);
}

/** A `redact` bound to one set of secrets. */
export type Redactor = (text: string) => string;

export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const kept = secrets.filter((s): s is string => !!s);
  return (text) => redact(text, kept);
}

/** Redacts strings, errors and (shallowly nested) plain data, for log arguments. */
export function redactValue(value: unknown, redactor: Redactor, depth = 0): unknown {
  if (typeof value === 'string') return redactor(value);
  if (value instanceof Error) {
    const copy = new Error(redactor(value.message));
    copy.name = value.name;
    return copy;
  }
  if (depth > 3 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redactor, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactValue(item, redactor, depth + 1);
  return out;
}

/** Wraps a logger so that nothing it writes can carry a secret. */
export function redactingLogger(logger: Logger, redactor: Redactor): Logger {
  const clean = (args: unknown[]) => args.map((arg) => redactValue(arg, redactor));
  return {
    trace: (message, ...args) => logger.trace(redactor(message), ...clean(args)),
    debug: (message, ...args) => logger.debug(redactor(message), ...clean(args)),
    info: (message, ...args) => logger.info(redactor(message), ...clean(args)),
    warn: (message, ...args) => logger.warn(redactor(message), ...clean(args)),
    error: (message, ...args) =>
      logger.error(typeof message === 'string' ? redactor(message) : (redactValue(message, redactor) as Error), ...clean(args)),
  };
}
