/**
 * The agent's dev server URL comes from the network: only http and https are ever opened or
 * reported as the run's dev URL (a `javascript:`, `file:` or `command:` URL is refused, visibly).
 */
export type DevUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

export function checkDevUrl(url: unknown): DevUrlCheck {
  const text = typeof url === 'string' ? url.trim() : '';
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return { ok: false, reason: `"${text.slice(0, 200)}" is not a URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `only http and https dev URLs are opened, not ${parsed.protocol}` };
  }
  return { ok: true, url: parsed.toString() };
}
