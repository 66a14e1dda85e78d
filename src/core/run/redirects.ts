/**
 * `fetch` that never follows a redirect on its own. fetch's default ('follow') re-sends every
 * header but Authorization, Proxy-Authorization and Cookie to wherever a 3xx points, so the
 * X-API-Key would travel to another origin, and a 307/308 re-posts the prompt and context there.
 * Here every redirect is looked at first:
 *   - a POST (start, cancel) is never re-sent: the call fails, naming where the server pointed;
 *   - a GET (status, list) follows a redirect within the same origin (scheme, host and port),
 *     up to MAX_HOPS, since the key stays with the server it was meant for; any other origin,
 *     an https-to-http downgrade included, fails the call the same way.
 */

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_HOPS = 5;

/** A redirect that was not followed; `to` is the target without query, fragment or credentials. */
export class RedirectRefused extends Error {
  override readonly name = 'RedirectRefused';

  constructor(
    readonly status: number,
    readonly method: string,
    readonly to: string,
    readonly reason: 'other-origin' | 'not-resent' | 'too-many',
  ) {
    super(`redirect ${status} to ${to} not followed (${reason})`);
  }
}

/** Fetches `url`; resolves with the first answer that is not a redirect, or throws RedirectRefused. */
export async function fetchWithoutRedirects(url: string, init: RequestInit & { method: string }): Promise<Response> {
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const response = await fetch(current, { ...init, redirect: 'manual' });
    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    void response.body?.cancel().catch(() => undefined);
    let target: URL;
    try {
      target = new URL(location, current);
    } catch {
      throw new RedirectRefused(response.status, init.method, location.slice(0, 200), 'other-origin');
    }
    const shown = `${target.origin}${target.pathname}`;
    if (target.origin !== current.origin) throw new RedirectRefused(response.status, init.method, shown, 'other-origin');
    if (init.method !== 'GET') throw new RedirectRefused(response.status, init.method, shown, 'not-resent');
    if (hop + 1 >= MAX_HOPS) throw new RedirectRefused(response.status, init.method, shown, 'too-many');
    current = target;
  }
}
