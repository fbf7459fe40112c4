import type { Rule } from '../engine/types.ts';
import waitInAtomic from './wait-in-atomic.ts';

/** Every rule of the sleep area, in catalog order. */
export const rules: Rule[] = [waitInAtomic];
