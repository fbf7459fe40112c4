import { z } from 'zod';

/** `github:` section of deptbot.config.yaml. Owned by the github feature; every key has a default. */
export const githubSection = z.object({}).strict().prefault({});
