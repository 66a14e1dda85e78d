/**
 * Where the API key may be sent: the rules a base URL must pass before any request carries it.
 * The URL parsing is WHATWG's (`URL`); what this file adds is the policy: https, or plain http to
 * this machine only (a key sent over plain http to another host can be read on the way), and no
 * credentials in the URL (they would travel with every request and show in messages).
 */
import { normaliseBaseUrl } from '../run/request';

export type BaseUrlCheck =
  | { ok: true; baseUrl: string; origin: string }
  | { ok: false; message: string; hint: string };

/** Validates a base URL for use with the key; never throws. */
export function checkApiBaseUrl(raw: string): BaseUrlCheck {
  let baseUrl: string;
  try {
    baseUrl = normaliseBaseUrl(raw);
  } catch (error) {
    return { ok: false, message: (error as Error).message, hint: 'Set runtools.baseUrl to the API origin, for example https://api.runtools.ai.' };
  }
  const url = new URL(baseUrl);
  if (url.username || url.password) {
    return {
      ok: false,
      message: `The RunTools base URL ${url.origin} carries a user name or password; they are not sent.`,
      hint: 'Remove the credentials from runtools.baseUrl; the API key is set with "RunTools: Set API Key...".',
    };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      ok: false,
      message: `The RunTools base URL ${url.origin} uses plain http, which would send your API key and code unencrypted.`,
      hint: 'Use https://. Plain http is allowed only for this machine (localhost, 127.0.0.1, [::1]).',
    };
  }
  return { ok: true, baseUrl, origin: url.origin };
}

/**
 * This machine, by name or address: `localhost`, 127.0.0.0/8, `[::1]` and IPv4-mapped loopback.
 * Names under `.localhost` are left out on purpose: not every resolver keeps them on this machine.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  if (host === '[::1]') return true;
  // The URL parser writes ::ffff:127.0.0.1 as [::ffff:7f00:1].
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

/** The origin of a URL, or undefined when it is not one. */
export function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url.trim()).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
