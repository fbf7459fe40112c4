import { z } from 'zod';

/** `rules:` maps a rule id to a severity or "off". Unknown ids are rejected by the loader. */
export const rulesSection = z.record(z.string(), z.enum(['error', 'warning', 'info', 'off'])).prefault({});
