import { defineRule } from '../engine/define-rule.ts';
import type { Patch } from '../../bot/model.ts';
import type { AssignFact, CallFact, Fact, FunctionFacts } from '../engine/types.ts';
import { baseOf, escapeRe, memberOf, normExpr, paramNamesOf } from '../engine/analysis/c-expr.ts';
import { factsBetween, gotosReaching, innermostCondition, isErrorExit } from '../engine/analysis/cma-unwind.ts';
import { addedLines } from '../engine/analysis/hunk-text.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

type MessageId = 'nullAsError' | 'errAsSuccess' | 'staleAfterUnregister';

const REGISTER = 'dmem_cgroup_register_region';
const UNREGISTER = 'dmem_cgroup_unregister_region';

/** A condition that is true for a NULL region: `!r`, `r == NULL`, `IS_ERR_OR_NULL(r)`. */
function testsNull(cond: string, v: string): boolean {
  const c = cond.replace(/\s+/g, '');
  const e = escapeRe(v);
  return new RegExp(`^!${e}$|^${e}==NULL$|^NULL==${e}$|(?<!!)IS_ERR_OR_NULL\\(${e}\\)`).test(c);
}

/** True when any fact after `line` looks at the value with IS_ERR()/PTR_ERR(). */
function errChecked(fn: FunctionFacts, line: number, names: readonly string[]): boolean {
  return fn.facts.some(
    (f) =>
      f.line >= line &&
      names.some((n) => [f.text, ...f.conditions].some((t) => new RegExp(`(?:IS_ERR|IS_ERR_OR_NULL|PTR_ERR|PTR_ERR_OR_ZERO|ERR_CAST)\\s*\\(\\s*${escapeRe(n)}\\s*\\)`).test(t))),
  );
}

/** Stores of the region pointer into a member: `cma->dmem_cgrp_region = region`. */
function storesOf(fn: FunctionFacts, v: string): AssignFact[] {
  return fn.facts.filter((f): f is AssignFact => f.kind === 'assign' && f.op === '=' && normExpr(f.rhs) === v && memberOf(f.lhs) !== '');
}

/** The store is on a path to the unregister: a visible goto to its label comes after the store, or it simply precedes it. */
function storeReaches(fn: FunctionFacts, store: Fact, unregister: Fact): boolean {
  const gotos = gotosReaching(fn, unregister.line);
  if (gotos.length > 0) return gotos.some((g) => g.line > store.line);
  return store.line < unregister.line;
}

/** The stored pointer is cleared, or its owner freed, after the unregister or anywhere the patch adds. */
function clearedOrFreed(fn: FunctionFacts, patch: Patch | undefined, unregister: Fact, field: string): boolean {
  const owner = baseOf(field);
  const after = fn.facts.filter((f) => f.line > unregister.line);
  if (after.some((f) => f.kind === 'assign' && normExpr(f.lhs) === normExpr(field) && /^(?:NULL|0)$/.test(normExpr(f.rhs)))) return true;
  if (after.some((f) => f.kind === 'call' && /free|put|destroy|release/.test(f.callee) && f.args.some((a) => normExpr(a) === owner))) return true;
  if (!patch) return false;
  const reset = new RegExp(`(?:->|\\.)${escapeRe(memberOf(field))}\\s*=\\s*(?:NULL|0)\\s*;`);
  for (const l of addedLines(patch)) if (reset.test(l.text)) return true;
  return false;
}

