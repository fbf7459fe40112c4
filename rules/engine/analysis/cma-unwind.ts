// Error-path unwinding through goto labels, as the cma rules read it: which exits are error exits,
// what runs when control falls through from a label, and whether a fact lies on the path to an exit.
// Everything answers "unknown" (null) when the code that would decide it is not visible.
import type { Fact, FunctionFacts, GotoFact, LabelFact, ReturnFact } from '../types.ts';
import { mentions, normExpr } from './c-expr.ts';

export type Exit = GotoFact | ReturnFact;

/** Condition texts compared without spaces and outer parentheses. */
function normCond(c: string): string {
  return normExpr(c);
}

/** True when every condition of `inner`'s prefix equals `outer`'s: `outer` encloses (or is the block of) `inner`. */
export function enclosesOrSame(outer: Fact, inner: Fact): boolean {
  if (outer.conditions.length > inner.conditions.length) return false;
  return outer.conditions.every((c, i) => normCond(c) === normCond(inner.conditions[i] ?? ''));
}

/** The innermost condition guarding a fact, or ''. */
export function innermostCondition(f: Fact): string {
  return f.conditions[f.conditions.length - 1] ?? '';
}

export function findLabel(fn: FunctionFacts, name: string): LabelFact | undefined {
  return fn.facts.find((f): f is LabelFact => f.kind === 'label' && f.name === name);
}

/** Line of the first label after `line`, or Infinity: the start of the cleanup section. */
export function firstLabelAfter(fn: FunctionFacts, line: number): number {
  let best = Infinity;
  for (const f of fn.facts) if (f.kind === 'label' && f.line > line && f.line < best) best = f.line;
  return best;
}

const ERROR_VALUE = /^(?:-E[A-Z0-9]+|ERR_PTR\(.*\)|ERR_CAST\(.*\)|PTR_ERR\(.*\)|-\w*ERR\w*)$/;

/**
 * An exit that leaves the function on an error: a forward goto, or a return of an error value
 * (-Exxx, ERR_PTR(), PTR_ERR(), NULL from a pointer function, or a status variable that the
 * innermost condition tests, as in `if (ret) return ret;`).
 */
export function isErrorExit(fn: FunctionFacts, f: Fact): f is Exit {
  if (f.kind === 'goto') {
    const label = findLabel(fn, f.label);
    return label === undefined || label.line > f.line;
  }
  if (f.kind !== 'return') return false;
  const v = normExpr(f.value);
  if (!v) return false;
  if (ERROR_VALUE.test(v)) return true;
  if (v === 'NULL') return (fn.returnType ?? '').includes('*');
  if (/^[A-Za-z_]\w*$/.test(v) && !/^(?:true|false)$/.test(v)) return mentions(innermostCondition(f), v);
  return false;
}

export type WalkResult = 'found' | 'end' | 'unknown';

/**
 * Walks the code that runs from label `name` on (following unconditional gotos), calling `match`
 * on each fact. 'found' when `match` said yes, 'end' when a visible return or the visible end of
 * the function came first, 'unknown' when the label or the rest of the function is not visible.
 */
export function walkFromLabel(fn: FunctionFacts, name: string, match: (f: Fact) => boolean): WalkResult {
  const seen = new Set<string>();
  let label = findLabel(fn, name);
  while (label) {
    if (seen.has(label.name)) return 'unknown';
    seen.add(label.name);
    const start = fn.facts.indexOf(label);
    let next: LabelFact | undefined;
    for (let i = start + 1; i < fn.facts.length && !next; i++) {
      const f = fn.facts[i] as Fact;
      if (match(f)) return 'found';
      if (f.kind === 'gap') return 'unknown';
      if (f.kind === 'return' && f.depth <= label.depth && f.conditions.length <= label.conditions.length) return 'end';
      if (f.kind === 'goto' && f.conditions.length <= label.conditions.length) {
        next = findLabel(fn, f.label);
        if (!next) return 'unknown';
      }
    }
    if (!next) return fn.suffixKnown ? 'end' : 'unknown';
    label = next;
  }
  return 'unknown';
}

/** Facts strictly between two lines, in order. */
export function factsBetween(fn: FunctionFacts, from: number, to: number): Fact[] {
  return fn.facts.filter((f) => f.line > from && f.line < to);
}

/** True when a visible gap (hidden code) lies between two lines. */
export function gapBetween(fn: FunctionFacts, from: number, to: number): boolean {
  return factsBetween(fn, from, to).some((f) => f.kind === 'gap');
}

/** Gotos whose target label, followed by fall-through, reaches line `line` (the label section above it). */
export function gotosReaching(fn: FunctionFacts, line: number): GotoFact[] {
  const out: GotoFact[] = [];
  for (const g of fn.facts) {
    if (g.kind !== 'goto') continue;
    const label = findLabel(fn, g.label);
    if (!label || label.line > line) continue;
    // Fall-through from the label to `line` must not pass an unconditional return.
    const between = factsBetween(fn, label.line, line);
    if (between.some((f) => (f.kind === 'return' || f.kind === 'goto') && f.conditions.length <= label.conditions.length)) continue;
    out.push(g);
  }
  return out;
}
