// Word lists for the revoke and resv rules' `meta.reads`: the identifiers a function's text must
// show for it to hold a fact a rule needs. They come from the tables of ../facts/classify.ts and
// revoke-sequence.ts where those have them (a fact's callee is always an identifier of the
// function's text).
import { calleesWhere } from '../facts/classify.ts';
import { INVALIDATE_CALLS } from './revoke-sequence.ts';

/**
 * Every acquisition isResvLock() accepts: the resv family of classify.ts (dma_resv_lock*,
 * dma_resv_trylock), ww_mutex_lock* / ww_mutex_trylock on a target naming a resv, and
 * guard() / scoped_guard() / scoped_cond_guard() with a dma_resv* class.
 */
export const RESV_ACQUIRE_WORDS: readonly string[] = [
  ...calleesWhere((k) => k.kind === 'lock' && k.op === 'acquire' && k.family === 'resv'),
  'ww_mutex_lock*',
  'ww_mutex_trylock',
  'guard',
  'scoped_guard',
  'scoped_cond_guard',
];

/** Every resv release: the resv family's, or ww_mutex_unlock on a target naming a resv (guards have none). */
export const RESV_RELEASE_WORDS: readonly string[] = [...calleesWhere((k) => k.kind === 'lock' && k.op === 'release' && k.family === 'resv'), 'ww_mutex_unlock'];

/** isInvalidateCall(). */
export const INVALIDATE_WORDS: readonly string[] = [...INVALIDATE_CALLS];

/**
 * The functions unmapEventFor() can pick: one with a signal isSignal() accepts (complete,
 * complete_all, wake_up*), and an unmap callback whose kref_put*() names that function.
 */
export const UNMAP_EVENT_WORDS: readonly string[] = ['complete', 'complete_all', 'wake_up*', 'kref_put*'];
