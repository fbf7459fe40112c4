// The configuration file (deptbot.config.yaml): one zod schema per section, each in its own file.
import { z } from 'zod';
import { githubSection } from './github.ts';
import { limitsSection } from './limits.ts';
import { mailSection } from './mail.ts';
import { reviewSection } from './review.ts';
import { rulesSection } from './rules.ts';
import { watchSection } from './watch.ts';

export const configSchema = z
  .object({
    rules: rulesSection,
    review: reviewSection,
    watch: watchSection,
    mail: mailSection,
    github: githubSection,
    limits: limitsSection,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** The embedded default: every rule at its catalog severity, dry-run, no servers. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}
