// Locks certainly held just before a fact of one function, as far as the hunks show it. Precision
// first: a lock counts only when its acquisition is visible on the path to the fact and nothing
// visible may have dropped it; hidden code (gaps), trylocks, branch-local acquisitions and
// unlock-like helpers make a lock "maybe held", which callers treat as not held.
import type { Fact, FunctionFacts, LockFamily } from '../types.ts';
import { branchExits, within } from './conditions.ts';

export interface HeldLock {
  /** Lock family; 'folio' for folio_lock()/lock_page(), which DEPT treats as a lock (PG_locked). */
  family: LockFamily | 'folio';
  /** Normalised lock expression ("dev->lock", "buf->resv", the folio variable). */
  target: string;
  primitive: string;
  atomic: boolean;
  /** The acquiring fact (its line, text, changed flag). */
  fact: Fact;
}

const FOLIO_LOCK = new Set(['folio_lock', 'lock_page', '__folio_lock']);
const FOLIO_UNLOCK = new Set(['folio_unlock', 'unlock_page', 'folio_end_read']);

type Change = { op: 'acquire'; lock: HeldLock } | { op: 'release'; family: HeldLock['family']; target: string } | { op: 'unknown' };

/** What a fact does to the set of held locks, or null when nothing. */
function changeOf(f: Fact): Change | null {
  switch (f.kind) {
    case 'gap':
      return { op: 'unknown' };
    case 'lock':
      if (f.op === 'release') return { op: 'release', family: f.family, target: f.target };
      // A trylock holds the lock only in the branch that tested it: not certain here.
      if (f.trylock) return null;
      return { op: 'acquire', lock: { family: f.family, target: f.target, primitive: f.primitive, atomic: f.atomic, fact: f } };
    case 'wait':
      if (FOLIO_LOCK.has(f.primitive)) {
        return { op: 'acquire', lock: { family: 'folio', target: f.target, primitive: f.primitive, atomic: false, fact: f } };
      }
      return null;
    case 'event':
      return FOLIO_UNLOCK.has(f.primitive) ? { op: 'release', family: 'folio', target: f.target } : null;
    case 'call':
      if (FOLIO_UNLOCK.has(f.callee)) return { op: 'release', family: 'folio', target: f.args[0] ?? '' };
      // A helper that unlocks something we cannot see (foo_unlock(dev)): any lock may be gone.
      if (/unlock/.test(f.callee)) return { op: 'unknown' };
      return null;
    default:
      return null;
  }
}

function release(held: HeldLock[], family: HeldLock['family'], target: string): HeldLock[] {
  const same = held.filter((h) => h.family === family && h.target === target);
  if (same.length > 0) {
    const last = same[same.length - 1];
    return held.filter((h) => h !== last);
  }
  // The release names the lock differently than the acquisition did: assume it is one of them.
  return held.filter((h) => h.family !== family);
}

/** Locks certainly held just before fn.facts[index]. */
export function heldLocksAt(fn: FunctionFacts, index: number): HeldLock[] {
  const facts = fn.facts;
  const at = facts[index];
  if (!at) return [];
  let held: HeldLock[] = [];
  for (let j = 0; j < index; j++) {
    const f = facts[j];
    if (!f) continue;
    const change = changeOf(f);
    if (!change) continue;
    if (change.op === 'unknown') {
      held = [];
      continue;
    }
    const onPath = within(f, at);
    if (change.op === 'acquire') {
      if (onPath) held.push(change.lock);
      continue;
    }
    // A release on our path, or in another branch that may fall through to us.
    if (onPath || !branchExits(facts, j, index)) held = release(held, change.family, change.target);
  }
  // guard()/scoped_guard() scopes end at a known line.
  return held.filter((h) => {
    const end = h.fact.kind === 'lock' ? h.fact.scopeEndLine : undefined;
    return end === undefined || at.line <= end;
  });
}
