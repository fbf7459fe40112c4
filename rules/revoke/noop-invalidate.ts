// revoke/noop-invalidate: .invalidate_mappings promises that the importer unmaps in bounded time;
// a callback that only logs never produces the unmap the exporter's revoke waits for.
import type { FunctionFacts } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import { addsText, codeOnly, isCFile, postImageOf } from '../engine/analysis/hunk-text.ts';
import { functionsNamed, wholeBody } from '../engine/analysis/revoke-sequence.ts';
import { isRenameOnly } from '../engine/analysis/revoke-hunk-lines.ts';

/** Calls that do nothing toward an unmap: logging, warnings, assertions, field access helpers. */
const INERT =
  /^(?:pr_\w+|printk\w*|dev_\w+|drm_\w*(?:dbg|err|warn|info|notice)\w*|DRM_\w+|ibdev_\w+|WARN\w*|BUG\w*|dma_resv_assert_held|lockdep_assert\w*|might_sleep|container_of\w*|to_\w+|READ_ONCE|unlikely|likely|trace_\w+)$/;

/** True when the callback visibly does nothing: no calls except inert ones, no stores to shared state. */
function isNoop(fn: FunctionFacts): boolean {
  return fn.facts.every((f) => {
    if (f.kind === 'call') return INERT.test(f.callee);
    if (f.kind === 'assign') return !/->|\.|\[/.test(f.lhs);
    if (f.kind === 'lock' || f.kind === 'wait' || f.kind === 'event' || f.kind === 'goto' || f.kind === 'gap') return false;
    return true;
  });
}

export default defineRule({
  meta: {
    id: 'revoke/noop-invalidate',
    severity: 'warning',
    description: 'Implements .invalidate_mappings with a callback that neither unmaps nor schedules unmapping',
    messages: {
      noop:
        '`{{text}}` registers {{cb}}() as .invalidate_mappings, but it neither unmaps nor schedules an unmap; an exporter that revokes the buffer waits for this importer\'s unmap, which now never comes (dma_buf_attach_revocable() will still call it revocable). Unmap (or queue the unmap) from the callback, or leave .invalidate_mappings unset so the importer counts as pinned.',
    },
    // The callback's body may sit in another patch: its attachment parameter makes that patch parsed too.
    triggers: ['invalidate_mappings', 'dma_buf_attachment'],
    scope: 'series',
    // Reads no function by its words: only whole bodies of callbacks, found by name (ctx.functionsNamed).
    reads: [],
  },
  check(ctx) {
    for (const patch of ctx.series.patches) {
      for (const file of patch.files) {
        if (!isCFile(file.path) || file.status === 'deleted') continue;
        // Reports only at an added `.invalidate_mappings =` line; comments blanked never make one.
        if (!addsText(file, '.invalidate_mappings')) continue;
        const lines = [...postImageOf(patch, file)].filter((l) => l !== null);
        const code = codeOnly(lines.map((l) => l.text));
        lines.forEach((l, i) => {
          const m = /\.invalidate_mappings\s*=\s*&?([A-Za-z_]\w*)/.exec(code[i] ?? '');
          const cb = m?.[1];
          if (!cb || !l.added) return;
          const hunk = file.hunks.find((h) => l.line >= h.newStart && l.line < h.newStart + h.newLines);
          if (hunk && isRenameOnly(hunk, l.line)) return;
          const versions = ctx.functionsNamed(cb);
          const body = functionsNamed(versions, cb, file.path).find(wholeBody) ?? functionsNamed(versions, cb).find(wholeBody);
          if (!body || !isNoop(body)) return;
          ctx.report({
            messageId: 'noop',
            patch: patch.index,
            file: file.path,
            line: l.line,
            side: 'new',
            data: { text: l.text.trim(), cb },
            related: [{ label: `${cb}() body`, patch: body.patch, file: body.file, line: body.facts[0]?.line ?? l.line, side: 'new' }],
          });
        });
      }
    }
  },
});
