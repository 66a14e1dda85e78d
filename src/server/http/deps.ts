import type { Logger } from '../../core/logger';
import type { AuthConfig } from '../auth';
import type { RateLimiter } from '../rateLimit';
import type { RunRegistry } from '../runs/registry';
import type { Sandboxes } from '../sandboxes';
import type { Scenario } from '../scenarios';

/** The long-lived parts every request handler may use; built once by startLocalServer. */
export interface ServerDeps {
  readonly runs: RunRegistry;
  readonly sandboxes: Sandboxes;
  readonly logger: Logger;
  readonly auth: AuthConfig;
  readonly rateLimiter: RateLimiter;
  readonly rateLimitPerMinute: number;
  readonly scenarios: Readonly<Record<string, Scenario>>;
  readonly delayScale: number;
}
