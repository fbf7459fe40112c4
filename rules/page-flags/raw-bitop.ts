// PG_locked and PG_writeback are a sleeping lock and a wait/event pair to DEPT. Their helpers
// (folio_lock/folio_unlock, folio_start/end_writeback, __folio_set_locked, ...) carry the DEPT
// hooks; a raw set_bit/clear_bit on those bits is a wait or an event DEPT never sees, which both
// hides deadlocks and leaves DEPT's per-page state (wgen) stale.
import { defineRule } from '../engine/define-rule.ts';
import { codeOnly } from '../engine/analysis/hunk-text.ts';
import type { PostImageLine } from '../engine/analysis/hunk-text.ts';
import { pageFlagsUserFiles } from '../engine/analysis/page-flags-implementation.ts';

const BITOPS =
  '(?:__)?(?:set_bit|clear_bit|change_bit|test_and_set_bit|test_and_clear_bit|test_and_change_bit)' +
  '|test_and_set_bit_lock|(?:__)?clear_bit_unlock|clear_bit_unlock_is_negative_byte|set_bit_lock';
/** `set_bit(PG_locked, ...)`: the bit is the first argument of the bit operation. */
const BITOP_CALL = new RegExp(`\\b(${BITOPS})\\s*\\(\\s*(PG_(?:locked|writeback))\\b`, 'g');
/** `folio->flags.f |= 1UL << PG_locked` and `&= ~BIT(PG_writeback)`: open-coded masks. */
const MASK_ASSIGN = /\bflags(?:\.f)?\s*([|&^]=)[^;]*?(?:<<\s*|\bBIT\s*\(\s*)(PG_(?:locked|writeback))\b/g;

const HELPERS: Record<string, string> = {
  PG_locked: 'folio_lock()/folio_trylock()/folio_unlock() (or __folio_set_locked()/__folio_clear_locked() on a folio nobody else sees yet)',
  PG_writeback: 'folio_start_writeback()/folio_end_writeback()',
};

interface Hit {
  line: PostImageLine;
  op: string;
  bit: string;
  expr: string;
}

function hitsInFile(lines: PostImageLine[]): Hit[] {
  const code = codeOnly(lines.map((l) => l.text));
  const hits: Hit[] = [];
  lines.forEach((l, i) => {
    if (!l.added) return;
    const text = code[i] ?? '';
    for (const m of text.matchAll(BITOP_CALL)) hits.push({ line: l, op: `${m[1] ?? ''}()`, bit: m[2] ?? '', expr: m[0] });
    for (const m of text.matchAll(MASK_ASSIGN)) hits.push({ line: l, op: `an open-coded \`flags ${m[1] ?? ''}\``, bit: m[2] ?? '', expr: m[0] });
  });
  return hits;
}

export default defineRule({
  meta: {
    id: 'page-flags/raw-bitop',
    severity: 'error',
    description: 'Sets, clears or tests-and-sets PG_locked / PG_writeback with raw bit operations, bypassing the DEPT hooks',
    messages: {
      rawBitop:
        '`{{text}}` uses {{op}} on {{bit}}, which bypasses the page-flags helpers that carry the DEPT hooks, so this {{kind}} of the folio is invisible to DEPT and a deadlock through it is never reported. Use {{helper}} instead.',
    },
    triggers: ['PG_locked', 'PG_writeback'],
    scope: 'patch',
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    for (const { lines, moved } of pageFlagsUserFiles(patch)) {
      for (const hit of hitsInFile(lines.filter((l): l is PostImageLine => l !== null))) {
        // The same operation on a deleted line of this file: code that moved, not a new use.
        if (moved(hit.expr)) continue;
        const setting = /set_bit|\|=/.test(hit.op);
        ctx.report({
          patch: hit.line.patch,
          file: hit.line.file,
          line: hit.line.line,
          side: 'new',
          messageId: 'rawBitop',
          data: {
            op: hit.op,
            text: hit.line.text.trim(),
            bit: hit.bit,
            kind: hit.bit === 'PG_locked' ? (setting ? 'lock (a wait)' : 'unlock (an event)') : setting ? 'writeback start' : 'writeback end (an event)',
            helper: HELPERS[hit.bit] ?? 'the page-flags helpers',
          },
        });
      }
    }
  },
});
