import type { Rule } from '../engine/types.ts';
import flagOutsideResv from './flag-outside-resv.ts';
import missingFenceWait from './missing-fence-wait.ts';
import waitUnderResv from './wait-under-resv.ts';
import unboundedUnmapWait from './unbounded-unmap-wait.ts';
import unguardedRepeat from './unguarded-repeat.ts';
import noopInvalidate from './noop-invalidate.ts';
import removedApi from './removed-api.ts';
import rearmAfterUnrevoke from './rearm-after-unrevoke.ts';

/** Every rule of the revoke area, in catalog order. */
export const rules: Rule[] = [
  flagOutsideResv,
  missingFenceWait,
  waitUnderResv,
  unboundedUnmapWait,
  unguardedRepeat,
  noopInvalidate,
  removedApi,
  rearmAfterUnrevoke,
];
