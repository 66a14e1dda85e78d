import type { TokenUsage } from './events';

/** Lenient readers for wire data: servers drift, so a wrong type reads as absent, never throws. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A string, or a number spelled as one (ids are sometimes numeric). */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

export function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((item) => (typeof item === 'string' ? [item] : isRecord(item) && typeof item.path === 'string' ? [item.path] : []));
}

/** Text for display: strings as they are, anything else as its JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Token counters in camelCase, with the snake_case spellings some servers use. */
export function usageOf(value: unknown): TokenUsage | undefined {
  if (!isRecord(value)) return undefined;
  const usage: TokenUsage = {};
  for (const [key, raw] of Object.entries(value)) {
    const count = num(raw);
    if (count === undefined) continue;
    usage[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = count;
  }
  return Object.keys(usage).length ? usage : undefined;
}
