import type { Rule } from '../engine/types.ts';
import orphanWait from './orphan-wait.ts';
import waitEventCycle from './wait-event-cycle.ts';

/** Every rule of the series area, in catalog order. */
export const rules: Rule[] = [orphanWait, waitEventCycle];
