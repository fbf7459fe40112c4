// Small text helpers for C expressions as the facts carry them (argument texts, conditions).

/** Whitespace removed, outer parentheses and a leading address-of dropped: "&(buf->pool)" -> "buf->pool". */
export function normExpr(text: string): string {
  let s = squash(text);
  for (;;) {
    const before = s;
    if (s.startsWith('&')) s = s.slice(1);
    if (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1))) s = s.slice(1, -1);
    if (s === before) return s;
  }
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** The text with all whitespace removed, for layout-blind comparison: "a -> b" -> "a->b". */
export function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

/** A string as a literal inside a RegExp. */
export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `expr` occurs in `text` as a whole expression (not as part of a longer name or a member). */
export function mentions(text: string, expr: string): boolean {
  if (!expr) return false;
  const t = squash(text);
  const e = normExpr(expr);
  return new RegExp(`(?<![\\w>.])${escapeRe(e)}(?![\\w]|->|\\.\\w)`).test(t);
}

/** The object an lvalue hangs off: "cma_heap->cg" -> "cma_heap", "a.b.c" -> "a"; a plain name -> itself. */
export function baseOf(expr: string): string {
  const m = /^[A-Za-z_]\w*/.exec(normExpr(expr));
  return m ? m[0] : '';
}

/** The last member name of an lvalue: "buf->cgroup_pool_state" -> "cgroup_pool_state"; '' for a plain name. */
export function memberOf(expr: string): string {
  const m = /(?:->|\.)(\w+)$/.exec(normExpr(expr));
  return m?.[1] ?? '';
}

/** Names of the parameters of a visible signature: ["struct cma *cma", "int n"] -> ["cma", "n"]. */
export function paramNames(params: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const p of params ?? []) {
    // [hardening] Anchored at a word start, one blank run per step: linear on hostile long lines.
    const m = /(?<!\w)(\w+)(?:\s*\[[^\][]*\])*\s*$/.exec(p.replace(/\(\s*\*\s*(\w+)\s*\)\s*\(.*$/, '$1'));
    if (m?.[1] && m[1] !== 'void') out.push(m[1]);
  }
  return out;
}

/** A C identifier that is a plain name (no member access, no call). */
export function isPlainName(expr: string): boolean {
  return /^[A-Za-z_]\w*$/.test(normExpr(expr));
}

/**
 * Parameter names of a function, from its visible signature or else from a hunk header that
 * names it (`@@ ... @@ static void __init cma_activate_area(struct cma *cma)`).
 */
export function paramNamesOf(fn: { name: string | null; params?: string[] }, sections: readonly string[]): string[] {
  if (fn.params) return paramNames(fn.params);
  if (!fn.name) return [];
  for (const s of sections) {
    const m = new RegExp(`\\b${fn.name}\\s*\\(([^)]*)\\)?`).exec(s);
    if (m?.[1] !== undefined) return paramNames(m[1].split(','));
  }
  return [];
}
