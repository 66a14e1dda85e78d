/** A fixed one-minute window per key, like the per-plan limits of docs/protocol.md section 6. */
export interface RateLimitState {
  allowed: boolean;
  headers: Record<string, string>;
}

interface Window {
  startedAt: number;
  used: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limitPerMinute: number) {}

  take(key: string, now = Date.now()): RateLimitState {
    if (this.windows.size > 10_000) this.forgetExpired(now); // open mode sees any number of keys
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= 60_000) {
      window = { startedAt: now, used: 0 };
      this.windows.set(key, window);
    }
    const resetMs = window.startedAt + 60_000;
    const allowed = window.used < this.limitPerMinute;
    if (allowed) window.used++;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(this.limitPerMinute),
      'X-RateLimit-Remaining': String(Math.max(0, this.limitPerMinute - window.used)),
      'X-RateLimit-Reset': String(Math.ceil(resetMs / 1000)),
    };
    if (!allowed) headers['Retry-After'] = String(Math.max(1, Math.ceil((resetMs - now) / 1000)));
    return { allowed, headers };
  }

  private forgetExpired(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= 60_000) this.windows.delete(key);
  }
}
