import type { Rule } from '../engine/types.ts';
import onstackTimeout from './onstack-timeout.ts';
import reuseWithoutReinit from './reuse-without-reinit.ts';

/** Every rule of the completion area, in catalog order. */
export const rules: Rule[] = [onstackTimeout, reuseWithoutReinit];
