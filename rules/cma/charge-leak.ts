import { defineRule } from '../engine/define-rule.ts';
import type { Fact, FunctionFacts } from '../engine/types.ts';
import {
  CHARGE_CALLS,
  aliasesBefore,
  chargesOf,
  isUndoOf,
  mayUndoIndirectly,
  testsOwnResult,
  type Charge,
} from '../engine/analysis/cma-charges.ts';
import {
  enclosesOrSame,
  factsBetween,
  findLabel,
  firstLabelAfter,
  isErrorExit,
  walkFromLabel,
  type Exit,
} from '../engine/analysis/cma-unwind.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

type MessageId = 'skipsUndo' | 'outOfOrder' | 'returnsCharged';

/** One block encloses the other: the exit can run after the charge (not in a sibling branch). */
function sameOrNested(a: Fact, b: Fact): boolean {
  return enclosesOrSame(a, b) || enclosesOrSame(b, a);
}

/** The undo on the path before the exit itself (`dmem_cgroup_uncharge(); return -ENOMEM;`). */
function undoneBeforeExit(fn: FunctionFacts, c: Charge, exit: Exit, names: Set<string>): boolean {
  return factsBetween(fn, c.fact.line, exit.line).some(
    (f) => enclosesOrSame(f, exit) && (isUndoOf(c, f, names) || mayUndoIndirectly(c, f, names)),
  );
}

export default defineRule<MessageId>({
  meta: {
    id: 'cma/charge-leak',
    severity: 'error',
    description: 'An error exit after a dmem/CMA charge skips the matching undo, or the unwind labels run out of order.',
    messages: {
      skipsUndo:
        '`{{exit}}` leaves {{func}} after {{charge}}() took {{resource}} (line {{chargeLine}}), but the unwind from `{{label}}:` never reaches {{undo}}() at line {{undoLine}}, so the charge is never given back. Jump to the label above {{undo}}() so the unwind runs in reverse order of the charges.',
      outOfOrder:
        'The error labels of {{func}} unwind in charge order, not in reverse: `{{exit}}` lands on `{{label}}:`, which undoes a later charge but falls past {{undo}}() at line {{undoLine}}, so {{resource}} from {{charge}}() (line {{chargeLine}}) leaks. Put the labels in reverse order of the charges.',
      returnsCharged:
        '`{{exit}}` returns from {{func}} after {{charge}}() took {{resource}} (line {{chargeLine}}) without {{undo}}(), which the unwind at line {{undoLine}} does for the other error paths; the charge leaks. Jump to the unwind label instead of returning.',
    },
    triggers: ['dmem_cgroup_try_charge', 'cma_alloc', 'dmem_cgroup_register_region'],
    // Sound: a charge (chargesOf) and its undo and exits are all read in the charging function.
    reads: Object.values(CHARGE_CALLS).map((c) => c.callee),
    scope: 'patch',
  },
  check(ctx) {
    for (const fn of ctx.functions) {
      if (fn.image !== 'new' || fn.name === null) continue;
      const charges = chargesOf(fn);
      for (const c of charges) {
        const cleanupStart = firstLabelAfter(fn, c.fact.line);
        const allNames = aliasesBefore(fn, c, Infinity);
        const undo = fn.facts.find((f) => f.line > c.fact.line && isUndoOf(c, f, allNames));
        // Precision first: without a visible undo the function may hand the charge to an owner.
        if (!undo) continue;
        for (const exit of fn.facts) {
          if (exit.line <= c.fact.line || exit.line >= cleanupStart) continue;
          if (!isErrorExit(fn, exit) || !(c.fact.changed || exit.changed)) continue;
          if (!sameOrNested(c.fact, exit) || testsOwnResult(fn, c, exit)) continue;
          const names = aliasesBefore(fn, c, exit.line);
          if (undoneBeforeExit(fn, c, exit, names)) continue;
          const data = {
            exit: exit.text,
            func: functionLabel(fn),
            charge: c.fact.callee,
            resource: c.resource,
            chargeLine: c.fact.line,
            undo: c.undoCallee,
            undoLine: undo.line,
          };
          if (exit.kind === 'return') {
            ctx.report({ messageId: 'returnsCharged', patch: fn.patch, file: fn.file, line: exit.line, data });
            continue;
          }
          const walk = walkFromLabel(fn, exit.label, (f) => isUndoOf(c, f, names) || mayUndoIndirectly(c, f, names));
          if (walk !== 'end') continue;
          const label = findLabel(fn, exit.label);
          const undoesLater =
            label !== undefined &&
            undo.line < label.line &&
            charges.some((other) => other.fact.line > c.fact.line && walkFromLabel(fn, exit.label, (f) => isUndoOf(other, f, aliasesBefore(fn, other, Infinity))) === 'found');
          ctx.report({
            messageId: undoesLater ? 'outOfOrder' : 'skipsUndo',
            patch: fn.patch,
            file: fn.file,
            line: exit.line,
            data: { ...data, label: exit.label },
            related: [
              { label: 'charge', patch: fn.patch, file: fn.file, line: c.fact.line },
              { label: 'skipped undo', patch: fn.patch, file: fn.file, line: undo.line },
            ],
          });
        }
      }
    }
  },
});
