import type { Rule } from '../engine/types.ts';

/** Every rule of the dma-fence area, in catalog order. */
export const rules: Rule[] = [];
