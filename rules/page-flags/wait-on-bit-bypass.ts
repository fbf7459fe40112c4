// page-flags/wait-on-bit-bypass: PG_locked and PG_writeback are woken through the folio wait
// table (folio_wake_bit() from folio_unlock()/folio_end_writeback()), and their waits carry the
// DEPT hooks in folio_wait_bit*(). wait_on_bit() on folio->flags sleeps on the generic bit
// waitqueue instead: DEPT never sees the wait, and the unlock's wake-up goes to another queue.
import { defineRule } from '../engine/define-rule.ts';
import { codeOnly } from '../engine/analysis/hunk-text.ts';
import type { PostImageLine } from '../engine/analysis/hunk-text.ts';
import { pageFlagsUserFiles } from '../engine/analysis/page-flags-implementation.ts';

/** `wait_on_bit_io(&folio->flags, PG_writeback, ...)`: a flags word of a folio/page, then the bit. */
const CALL =
  /\b((?:out_of_line_)?wait_on_bit(?:_io|_timeout|_action|_lock|_lock_io|_lock_action)?)\s*\(\s*(&?\s*\(?\s*[A-Za-z_][\w>.\s()-]*?(?:->|\.)\s*flags(?:\s*\.\s*f)?\s*\)?)\s*,\s*(PG_(?:locked|writeback))\b/g;

/** How many following lines a call's arguments may span. */
const SPAN = 3;

const HELPERS: Record<string, { wait: string; lock: string }> = {
  PG_locked: { wait: 'folio_wait_locked() (or folio_wait_bit(folio, PG_locked))', lock: 'folio_lock()' },
  PG_writeback: { wait: 'folio_wait_writeback()', lock: 'folio_wait_writeback()' },
};

interface Hit {
  line: PostImageLine;
  call: string;
  word: string;
  bit: string;
  expr: string;
}

/** Calls that start on an added line; arguments may continue on the next lines of the same hunk. */
function hitsIn(lines: ReadonlyArray<PostImageLine | null>): Hit[] {
  const code = codeOnly(lines.map((l) => l?.text ?? ''));
  const hits: Hit[] = [];
  lines.forEach((l, i) => {
    if (!l?.added || !/\bwait_on_bit/.test(code[i] ?? '')) return;
    let stmt = code[i] ?? '';
    for (let k = 1; k <= SPAN && !stmt.includes(';') && lines[i + k]; k++) stmt += ` ${code[i + k] ?? ''}`;
    for (const m of stmt.matchAll(CALL)) {
      const [expr, call = '', word = '', bit = ''] = m;
      if (m.index >= (code[i] ?? '').length) continue;
      hits.push({ line: l, call, word: word.replace(/\s+/g, ''), bit, expr });
    }
  });
  return hits;
}

export default defineRule({
  meta: {
    id: 'page-flags/wait-on-bit-bypass',
    severity: 'warning',
    description: 'Waits for PG_locked / PG_writeback with wait_on_bit*() on a folio/page flags word instead of the folio wait helpers',
    messages: {
      bypass:
        '{{call}}({{word}}, {{bit}}, ...) sleeps on the generic bit waitqueue, but {{bit}} is released through the folio wait table (folio_wake_bit()), so the wake-up can be missed, and the wait bypasses the DEPT hooks of folio_wait_bit*(), so a deadlock through it is never reported. Use {{helper}} instead.',
    },
    triggers: ['wait_on_bit', 'wait_on_bit_io', 'wait_on_bit_timeout', 'wait_on_bit_action', 'wait_on_bit_lock', 'wait_on_bit_lock_io', 'wait_on_bit_lock_action', 'out_of_line_wait_on_bit', 'out_of_line_wait_on_bit_lock', 'out_of_line_wait_on_bit_timeout'],
    requires: ['PG_locked', 'PG_writeback'],
    scope: 'patch',
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    for (const { file, lines, moved } of pageFlagsUserFiles(patch)) {
      for (const hit of hitsIn(lines)) {
        // The same call on a deleted line of this file: code that moved, not a new use.
        if (moved(hit.expr)) continue;
        const helpers = HELPERS[hit.bit];
        ctx.report({
          messageId: 'bypass',
          patch: patch.index,
          file: file.path,
          line: hit.line.line,
          side: 'new',
          data: { call: hit.call, word: hit.word, bit: hit.bit, helper: (hit.call.includes('_lock') ? helpers?.lock : helpers?.wait) ?? 'the folio wait helpers' },
        });
      }
    }
  },
});
