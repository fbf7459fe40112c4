import { z } from 'zod';

/** `watch:` section of deptbot.config.yaml. Owned by the watch feature; every key has a default. */
export const watchSection = z.object({}).strict().prefault({});
