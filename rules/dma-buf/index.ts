import type { Rule } from '../engine/types.ts';
import resvNotHeld from './resv-not-held.ts';

/** Every rule of the dma-buf area, in catalog order. */
export const rules: Rule[] = [resvNotHeld];
