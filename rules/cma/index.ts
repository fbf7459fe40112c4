import type { Rule } from '../engine/types.ts';
import chargeLeak from './charge-leak.ts';
import chargeSizeMismatch from './charge-size-mismatch.ts';
import accountingReread from './accounting-reread.ts';
import limitPoolLeak from './limit-pool-leak.ts';
import regionLifecycle from './region-lifecycle.ts';

/** Every rule of the cma area, in catalog order. */
export const rules: Rule[] = [chargeLeak, chargeSizeMismatch, accountingReread, limitPoolLeak, regionLifecycle] as Rule[];
