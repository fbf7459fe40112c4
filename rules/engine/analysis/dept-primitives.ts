// What DEPT itself defines (so the dept rules stay silent on its implementation) and the wait
// primitives the dept rules talk about.

/**
 * Files that implement DEPT or the wait primitives it annotates: the sdt hooks, the completion and
 * dma-fence wait macros, the waitqueue macros and the scheduler's own sleep loops.
 */
const IMPLEMENTATION = [
  /^kernel\/dependency\//,
  /^include\/linux\/dept[\w-]*\.h$/,
  /^include\/linux\/(?:completion|wait|wait_bit|swait|dma-fence|dma-fence-\w+)\.h$/,
  /^kernel\/sched\//,
  /^kernel\/locking\//,
  /^drivers\/dma-buf\/dma-fence\.c$/,
  /^Documentation\//,
];

export function isDeptImplementation(path: string): boolean {
  return IMPLEMENTATION.some((re) => re.test(path));
}

/** The wait functions DEPT v18 turned into statement-expression macros (one class per call site). */
export const WAIT_MACROS: readonly string[] = [
  'wait_for_completion',
  'wait_for_completion_io',
  'wait_for_completion_interruptible',
  'wait_for_completion_killable',
  'wait_for_completion_state',
  'wait_for_completion_timeout',
  'wait_for_completion_io_timeout',
  'wait_for_completion_interruptible_timeout',
  'wait_for_completion_killable_timeout',
  'dma_fence_wait',
  'dma_fence_wait_timeout',
  'dma_fence_wait_any_timeout',
  'dma_fence_default_wait',
];

export const SLEEP_START = ['sdt_might_sleep_start', 'sdt_might_sleep_start_timeout'];
export const SLEEP_END = 'sdt_might_sleep_end';

/** Calls that put the task to sleep after its state was set by hand. */
export const SCHEDULE_CALLS: readonly string[] = [
  'schedule',
  'schedule_timeout',
  'io_schedule',
  'io_schedule_timeout',
  'schedule_hrtimeout',
  'schedule_hrtimeout_range',
  'schedule_preempt_disabled',
  'freezable_schedule',
];

export const SET_STATE_CALLS: readonly string[] = ['set_current_state', '__set_current_state', 'set_special_state'];
