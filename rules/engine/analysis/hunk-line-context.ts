// What a hunk shows around a fact that the C parse can lose: the raw post-image line (a hunk that
// starts inside a comment can cost a statement its `return`), and the return type of the
// function from git's `@@ ... @@ int foo(...)` section header.
import type { Patch } from '../../../bot/model.ts';
import { returnTypeFromHeader } from '../facts/signature.ts';
import { squash } from './c-expr.ts';
import { hunkAt } from './hunk-text.ts';

/** The post-image text of `line` in `file`, or undefined when no hunk shows it. */
export function postLineText(patch: Patch | undefined, file: string, line: number): string | undefined {
  const f = patch?.files.find((x) => x.path === file);
  for (const h of f?.hunks ?? []) for (const l of h.lines) if (l.type !== 'del' && l.newLine === line) return l.text;
  return undefined;
}

/** The return type in the section header of the hunk that shows `line`: "int" for "int foo(...)". */
export function sectionReturnType(patch: Patch | undefined, file: string, line: number, fnName: string | null): string | undefined {
  if (!fnName) return undefined;
  const hunk = hunkAt(patch, file, line);
  return hunk ? returnTypeFromHeader(hunk.section, fnName) : undefined;
}

/**
 * True when the hunk showing `line` also deletes a line that used `primitive` the same way (same
 * text before the call: `return`, `ret =`, `if (`): the patch only changed its arguments.
 */
export function sameUseDeleted(patch: Patch | undefined, file: string, line: number, primitive: string): boolean {
  const hunk = hunkAt(patch, file, line);
  const text = postLineText(patch, file, line);
  if (!hunk || text === undefined || !text.includes(`${primitive}(`)) return false;
  const before = squash(text.split(`${primitive}(`)[0] ?? '');
  return hunk.lines.some((l) => l.type === 'del' && l.text.includes(`${primitive}(`) && squash(l.text.split(`${primitive}(`)[0] ?? '') === before);
}

/** True when new-side `line` of `file` is an added ('+') line of the patch. */
export function isAddedLine(patch: Patch | undefined, file: string, line: number): boolean {
  const f = patch?.files.find((x) => x.path === file);
  for (const h of f?.hunks ?? []) for (const l of h.lines) if (l.newLine === line && l.type !== 'del') return l.type === 'add';
  return false;
}
