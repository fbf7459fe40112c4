import type { Rule } from '../engine/types.ts';
import pseudoFsNoexec from './pseudo-fs-noexec.ts';

/** Every rule of the fs area, in catalog order. */
export const rules: Rule[] = [pseudoFsNoexec];
