/**
 * The agent picker's rules, shared by the host (which trusts nothing the view sends) and the
 * webview (which shows the same error while the user types): what a slug may be, what the
 * params JSON must be, and the recent agents list. No `vscode`, no valibot: the webview bundles it.
 */
export const MAX_RECENT_AGENTS = 8;
export const MAX_SLUG_CHARS = 200;
export const MAX_PARAMS_CHARS = 16 * 1024;

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** A deployed agent's slug (or agent name): one word of letters, digits, `-`, `_`, `.`, `/`, `:`, `@`. */
export function checkAgentSlug(text: string): Checked<string> {
  const slug = text.trim();
  if (!slug) return { ok: false, message: 'Enter the slug of a deployed agent, for example "my-agent".' };
  if (slug.length > MAX_SLUG_CHARS) return { ok: false, message: `An agent's slug is at most ${MAX_SLUG_CHARS} characters.` };
  if (!/^[\w.:@/-]+$/.test(slug)) return { ok: false, message: `"${slug.slice(0, 40)}" is not an agent slug: use letters, digits, and - _ . / : @ only (no spaces).` };
  return { ok: true, value: slug };
}

/** The params editor's text: empty means no params; otherwise a JSON object. */
export function parseAgentParams(text: string): Checked<Record<string, unknown>> {
  if (!text.trim()) return { ok: true, value: {} };
  if (text.length > MAX_PARAMS_CHARS) return { ok: false, message: `Params are at most ${MAX_PARAMS_CHARS / 1024} KB of JSON.` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Params are not valid JSON: ${error instanceof Error ? error.message : String(error)}.` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, message: `Params must be a JSON object, like {"model": "fast"}, not ${what}.` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** The slug first, then the others as they were, without duplicates, at most MAX_RECENT_AGENTS. */
export function rememberRecent(recent: readonly string[], slug: string): string[] {
  return [slug, ...recent.filter((s) => s !== slug)].slice(0, MAX_RECENT_AGENTS);
}

/** Params as the editor shows them: pretty JSON, or empty for none. */
export function formatParams(params: Record<string, unknown> | undefined): string {
  return params && Object.keys(params).length ? JSON.stringify(params, null, 2) : '';
}
