import type { Rule } from '../engine/types.ts';

/** Every rule of the sleep area, in catalog order. */
export const rules: Rule[] = [];
