import type { Rule } from '../engine/types.ts';
import unannotatedSleepLoop from './unannotated-sleep-loop.ts';
import unbalancedSleepAnnotation from './unbalanced-sleep-annotation.ts';
import sharedWaitClass from './shared-wait-class.ts';
import waitMacroAddress from './wait-macro-address.ts';
import timeoutHidesDeadlock from './timeout-hides-deadlock.ts';
import completionLikeWithoutSdt from './completion-like-without-sdt.ts';

/** Every rule of the dept area, in catalog order. */
export const rules: Rule[] = [unannotatedSleepLoop, unbalancedSleepAnnotation, sharedWaitClass, waitMacroAddress, timeoutHidesDeadlock, completionLikeWithoutSdt] as Rule[];
