import { z } from 'zod';

/**
 * `github:` section of deptbot.config.yaml. Owned by the github feature; every key has a default.
 * Tokens never live here: they come from DEPTBOT_GITHUB_TOKEN / GITHUB_TOKEN.
 */
export const githubSection = z
  .object({
    /** REST API root; for GitHub Enterprise "https://HOST/api/v3". --api-url overrides it. */
    apiUrl: z.url().default('https://api.github.com'),
    /** GitHub App credentials (the private key stays in a file readable by its owner only). */
    app: z
      .object({
        appId: z.number().int().positive().optional(),
        installationId: z.number().int().positive().optional(),
        privateKeyFile: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /** Seconds between polls of `deptbot github watch`; --interval overrides it. */
    pollIntervalSeconds: z.number().int().min(10).default(300),
    /** Retries after a rate limit or a server error. */
    maxRetries: z.number().int().min(0).max(10).default(3),
    /** A rate limit asking for a longer wait fails the run instead of sleeping. */
    maxRetryWaitSeconds: z.number().int().min(0).default(900),
    /** Pull requests with more commits are not reviewed (one request per commit). */
    maxCommits: z.number().int().positive().default(1000),
  })
  .strict()
  .prefault({});

export type GithubConfig = z.infer<typeof githubSection>;
