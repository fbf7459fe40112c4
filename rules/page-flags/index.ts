import type { Rule } from '../engine/types.ts';

/** Every rule of the page-flags area, in catalog order. */
export const rules: Rule[] = [];
