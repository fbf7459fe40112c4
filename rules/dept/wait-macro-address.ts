import { defineRule } from '../engine/define-rule.ts';
import { codeOnly, isCFile, postImageOf } from '../engine/analysis/hunk-text.ts';
import { WAIT_MACROS, isDeptImplementation } from '../engine/analysis/dept-primitives.ts';

type MessageId = 'address';

// The name not preceded by a member access, `#define`, or a longer identifier.
const NAME = new RegExp(`(?<![\\w.>#])(?<!->\\s*)\\b(${WAIT_MACROS.join('|')})\\b`, 'g');

/** Whether the use at `end` is a call: the next non-blank text (on this or the next line) is '('. */
function isCall(rest: string, next: string | undefined): boolean {
  const r = rest.trimStart();
  if (r.length > 0) return r.startsWith('(');
  return (next ?? '').trimStart().startsWith('(');
}

export default defineRule<MessageId>({
  meta: {
    id: 'dept/wait-macro-address',
    severity: 'error',
    description: 'Takes the address of a wait function that DEPT turned into a macro (wait_for_completion*, dma_fence_wait*).',
    messages: {
      address:
        '`{{text}}` uses {{name}} as a function pointer, but with DEPT {{name}}() is a statement-expression macro that gives each call site its own wait class; there is no function to point to and the build breaks. Call it through a small wrapper function at this site, or call __{{name}}() if the class of the wrapper is what you want.',
    },
    triggers: [...WAIT_MACROS],
    scope: 'patch',
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    for (const file of patch.files) {
      if (!isCFile(file.path) || isDeptImplementation(file.path) || file.status === 'deleted') continue;
      // Cheap prefilter: most files never name a wait macro on an added line.
      if (!file.hunks.some((h) => h.lines.some((l) => l.type === 'add' && WAIT_MACROS.some((w) => l.text.includes(w))))) continue;
      const lines = [...postImageOf(patch, file)];
      const code = codeOnly(lines.map((l) => l?.text ?? ''));
      lines.forEach((l, i) => {
        if (!l?.added) return;
        const text = code[i] ?? '';
        // Definitions and declarations of the primitive itself, and symbol exports, are not uses.
        if (/^\s*#\s*(?:define|undef|ifn?def|if|elif)\b/.test(text) || /\bEXPORT_SYMBOL\w*\s*\(/.test(text)) return;
        for (const m of text.matchAll(NAME)) {
          const name = m[1] ?? '';
          const rest = text.slice((m.index ?? 0) + m[0].length);
          if (isCall(rest, code[i + 1])) continue;
          ctx.report({ messageId: 'address', patch: l.patch, file: l.file, line: l.line, data: { name, text: l.text.trim() } });
          break;
        }
      });
    }
  },
});
