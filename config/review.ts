import { z } from 'zod';

/** `review:` section of deptbot.config.yaml. Owned by the review feature; every key has a default. */
export const reviewSection = z
  .object({
    /** Lowest severity that makes `deptbot review` exit 1. */
    failOn: z.enum(['error', 'warning', 'info']).default('error'),
    /** Output format when --format is not given; checked against bot/reporters/formats.ts. */
    format: z.string().min(1).default('text'),
  })
  .strict()
  .prefault({});
