// Whether a kref_put() may free the object that contains the kref. A kref is not always the
// object's lifetime count: the revoke handshake puts a member kref whose release only calls
// complete(), and the container lives on. So a put frees its container only when the release's
// visible body frees it, or, with the body not in view, when the kref is the object's own count.
import type { CallFact, FunctionFacts } from '../types.ts';
import { normExpr } from './c-expr.ts';
import { functionsNamed, wholeBody } from './revoke-sequence.ts';

export const KREF_PUTS: ReadonlySet<string> = new Set(['kref_put', 'kref_put_mutex', 'kref_put_lock']);

/** Calls that free (or drop the last hold on) the pointer they are given. */
const FREEING = /^(?:kv?free\w*|vfree|kmem_cache_free|call_rcu\w*|kv?free_rcu\w*|\w+_free|\w+_put|\w+_destroy)$/;

/**
 * Member names that by kernel convention are the reference count of the struct holding them
 * (Documentation/core-api/kref.rst: `struct kref refcount;`). Secondary counts are named for what
 * they count (mappings, pins, users).
 */
const LIFETIME_MEMBER = /^(?:kref|ref|refs|refcnt|refcount|ref_count)$/;

/** Releases named for a signal rather than a free: the kref counts users of a handshake. */
const SIGNAL_RELEASE = /done|complet|signal|wake|notify|unmapped/i;

export type KrefVerdict = 'frees' | 'keeps' | 'unknown';

/** What the visible body of `release` does to the container of its kref parameter. */
export function releaseVerdict(functions: readonly FunctionFacts[], release: string): KrefVerdict {
  const bodies = functionsNamed(functions, release);
  if (bodies.some(freesContainer)) return 'frees';
  return bodies.some(wholeBody) ? 'keeps' : 'unknown';
}

/** True when a kref_put-family call may free the object holding the kref. */
export function krefPutMayFree(c: CallFact, functions: readonly FunctionFacts[]): boolean {
  const release = (c.args[1] ?? '').trim();
  if (!/^[A-Za-z_]\w*$/.test(release)) return false;
  const verdict = releaseVerdict(functions, release);
  if (verdict !== 'unknown') return verdict === 'frees';
  const member = /(?:->|\.)(\w+)$/.exec(normExpr(c.args[0] ?? ''))?.[1] ?? '';
  return LIFETIME_MEMBER.test(member) && !SIGNAL_RELEASE.test(release);
}

function freesContainer(fn: FunctionFacts): boolean {
  const param = /(?<!\w)(\w+)\s*$/.exec(fn.params?.[0] ?? '')?.[1] ?? 'kref';
  const containers = new Set<string>();
  for (const f of fn.facts) {
    // `obj = container_of(kref, ...)` or `obj = to_foo(kref)`: obj is the kref's container.
    if (f.kind === 'assign' && new RegExp(`\\(\\s*${param}\\b`).test(f.rhs)) containers.add(normExpr(f.lhs).replace(/^.*\W(\w+)$/, '$1'));
  }
  return fn.facts.some(
    (f) =>
      f.kind === 'call' &&
      FREEING.test(f.callee) &&
      f.args.some((a) => {
        const arg = a.replace(/\s+/g, '').replace(/^\([\w\s*]+\*\)/, '');
        if (/^container_of\(/.test(arg)) return new RegExp(`^container_of\\(${param}\\b`).test(arg);
        const m = /^&?(\w+)(?:(?:->|\.)\w+)?$/.exec(arg);
        // The container itself, or an embedded member (&obj->base, &obj->rcu) whose free ends it.
        return m?.[1] !== undefined && containers.has(m[1]) && (arg === m[1] || arg.startsWith('&'));
      }),
  );
}
