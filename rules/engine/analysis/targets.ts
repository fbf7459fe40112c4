// Comparing lock / wait targets as the facts carry them.
import { normTarget } from '../facts/text.ts';

/** Canonical form: "&(x)->lock" -> "x->lock"; different base objects stay different. */
export function canonicalTarget(expr: string): string {
  return normTarget(expr).replace(/\(([A-Za-z_]\w*)\)/g, '$1');
}

/** True when two lock or wait expressions name the same object ("&x->lock" and "x->lock" do). */
export function sameTarget(a: string, b: string): boolean {
  return canonicalTarget(a) === canonicalTarget(b);
}
