import type { Rule } from '../engine/types.ts';
import waitReturnMisread from './wait-return-misread.ts';

/** Every rule of the dma-fence area, in catalog order. */
export const rules: Rule[] = [waitReturnMisread];
