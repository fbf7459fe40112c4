// Matching objects across functions of a series without types: `d->lock` in one function and
// `p->lock` in another are the same lock when they hang off the same object as the event
// (`d->done` / `p->done`): what matters is the path from the base, not the base's local name.

export interface ObjectPath {
  /** The leading identifier: "d" in "d->sub.done". */
  base: string;
  /** The member path with '.' and '->' unified: "sub.done"; '' for a plain name. */
  path: string;
}

export function objectPath(expr: string): ObjectPath | null {
  const t = expr.replace(/\s+/g, '').replace(/^&/, '').replace(/^\((.*)\)$/, '$1');
  const m = /^([A-Za-z_]\w*)((?:(?:->|\.)[A-Za-z_]\w*)*)$/.exec(t);
  if (!m?.[1]) return null;
  return { base: m[1], path: (m[2] ?? '').replace(/->/g, '.').replace(/^\./, '') };
}

/** Same event object on both sides: equal member paths, or the same plain (global) name. */
export function sameObject(a: string, b: string): boolean {
  const pa = objectPath(a);
  const pb = objectPath(b);
  if (!pa || !pb) return false;
  if (pa.path === '' || pb.path === '') return pa.path === pb.path && pa.base === pb.base;
  return pa.path === pb.path;
}

/**
 * Same lock on both sides, relative to each side's event object: the identical expression, or
 * the same member path hanging off the same base as that side's event (`d->lock` with `d->done`,
 * `p->lock` with `p->done`).
 */
export function sameLockRelativeTo(lockA: string, eventA: string, lockB: string, eventB: string): boolean {
  if (lockA.replace(/\s+/g, '') === lockB.replace(/\s+/g, '')) return true;
  const la = objectPath(lockA);
  const lb = objectPath(lockB);
  const ea = objectPath(eventA);
  const eb = objectPath(eventB);
  if (!la || !lb || !ea || !eb || la.path === '' || la.path !== lb.path) return false;
  return la.base === ea.base && lb.base === eb.base;
}