function checkRegister(fn: FunctionFacts, r: CallFact, report: (id: MessageId, line: number, data: Record<string, string | number>) => void): void {
  const v = normExpr(r.assignedTo ?? '');
  if (!v) return;
  let nullReported = false;
  for (const f of fn.facts) {
    if (f.line <= r.line || !isErrorExit(fn, f) || !(r.changed || f.changed)) continue;
    if (!testsNull(innermostCondition(f), v)) continue;
    report('nullAsError', f.line, { value: v, exit: f.text, func: functionLabel(fn) });
    nullReported = true;
  }
  if (nullReported || !r.changed) return;
  // ERR_PTR taken for a region: stored away, and nothing in the (fully visible) rest of the function checks it.
  const stored = memberOf(v) !== '' ? [v] : storesOf(fn, v).map((s) => normExpr(s.lhs));
  if (stored.length === 0 || !fn.suffixKnown || fn.facts.some((f) => f.kind === 'gap' && f.line > r.line)) return;
  if (errChecked(fn, r.line, [v, ...stored])) return;
  report('errAsSuccess', r.line, { value: v, field: stored[0] ?? v, func: functionLabel(fn, { start: true }) });
}

function checkUnregister(
  fn: FunctionFacts,
  patch: Patch | undefined,
  u: CallFact,
  report: (id: MessageId, line: number, data: Record<string, string | number>) => void,
): void {
  const arg = normExpr(u.args[0] ?? '');
  if (!arg) return;
  const sections = patch ? patch.files.filter((f) => f.path === fn.file).flatMap((f) => f.hunks.map((h) => h.section)) : [];
  const params = new Set(paramNamesOf(fn, sections));
  const registered = fn.facts.filter((f): f is CallFact => f.kind === 'call' && f.callee === REGISTER && f.line < u.line);
  for (const r of registered) {
    const v = normExpr(r.assignedTo ?? '');
    if (!v) continue;
    for (const store of storesOf(fn, v)) {
      const field = normExpr(store.lhs);
      if (arg !== v && arg !== field) continue;
      if (store.line < r.line || store.line > u.line || !(store.changed || u.changed)) continue;
      // The owner outlives the function only when it came from the caller.
      if (!params.has(baseOf(field)) || !storeReaches(fn, store, u)) continue;
      if (clearedOrFreed(fn, patch, u, field)) continue;
      if (factsBetween(fn, store.line, u.line).some((f) => f.kind === 'assign' && normExpr(f.lhs) === field)) continue;
      report('staleAfterUnregister', u.line, { field, func: functionLabel(fn, { start: true }), storeLine: store.line });
      return;
    }
  }
}

export default defineRule<MessageId>({
  meta: {
    id: 'cma/region-lifecycle',
    severity: 'warning',
    description:
      'dmem_cgroup_register_region() results misread (NULL as error, ERR_PTR as a region), or a region unregistered while a stored pointer still names it.',
    messages: {
      nullAsError:
        '`{{exit}}` treats a NULL `{{value}}` as a failure, but dmem_cgroup_register_region() returns NULL when the size is 0 or the dmem cgroup is configured out, which is not an error: {{func}} then fails (or returns PTR_ERR(NULL) == 0) on every kernel without CONFIG_CGROUP_DMEM. Test IS_ERR() only; a NULL region simply disables accounting.',
      errAsSuccess:
        '{{func}} stores `{{value}}` from dmem_cgroup_register_region() in {{field}} without an IS_ERR() check; on failure an ERR_PTR is later charged against as if it were a region. Check IS_ERR() and propagate PTR_ERR().',
      staleAfterUnregister:
        '{{func}} unregisters the region but leaves {{field}} (stored at line {{storeLine}}) pointing at it; a later lookup through {{field}} charges against a freed region. Set {{field}} to NULL when unregistering.',
    },
    triggers: [REGISTER, UNREGISTER],
    // Sound: every check starts at a register or unregister call and reads only its own function.
    reads: [REGISTER, UNREGISTER],
    scope: 'patch',
  },
  check(ctx) {
    for (const fn of ctx.functions) {
      if (fn.image !== 'new') continue;
      const report = (messageId: MessageId, line: number, data: Record<string, string | number>): void =>
        ctx.report({ messageId, patch: fn.patch, file: fn.file, line, data });
      for (const f of fn.facts) {
        if (f.kind !== 'call') continue;
        if (f.callee === REGISTER) checkRegister(fn, f, report);
        else if (f.callee === UNREGISTER) checkUnregister(fn, ctx.patch, f, report);
      }
    }
  },
});
