import type { Rule } from '../engine/types.ts';

/** Every rule of the dma-buf area, in catalog order. */
export const rules: Rule[] = [];
