// Resolves a size expression through the definitions visible in one function, so that `size`
// declared as `size_t size = PAGE_ALIGN(len);` compares as PAGE_ALIGN(len).
import type { FunctionFacts } from '../types.ts';
import { escapeRe, mentions, normExpr } from './c-expr.ts';

/** The initializer of a local's declaration text: "size_t size = PAGE_ALIGN(len)" -> "PAGE_ALIGN(len)". */
function initializerOf(decl: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*([^;]+?)\\s*;?\\s*$`).exec(decl);
  return m?.[1];
}

/** The last visible definition of an lvalue before `line`: an assignment, else a declaration initializer. */
export function definitionOf(fn: FunctionFacts, lvalue: string, line: number): string | undefined {
  const target = normExpr(lvalue);
  let best: { line: number; rhs: string } | undefined;
  for (const f of fn.facts) {
    if (f.line >= line || f.kind !== 'assign' || f.op !== '=' || normExpr(f.lhs) !== target) continue;
    if (!best || f.line > best.line) best = { line: f.line, rhs: f.rhs };
  }
  if (best) return normExpr(best.rhs);
  const decl = fn.locals[target];
  const init = decl ? initializerOf(decl, target) : undefined;
  return init ? normExpr(init) : undefined;
}

/**
 * Substitutes visible definitions into an expression (a few rounds), names and member lvalues
 * alike; what has no visible definition stays as written.
 */
export function resolveExpr(fn: FunctionFacts, expr: string, line: number): string {
  let out = normExpr(expr);
  for (let round = 0; round < 4; round++) {
    const whole = definitionOf(fn, out, line);
    if (whole !== undefined && whole !== out && !whole.includes(out)) {
      out = whole;
      continue;
    }
    const next = out.replace(/(?<![\w>.])[A-Za-z_]\w*(?:(?:->|\.)\w+)*/g, (name) => {
      const d = definitionOf(fn, name, line);
      return d !== undefined && !new RegExp(`(?<![\\w>.])${escapeRe(name)}(?!\\w)`).test(d) ? `(${d})` : name;
    });
    if (next === out) break;
    out = normExpr(next);
  }
  return out.replace(/(?<![\w)\]])\(([A-Za-z_]\w*)\)/g, '$1');
}

/** True when two resolved size expressions visibly differ: one is derived from the other, or both are different constants. */
export function visiblyDifferent(a: string, b: string): boolean {
  if (a === b) return false;
  const num = /^(?:0x[0-9a-fA-F]+|\d+)[uUlL]*$/;
  if (num.test(a) && num.test(b)) return true;
  return mentions(a, b) || mentions(b, a);
}
