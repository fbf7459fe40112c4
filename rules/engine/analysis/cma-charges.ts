// The CMA / dmem accounting calls and their undos, and what a charged resource is called along a
// function (the pool pointer, the page pointer, the region pointer and the names it is copied to).
import type { CallFact, Fact, FunctionFacts } from '../types.ts';
import { baseOf, mentions, normExpr } from './c-expr.ts';

export type ChargeKind = 'try_charge' | 'cma_alloc' | 'register_region';

export interface Charge {
  kind: ChargeKind;
  fact: CallFact;
  /** The charged thing as the code names it: pool lvalue, page pointer, region pointer. */
  resource: string;
  /** Variable the call's status or result is assigned to, if any. */
  resultVar?: string;
  undoCallee: string;
}

export const CHARGE_CALLS: Record<ChargeKind, { callee: string; undo: string; undoArg: number }> = {
  try_charge: { callee: 'dmem_cgroup_try_charge', undo: 'dmem_cgroup_uncharge', undoArg: 0 },
  cma_alloc: { callee: 'cma_alloc', undo: 'cma_release', undoArg: 1 },
  register_region: { callee: 'dmem_cgroup_register_region', undo: 'dmem_cgroup_unregister_region', undoArg: 0 },
};

/** Every charge call of a function whose resource can be named. */
export function chargesOf(fn: FunctionFacts): Charge[] {
  const out: Charge[] = [];
  for (const f of fn.facts) {
    if (f.kind !== 'call') continue;
    for (const [kind, spec] of Object.entries(CHARGE_CALLS) as Array<[ChargeKind, (typeof CHARGE_CALLS)[ChargeKind]]>) {
      if (f.callee !== spec.callee) continue;
      const resource = kind === 'try_charge' ? normExpr(f.args[2] ?? '') : normExpr(f.assignedTo ?? '');
      if (!resource || resource === 'NULL') continue;
      out.push({ kind, fact: f, resource, resultVar: f.assignedTo ? normExpr(f.assignedTo) : undefined, undoCallee: spec.undo });
    }
  }
  return out;
}

/** The resource and every name it was copied to by a plain assignment before `line`. */
export function aliasesBefore(fn: FunctionFacts, charge: Charge, line: number): Set<string> {
  const names = new Set([charge.resource]);
  for (const f of fn.facts) {
    if (f.line <= charge.fact.line || f.line >= line || f.kind !== 'assign' || f.op !== '=') continue;
    if (names.has(normExpr(f.rhs))) names.add(normExpr(f.lhs));
  }
  return names;
}

/** True when `f` is the matching undo call of `charge` on one of its names. */
export function isUndoOf(charge: Charge, f: Fact, names: Set<string>): boolean {
  if (f.kind !== 'call' || f.callee !== charge.undoCallee) return false;
  const arg = f.args[CHARGE_CALLS[charge.kind].undoArg];
  return arg !== undefined && names.has(normExpr(arg));
}

/** Freeing calls that release memory only, never a charge held inside the object. */
const PLAIN_FREE = new Set(['kfree', 'kvfree', 'vfree', 'kfree_sensitive', 'devm_kfree', 'kmem_cache_free', 'bitmap_free']);

/** Calls that only look at a value (error tests, logging, assertions): they never take the charge over. */
const INSPECTS = /^(?:IS_ERR|IS_ERR_OR_NULL|PTR_ERR|PTR_ERR_OR_ZERO|ERR_CAST|WARN\w*|BUG_ON|likely|unlikely|READ_ONCE|sizeof|printk|pr_\w+|dev_(?:err|warn|info|dbg|notice)\w*|drm_(?:err|warn|info|dbg)\w*|DRM_\w+|trace_\w+)$/;

/**
 * True when a call hands the resource (or the object that holds it) to a function that may undo
 * the charge itself, e.g. a release helper: the rule cannot see through it and must stay silent.
 */
export function mayUndoIndirectly(charge: Charge, f: Fact, names: Set<string>): boolean {
  if (f.kind !== 'call' || PLAIN_FREE.has(f.callee) || INSPECTS.test(f.callee) || f.callee === charge.fact.callee) return false;
  for (const name of names) {
    const base = baseOf(name);
    for (const a of f.args) {
      const n = normExpr(a);
      if (n === name || (base && n === base && base !== name)) return true;
    }
  }
  return false;
}

/** True when a fact tests the charge's own result (its failure branch): `if (ret)`, `if (!pages)`, `if (IS_ERR(r))`. */
export function testsOwnResult(fn: FunctionFacts, charge: Charge, f: Fact): boolean {
  const cond = f.conditions[f.conditions.length - 1] ?? '';
  if (mentions(cond, charge.fact.callee) || cond.includes(charge.fact.callee)) return true;
  const v = charge.resultVar;
  if (!v || !mentions(cond, v)) return false;
  // The variable must still hold the charge's result.
  return !fn.facts.some(
    (g) =>
      g.line > charge.fact.line &&
      g.line < f.line &&
      ((g.kind === 'call' && g.assignedTo !== undefined && normExpr(g.assignedTo) === v) ||
        (g.kind === 'assign' && normExpr(g.lhs) === v)),
  );
}
