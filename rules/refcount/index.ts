import type { Rule } from '../engine/types.ts';
import leakOnError from './leak-on-error.ts';
import useAfterPut from './use-after-put.ts';

/** Every rule of the refcount area, in catalog order. */
export const rules: Rule[] = [leakOnError, useAfterPut];
