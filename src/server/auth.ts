import { randomBytes, timingSafeEqual } from 'node:crypto';
import { HttpError } from './http/respond';

export interface AuthConfig {
  /** The key clients must send; ignored in open mode. */
  apiKey: string | undefined;
  /** Accept any key, or none. */
  open: boolean;
  /** Keys that authenticate but lack the `agent:run` scope (answered 403). */
  scopelessKeys: readonly string[];
}

/** Keys with this prefix always lack the scope, so clients can test 403 without configuring anything. */
export const scopelessPrefix = 'rt_test_noscope';

export function generateApiKey(): string {
  return `rt_test_local_${randomBytes(12).toString('hex')}`;
}

/**
 * Checks `X-API-Key` like the real service: 401 when missing or wrong, 403 when the key is known
 * but lacks `agent:run`. Returns the identity used for rate limiting.
 */
export function authenticate(header: string | string[] | undefined, config: AuthConfig): string {
  const key = Array.isArray(header) ? header[0] : header;
  const lacksScope = key !== undefined && (key.startsWith(scopelessPrefix) || config.scopelessKeys.includes(key));
  if (lacksScope) {
    throw new HttpError(403, 'forbidden', 'API key lacks the required scope: agent:run');
  }
  if (config.open) return key || 'anonymous';
  if (!key) throw new HttpError(401, 'unauthorized', 'Missing API key: send it in the X-API-Key header');
  if (config.apiKey === undefined || !sameKey(key, config.apiKey)) {
    throw new HttpError(401, 'unauthorized', 'Invalid API key');
  }
  return key;
}

function sameKey(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
