import { RunError } from './runError';

/**
 * `fetch` that never follows a redirect. The API key travels in `X-API-Key`, which fetch would
 * carry to wherever a 3xx points (it strips only `Authorization` across origins), so every call
 * that sends the key uses `redirect: 'manual'` and a redirect fails, naming where it pointed.
 */
export async function fetchWithoutRedirects(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, { ...init, redirect: 'manual' });
  if (response.status >= 300 && response.status < 400 && response.status !== 304) {
    response.body?.cancel().catch(() => undefined);
    throw new RunError(redirectRefused(url, response.status, response.headers.get('location')));
  }
  return response;
}

/** The error for a refused redirect; also used by the run-stream socket's handshake. */
export function redirectRefused(url: string, status: number, location: string | null | undefined): RunError['info'] {
  const from = new URL(url);
  const target = describeTarget(location, from);
  return {
    kind: 'http',
    status,
    code: 'redirect_refused',
    message: `The server at ${from.origin} answered HTTP ${status}, a redirect to ${target}; it was not followed, so the API key was not sent there.`,
    hint: `If ${target} is the RunTools API you mean to use, set it as the base URL; otherwise check the base URL and any proxy in between.`,
  };
}

/** Origin and path only: a query could carry a token, and credentials never belong in a message. */
function describeTarget(location: string | null | undefined, base: URL): string {
  if (!location) return 'an unnamed location';
  try {
    const target = new URL(location, base);
    return `${target.origin}${target.pathname}`;
  } catch {
    return 'an address that is not a URL';
  }
}
