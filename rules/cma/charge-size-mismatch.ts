import { defineRule } from '../engine/define-rule.ts';
import type { CallFact, FunctionFacts } from '../engine/types.ts';
import { memberOf, normExpr } from '../engine/analysis/c-expr.ts';
import { CHARGE_CALLS, aliasesBefore, chargesOf, type Charge } from '../engine/analysis/cma-charges.ts';
import { resolveExpr, visiblyDifferent } from '../engine/analysis/cma-resolve.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

type MessageId = 'mismatch';

interface Candidate {
  fn: FunctionFacts;
  charge: Charge;
  charged: string;
  uncharged: string;
}

/** The size the uncharge gives back, resolved in the charging function; undefined when not visible there. */
function unchargedSize(chargeFn: FunctionFacts, unchargeFn: FunctionFacts, call: CallFact): string | undefined {
  const size = call.args[1] ?? '';
  if (chargeFn === unchargeFn) return resolveExpr(chargeFn, size, call.line);
  // Another function (a release callback): `buf->len` means what the charging function stored in ->len.
  const member = memberOf(size);
  if (!member) return undefined;
  const stored = chargeFn.facts.filter((f) => f.kind === 'assign' && f.op === '=' && memberOf(f.lhs) === member);
  const last = stored[stored.length - 1];
  if (!last || last.kind !== 'assign' || stored.length > 1) return undefined;
  return resolveExpr(chargeFn, last.rhs, last.line);
}

/** Charges of the same pool: the same lvalue in one function, the same member across functions. */
function matchingCharge(fns: readonly FunctionFacts[], unchargeFn: FunctionFacts, call: CallFact): Candidate | undefined {
  const pool = normExpr(call.args[0] ?? '');
  const poolMember = memberOf(pool);
  for (const fn of fns) {
    if (fn.image !== 'new' || fn.file !== unchargeFn.file) continue;
    for (const c of chargesOf(fn)) {
      if (c.kind !== 'try_charge') continue;
      const names = aliasesBefore(fn, c, fn === unchargeFn ? call.line : Infinity);
      const same = fn === unchargeFn ? names.has(pool) : poolMember !== '' && [...names].some((n) => memberOf(n) === poolMember);
      if (!same || (fn === unchargeFn && c.fact.line > call.line)) continue;
      const uncharged = unchargedSize(fn, unchargeFn, call);
      if (uncharged === undefined) continue;
      return { fn, charge: c, charged: resolveExpr(fn, c.fact.args[1] ?? '', c.fact.line), uncharged };
    }
  }
  return undefined;
}

/** "size (= PAGE_ALIGN(len))" when resolving changed the text. */
function shown(written: string, resolved: string): string {
  return written === resolved ? written : `${written} (= ${resolved})`;
}

export default defineRule<MessageId>({
  meta: {
    id: 'cma/charge-size-mismatch',
    severity: 'warning',
    description: 'dmem_cgroup_uncharge() gives back a size visibly different from the one charged.',
    messages: {
      mismatch:
        '`{{text}}` gives back {{uncharged}}, but {{func}} charged {{charged}} to the same pool at line {{chargeLine}}; the cgroup counter drifts by the difference on every buffer until the limit is hit for memory nobody holds. Uncharge exactly the charged size (store it with the pool).',
    },
    triggers: ['dmem_cgroup_uncharge'],
    // Sound: an uncharge is matched to the first function (in order) holding a try_charge charge,
    // and sizes are resolved in those two functions only; functions with neither add nothing.
    reads: ['dmem_cgroup_uncharge', CHARGE_CALLS.try_charge.callee],
    scope: 'patch',
  },
  check(ctx) {
    for (const fn of ctx.functions) {
      if (fn.image !== 'new') continue;
      for (const f of fn.facts) {
        if (f.kind !== 'call' || f.callee !== 'dmem_cgroup_uncharge' || f.args.length < 2) continue;
        const m = matchingCharge(ctx.functions, fn, f);
        if (!m || !(f.changed || m.charge.fact.changed) || !visiblyDifferent(m.charged, m.uncharged)) continue;
        ctx.report({
          messageId: 'mismatch',
          patch: fn.patch,
          file: fn.file,
          line: f.line,
          data: {
            text: f.text,
            uncharged: shown(normExpr(f.args[1] ?? ''), m.uncharged),
            charged: shown(normExpr(m.charge.fact.args[1] ?? ''), m.charged),
            func: m.fn.name ? functionLabel(m.fn) : 'the charging code',
            chargeLine: m.charge.fact.line,
          },
          related: [{ label: 'charge', patch: m.fn.patch, file: m.fn.file, line: m.charge.fact.line }],
        });
      }
    }
  },
});
