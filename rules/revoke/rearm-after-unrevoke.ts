// revoke/rearm-after-unrevoke: an un-revoke that clears the revoked flag under the resv and drops
// the lock before re-arming the mapping kref / completion opens a window in which an importer maps
// (kref_get on a count that reached zero) and kref_init() then wipes that reference; the next
// revoke's wait completes while a mapping is still live, or waits on a completion that was
// already completed.
import type { AssignFact, CallFact, Fact, FunctionFacts, LockFact } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import { lockStateAt, sameTarget, within } from '../engine/analysis/index.ts';
import { squash } from '../engine/analysis/c-expr.ts';
import { baseOf, isFalseValue, isRevokedFlag, newFunctions } from '../engine/analysis/revoke-sequence.ts';
import { RESV_RELEASE_WORDS } from '../engine/analysis/revoke-reads.ts';

const REARM = new Set(['kref_init', 'reinit_completion', 'refcount_set', 'atomic_set']);


/** True when the assignment clears the flag on the path of `at`: `= false`, or `= x` under `!(x)`. */
function clearsOn(flag: AssignFact, at: Pick<Fact, 'conditions'>): boolean {
  const rhs = squash(flag.rhs);
  if (isFalseValue(rhs)) return true;
  const conds = at.conditions.map(squash);
  if (/^[A-Za-z_][\w>.-]*$/.test(rhs)) return conds.includes(`!(${rhs})`) || conds.includes(`!${rhs}`) || conds.includes(`!(!(${rhs}))`);
  const neg = /^!\(?([A-Za-z_][\w>.-]*)\)?$/.exec(rhs)?.[1];
  return neg !== undefined && (conds.includes(neg) || conds.includes(`(${neg})`));
}

/** kref_init(&p->kref) / reinit_completion(&p->comp) / refcount_set(&p->users, 1) on the flag's object. */
function isRearmOf(f: Fact, base: string): f is CallFact {
  if (f.kind !== 'call' || !REARM.has(f.callee)) return false;
  if ((f.callee === 'refcount_set' || f.callee === 'atomic_set') && squash(f.args[1] ?? '') !== '1') return false;
  return baseOf(f.args[0] ?? '') === base;
}

interface Window {
  flag: AssignFact;
  unlock: LockFact;
  rearms: CallFact[];
}

/** The flag clears done under a visibly held resv, each followed by that resv's unlock and then an added re-arm. */
function windows(fn: FunctionFacts): Window[] {
  const out: Window[] = [];
  fn.facts.forEach((flag, i) => {
    if (flag.kind !== 'assign' || flag.op !== '=' || !isRevokedFlag(flag.lhs)) return;
    const resv = lockStateAt(fn, i).held.find((l) => l.family === 'resv');
    if (!resv) return;
    const rest = fn.facts.slice(i + 1);
    const unlock = rest.find(
      (f): f is LockFact => f.kind === 'lock' && f.op === 'release' && f.family === 'resv' && sameTarget(f.target, resv.target),
    );
    if (!unlock || !within(flag, unlock)) return;
    const base = baseOf(flag.lhs);
    const after = rest.filter((f) => f.line > unlock.line && f.kind !== 'gap');
    // Hidden code between the unlock and the re-arm may re-take the lock: stay silent then.
    const gapAt = rest.find((f) => f.kind === 'gap' && f.line > unlock.line)?.line ?? Infinity;
    const rearms = after.filter(
      (f): f is CallFact => isRearmOf(f, base) && f.changed && f.line < gapAt && within(unlock, f) && clearsOn(flag, f),
    );
    // A re-arm done again under a re-taken resv before the flag could matter is not this bug:
    // only the re-arms before the next visible acquisition of that resv count.
    const relock = after.find((f) => f.kind === 'lock' && f.op === 'acquire' && f.family === 'resv' && sameTarget(f.target, resv.target));
    const open = rearms.filter((r) => !relock || r.line < relock.line);
    if (open.length > 0) out.push({ flag, unlock, rearms: open });
  });
  return out;
}

export default defineRule({
  meta: {
    id: 'revoke/rearm-after-unrevoke',
    severity: 'warning',
    description: 'Un-revoke clears the revoked flag under the resv but re-arms the kref/completion only after dma_resv_unlock',
    messages: {
      rearmAfterUnlock:
        '`{{rearm}}` re-arms the unmap handshake only after `{{unlock}}` (line {{unlockLine}}), but `{{flag}}` (line {{flagLine}}) already cleared the revoked flag under that resv, so importers can map again once it is dropped: in between, a map can kref_get() a count that reached zero and {{rearmCall}}() then wipes that reference, so the next revoke stops waiting while a mapping is live or waits on a stale completion. Re-arm (kref_init(), reinit_completion()) before clearing the flag, and clear it under the resv.',
    },
    triggers: ['kref_init', 'reinit_completion', 'refcount_set', 'atomic_set'],
    scope: 'patch',
    // Each function is judged alone, and a window needs a visible resv release (rarer than the re-arms).
    reads: [...RESV_RELEASE_WORDS],
  },
  check(ctx) {
    for (const fn of newFunctions(ctx.functions)) {
      for (const w of windows(fn)) {
        const [first, ...more] = w.rearms;
        if (!first) continue;
        ctx.report({
          messageId: 'rearmAfterUnlock',
          patch: fn.patch,
          file: fn.file,
          line: first.line,
          side: 'new',
          data: {
            rearm: first.text.replace(/;$/, ''),
            rearmCall: first.callee,
            unlock: w.unlock.text.replace(/;$/, ''),
            unlockLine: w.unlock.line,
            flag: w.flag.text,
            flagLine: w.flag.line,
          },
          related: [
            { label: 'flag cleared', patch: fn.patch, file: fn.file, line: w.flag.line, side: 'new' },
            { label: 'resv dropped', patch: fn.patch, file: fn.file, line: w.unlock.line, side: 'new' },
            ...more.map((r) => ({ label: `${r.callee}()`, patch: fn.patch, file: fn.file, line: r.line, side: 'new' as const })),
          ],
        });
      }
    }
  },
});
