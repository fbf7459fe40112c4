import { z } from 'zod';

/** `mail:` section of deptbot.config.yaml. Owned by the mail feature; every key has a default. */
export const mailSection = z.object({}).strict().prefault({});
