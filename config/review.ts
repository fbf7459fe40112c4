import { z } from 'zod';

/** `review:` section of deptbot.config.yaml. Owned by the review feature; every key has a default. */
export const reviewSection = z.object({}).strict().prefault({});
