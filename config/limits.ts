import { z } from 'zod';

/**
 * `limits:` section of deptbot.config.yaml: bounds on hostile or broken input (see SECURITY.md).
 * Every key has a default; bot/security/limits.ts applies them to the review and watch stages.
 */
export const limitsSection = z
  .object({
    /** A message larger than this is not parsed (one-line error naming its size). Default 25 MB. */
    maxMessageBytes: z.number().int().positive().default(25 * 1024 * 1024),
    /** A patch touching more files than this is skipped with a note, not reviewed. */
    maxFilesPerPatch: z.number().int().positive().default(500),
    /** A patch with more hunks than this is skipped with a note. */
    maxHunksPerPatch: z.number().int().positive().default(5000),
    /** A patch with more diff lines (added, deleted and context) than this is skipped with a note. */
    maxLinesPerPatch: z.number().int().positive().default(100_000),
    /** Time one rule may spend on one series, in ms; past it the rule is reported as "skipped: budget". */
    ruleBudgetMs: z.number().int().positive().default(2000),
  })
  .strict()
  .prefault({});

export type LimitsConfig = z.infer<typeof limitsSection>;
