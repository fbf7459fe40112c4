import type { Rule } from '../engine/types.ts';
import rawBitop from './raw-bitop.ts';
import usageApiWithoutStub from './usage-api-without-stub.ts';
import waitOnBitBypass from './wait-on-bit-bypass.ts';

/** Every rule of the page-flags area, in catalog order. */
export const rules: Rule[] = [rawBitop, usageApiWithoutStub, waitOnBitBypass];
