import { z } from 'zod';

/** `limits:` section of deptbot.config.yaml. Owned by the limits feature; every key has a default. */
export const limitsSection = z.object({}).strict().prefault({});
