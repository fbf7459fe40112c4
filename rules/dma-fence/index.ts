import type { Rule } from '../engine/types.ts';
import waitReturnMisread from './wait-return-misread.ts';
import opsWaitUnannotated from './ops-wait-unannotated.ts';

/** Every rule of the dma-fence area, in catalog order. */
export const rules: Rule[] = [waitReturnMisread, opsWaitUnannotated];
