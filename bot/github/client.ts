// One configured octokit: base URL (GitHub Enterprise via --api-url), auth (token or GitHub App
// installation), and the throttling and retry plugins honouring rate-limit headers. Waits scale
// with retryAfterBaseMs so tests can make them tiny.
import { App, Octokit } from 'octokit';
import { VERSION } from '../version.ts';
import type { GithubAuth } from './auth.ts';

export type GithubClient = Octokit;

export interface ClientOptions {
  apiUrl: string;
  auth: GithubAuth;
  /** Retries after a rate limit or a server error; 0 turns retrying off. */
  maxRetries: number;
  /** A rate limit asking for a longer wait fails the run instead of sleeping. */
  maxRetryWaitSeconds: number;
  /** Milliseconds per second of retry-after / x-ratelimit-reset (1000 in production). */
  retryAfterBaseMs?: number;
  /** Spacing between writes; GitHub asks for at least one second. */
  writeSpacingMs?: number;
  warn?: (message: string) => void;
}

type ThrottleOptions = NonNullable<NonNullable<ConstructorParameters<typeof Octokit>[0]>['throttle']>;
type WriteGroup = NonNullable<Extract<ThrottleOptions, { onRateLimit: unknown }>['write']>;

/**
 * The throttling plugin spaces writes with a Bottleneck group (1 s by default). This group keeps
 * that contract (`key(id).schedule(opts, fn, ...args)`) with a configurable spacing.
 */
function spacedGroup(ms: number): WriteGroup {
  let last = Promise.resolve();
  const limiter = {
    schedule<A extends unknown[], R>(_opts: unknown, fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
      const run = last.then(() => fn(...args));
      last = run.then(
        () => new Promise<void>((r) => setTimeout(r, ms)),
        () => new Promise<void>((r) => setTimeout(r, ms)),
      );
      return run;
    },
  };
  return { key: () => limiter } as unknown as WriteGroup;
}

export async function createClient(opts: ClientOptions): Promise<GithubClient> {
  const warn = opts.warn ?? (() => undefined);
  const base = opts.retryAfterBaseMs ?? 1000;
  const onLimit = (kind: string) => (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number): boolean => {
    const retry = retryCount < opts.maxRetries && retryAfter <= opts.maxRetryWaitSeconds;
    warn(`${kind} rate limit on ${options.method} ${options.url}: ${retry ? `retrying in ${retryAfter}s` : 'giving up'}`);
    return retry;
  };
  const spacing = opts.writeSpacingMs ?? 1000;
  const Configured = Octokit.defaults({
    // [hardening] The lookbehind starts a match only at the first of a run of slashes (linear time).
    baseUrl: opts.apiUrl.replace(/(?<!\/)\/+$/, ''),
    userAgent: `deptbot/${VERSION}`,
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: base,
      ...(spacing === 1000 ? {} : { write: spacedGroup(spacing), notifications: spacedGroup(spacing) }),
    },
    // 429 belongs to the throttling plugin, which honours retry-after; the retry plugin would
    // retry it on its own backoff first.
    retry: { retries: opts.maxRetries, retryAfterBaseValue: base, enabled: opts.maxRetries > 0, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    log: { debug: () => undefined, info: () => undefined, warn, error: warn },
  });
  if (opts.auth.kind === 'token') return new Configured({ auth: opts.auth.token });
  if (opts.auth.kind === 'none') return new Configured();
  const app = new App({ appId: opts.auth.appId, privateKey: opts.auth.privateKey, Octokit: Configured });
  return (await app.getInstallationOctokit(opts.auth.installationId)) as unknown as GithubClient;
}
