// Name, parameters and return type from a visible function signature, read as text so that
// kernel annotations in the head cannot spoil it.
import { escapeRe } from '../analysis/c-expr.ts';
import { functionNameOf } from './regions.ts';
import { matchingClose, normCode, splitArgs } from './text.ts';

export interface Signature {
  name: string | null;
  params?: string[];
  returnType?: string;
}

const NOT_TYPE = /\b(static|inline|extern|__always_inline|noinline|__init|__exit|__cold|__maybe_unused|notrace|asmlinkage|__must_check|__weak)\b/g;

export function parseSignature(head: string): Signature {
  const name = functionNameOf(head);
  if (!name) return { name: null };
  const at = head.search(cached(`call:${name}`, () => new RegExp(`\\b${name}\\s*\\(`)));
  const open = head.indexOf('(', at);
  const close = matchingClose(head, open);
  if (at < 0 || close < 0) return { name };
  const params = splitArgs(head.slice(open, close + 1)).filter((p) => p !== 'void' && p !== '');
  const returnType = normCode(head.slice(0, at).replace(NOT_TYPE, ' '));
  return { name, params, returnType };
}

/**
 * The return type before `name(` in git's `@@ ... @@` section header, which git may have cut off
 * after the name: "int" for "static int foo(struct x *y, unsi". Storage and inline words dropped.
 */
export function returnTypeFromHeader(section: string, name: string): string | undefined {
  // Section headers are at most ~80 characters (git cuts them), so the nested quantifier stays cheap.
  const m = cached(`type:${name}`, () => new RegExp(`^\\s*((?:[A-Za-z_]\\w*[\\s*]+)+)${escapeRe(name)}\\s*\\(`)).exec(section.slice(0, 200));
  const type = m?.[1]?.replace(/\b(?:static|inline|__always_inline|noinline|extern)\b/g, '').replace(/\s+/g, ' ').trim();
  return type || undefined;
}

// Patterns built from a function name, compiled once per name: functions recur across the hunks,
// revisions and resends of a run. Non-global, so sharing them is safe.
const patterns = new Map<string, RegExp>();

function cached(key: string, build: () => RegExp): RegExp {
  let re = patterns.get(key);
  if (!re) {
    if (patterns.size >= 4096) patterns.clear();
    patterns.set(key, (re = build()));
  }
  return re;
}
