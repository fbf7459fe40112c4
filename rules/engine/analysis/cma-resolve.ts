// Resolves a size expression through the definitions visible in one function, so that `size`
// declared as `size_t size = PAGE_ALIGN(len);` compares as PAGE_ALIGN(len).
import type { FunctionFacts } from '../types.ts';
import { escapeRe, mentions, normExpr } from './c-expr.ts';

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/**
 * The initializer of a local's declaration text: "size_t size = PAGE_ALIGN(len)" -> "PAGE_ALIGN(len)".
 * What /\bname\s*=\s*([^;]+?)\s*;?\s*$/ captured, found by scanning: that pattern backtracked
 * cubically over runs of blanks.
 */
function initializerOf(decl: string, name: string): string | undefined {
  // The value ends before an optional trailing ";" and blanks, and holds no ";" itself.
  let end = decl.length;
  while (isSpace(decl[end - 1])) end--;
  if (decl[end - 1] === ';') {
    end--;
    while (isSpace(decl[end - 1])) end--;
  }
  const at = new RegExp(`\\b${name}\\s*=`, 'g');
  at.lastIndex = decl.lastIndexOf(';', end - 1) + 1;
  for (let m = at.exec(decl); m; m = at.exec(decl)) {
    const eq = m.index + m[0].length;
    let k = eq;
    while (isSpace(decl[k])) k++;
    if (k < end) return decl.slice(k, end);
    // Nothing but the trailer after "=": the old pattern took one blank as the value.
    if (k > eq) return decl[k - 1];
  }
  return undefined;
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
