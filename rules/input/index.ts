import type { Rule } from '../engine/types.ts';
import bidiControl from './bidi-control.ts';

/** Every rule of the input area, in catalog order. */
export const rules: Rule[] = [bidiControl];
