// Returns and gotos after a point: the ways a function can leave a state it set up.
import type { FunctionFacts, GotoFact, ReturnFact } from '../types.ts';
import { extraConditions, within } from './conditions.ts';

export interface Exit {
  fact: ReturnFact | GotoFact;
  index: number;
  /** Conditions under which the exit is taken, beyond those of the starting point (all of them when not nested). */
  conditions: string[];
  /** True when the exit is nested in the starting point's block (else it is on another branch). */
  sameBranch: boolean;
  /** True when a gap (hidden code) lies between the point and the exit. */
  afterGap: boolean;
  /** Looks like an error exit: -Exxx, ERR_PTR(), a negative number, or a goto to an error-ish label. */
  error: boolean;
}

const ERROR_VALUE = /^(-E[A-Z0-9]+|ERR_PTR\(.*\)|ERR_CAST\(.*\)|-\d+)$/;
const ERROR_LABEL = /err|fail|out|unwind|free|put|release|unlock|undo|clean|bail|abort|unmap|uncharge/i;

export function exitsAfter(fn: FunctionFacts, factIndex: number): Exit[] {
  const start = fn.facts[factIndex];
  if (!start) return [];
  const out: Exit[] = [];
  let gap = false;
  for (let i = factIndex + 1; i < fn.facts.length; i++) {
    const f = fn.facts[i];
    if (!f) continue;
    if (f.kind === 'gap') gap = true;
    if (f.kind !== 'return' && f.kind !== 'goto') continue;
    const sameBranch = within(start, f);
    out.push({
      fact: f,
      index: i,
      conditions: sameBranch ? extraConditions(start, f) : f.conditions,
      sameBranch,
      afterGap: gap,
      error: f.kind === 'return' ? ERROR_VALUE.test(f.value) : ERROR_LABEL.test(f.label),
    });
  }
  return out;
}
