// dept_set_folio_usage()/dept_reset_folio_usage() exist only under CONFIG_DEPT: unlike the page
// variants they have no empty stub in the #else branch of page-flags.h, so a call outside
// `#ifdef CONFIG_DEPT` breaks every CONFIG_DEPT=n build.
import { defineRule } from '../engine/define-rule.ts';
import { codeOnly, isCFile, postImageOf, seriesPostImage } from '../engine/analysis/hunk-text.ts';
import type { PostImageLine } from '../engine/analysis/hunk-text.ts';
import { enclosingConditionals } from '../engine/analysis/page-flags-preprocessor.ts';

const API = ['dept_set_folio_usage', 'dept_reset_folio_usage'] as const;
const CALL = /\b(dept_set_folio_usage|dept_reset_folio_usage)\s*\(/;
/** A definition, stub or prototype of the API: not a use. */
const DEFINITION = (name: string): RegExp =>
  new RegExp(`^\\s*(?:#\\s*define\\s+${name}\\b|(?:extern\\s+)?(?:static\\s+)?(?:inline\\s+)?(?:__always_inline\\s+)?void\\s+${name}\\s*\\()`);
/** Code built only with DEPT: its Makefile entry is obj-$(CONFIG_DEPT). */
const DEPT_ONLY_PATH = /^(?:kernel\/dependency\/|include\/linux\/dept)/;
/** A C function header at column 0: `static int foo(...)`, not a statement or a macro. */
const FUNCTION_HEADER = /^[A-Za-z_][\w\s*]*\b\w+\s*\([^;]*$/;

const mentionsDept = (cond: string): boolean => /\bCONFIG_DEPT\b(?!_)/.test(cond);
const negatesDept = (cond: string): boolean => /^(?:#\s*ifndef\s+CONFIG_DEPT\b|.*!\s*(?:defined\s*\(?\s*|IS_ENABLED\s*\(\s*)CONFIG_DEPT\b)/.test(cond);

/** Names whose series also adds a stub for CONFIG_DEPT=n (a later version may do that). */
function stubbedInSeries(lines: PostImageLine[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) {
    if (!l.added) continue;
    for (const name of API) if (new RegExp(`^\\s*#\\s*define\\s+${name}\\b`).test(l.text)) out.add(name);
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'page-flags/usage-api-without-stub',
    severity: 'warning',
    description: 'Calls dept_set_folio_usage()/dept_reset_folio_usage() outside #ifdef CONFIG_DEPT, where no stub exists',
    messages: {
      noStub:
        '{{name}}() has no stub when CONFIG_DEPT=n (only the page variants do), and this call is not inside #ifdef CONFIG_DEPT, so every build without DEPT fails here. Wrap the call in #ifdef CONFIG_DEPT, or add a do { } while (0) stub beside dept_set_page_usage() in include/linux/page-flags.h.',
      elseBranch:
        '{{name}}() is called in the CONFIG_DEPT=n branch ({{cond}}), where it has no definition at all, so this line cannot build. Drop the call from this branch, or add a stub for it in include/linux/page-flags.h.',
    },
    triggers: [...API],
    scope: 'patch',
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    const stubbed = stubbedInSeries([...seriesPostImage(ctx.series)]);
    for (const file of patch.files) {
      if (!isCFile(file.path) || DEPT_ONLY_PATH.test(file.path) || file.status === 'deleted') continue;
      // Hunk by hunk: a conditional is only known inside the hunk that shows it.
      let hunk: PostImageLine[] = [];
      const hunks: PostImageLine[][] = [];
      for (const l of postImageOf(patch, file)) {
        if (l) hunk.push(l);
        else {
          hunks.push(hunk);
          hunk = [];
        }
      }
      for (const lines of hunks) {
        const code = codeOnly(lines.map((l) => l.text));
        const startsAtTop = (lines[0]?.line ?? 0) === 1;
        lines.forEach((l, i) => {
          const m = CALL.exec(code[i] ?? '');
          const name = m?.[1];
          if (!l.added || !name || stubbed.has(name) || DEFINITION(name).test(code[i] ?? '')) return;
          const cond = enclosingConditionals(code, i);
          if (cond.unknown) return;
          const dept = cond.open.find((c) => mentionsDept(c.text));
          if (dept && (dept.inElse ? !negatesDept(dept.text) : negatesDept(dept.text))) {
            ctx.report({ patch: l.patch, file: l.file, line: l.line, side: 'new', messageId: 'elseBranch', data: { name, cond: dept.text } });
            return;
          }
          if (dept) return;
          // Outside any visible conditional: only certain when nothing above can be hidden,
          // i.e. the hunk starts the file or shows the function's own header.
          const headerVisible = code.slice(0, i).some((t) => FUNCTION_HEADER.test(t));
          if (!startsAtTop && !headerVisible) return;
          ctx.report({ patch: l.patch, file: l.file, line: l.line, side: 'new', messageId: 'noStub', data: { name } });
        });
      }
    }
  },
});
