// A sleep in atomic context never wakes the right way: with a spinlock held or irqs/preemption
// off, the scheduler cannot switch away (and on !PREEMPT the lock holder spins on a CPU that the
// sleeper gave away), so the wait's event may need the very CPU or lock this context holds.
import { defineRule } from '../engine/define-rule.ts';
import type { CallFact, Fact, FunctionFacts, LockFact } from '../engine/types.ts';
import { heldLocksAt } from '../engine/analysis/sleep-held-locks.ts';
import type { HeldLock } from '../engine/analysis/sleep-held-locks.ts';
import { sameUseDeleted } from '../engine/analysis/hunk-line-context.ts';
import { calleesWhere, isAtomicFamily } from '../engine/facts/classify.ts';

/** The implementations of the sleeping primitives juggle their own locks around schedule(). */
const IMPLEMENTATION = /^(?:kernel\/(?:sched|locking|dependency)\/|include\/linux\/(?:wait|wait_bit|swait|completion|dept\w*)\.h$)/;

/** Calls that may sleep and are not modelled as wait or lock facts. */
const SLEEPING_CALLS = new Set([
  'msleep', 'msleep_interruptible', 'ssleep', 'usleep_range', 'usleep_range_state', 'usleep_idle_range',
  'schedule', 'schedule_timeout', 'schedule_timeout_interruptible', 'schedule_timeout_killable',
  'schedule_timeout_uninterruptible', 'schedule_timeout_idle', 'io_schedule', 'io_schedule_timeout',
  'cond_resched', 'might_sleep', 'synchronize_rcu', 'synchronize_srcu', 'synchronize_net', 'rcu_barrier',
  'flush_work', 'flush_delayed_work', 'flush_workqueue', 'drain_workqueue', 'cancel_work_sync',
  'cancel_delayed_work_sync', 'kthread_stop', 'kthread_park', 'down', 'down_interruptible', 'down_killable',
  'down_timeout', 'vmalloc', 'vzalloc', 'vfree_sync', 'folio_lock', 'lock_page', 'folio_lock_killable',
  'folio_wait_writeback', 'folio_wait_locked', 'wait_on_page_writeback', 'dma_fence_wait', 'dma_fence_wait_timeout',
  'dma_fence_wait_any_timeout', 'dma_resv_wait_timeout', 'dma_resv_lock', 'dma_resv_lock_interruptible',
  'mutex_lock', 'mutex_lock_interruptible', 'mutex_lock_killable', 'mutex_lock_nested', 'down_read', 'down_write',
  'down_read_killable', 'down_write_killable', 'down_read_interruptible',
]);
const SLEEPING_PREFIX = /^(?:wait_for_completion|wait_event|wait_on_bit|dma_fence_wait|msleep)/;
/** Waits that are given the held lock and drop it while they sleep. */
const DROPS_LOCK = /_lock_irq|_locked\b|_locked_|cond_resched_lock|_spinlock\b|_cmd$/;
/** DEPT annotations model a wait; they do not sleep themselves. */
const ANNOTATION = /^(?:sdt_|dept_)/;
/** Allocation flags that allow direct reclaim, i.e. sleeping. */
const SLEEPING_GFP = /\bGFP_(?:KERNEL(?:_ACCOUNT)?|USER|NOFS|NOIO|HIGHUSER(?:_MOVABLE)?)\b/;

const ATOMIC_OPENERS = [
  ...['spin_lock', 'raw_spin_lock', 'read_lock', 'write_lock'].flatMap((l) => [l, `${l}_irq`, `${l}_irqsave`, `${l}_bh`, `${l}_nested`]),
  'spin_lock_irqsave_nested', 'local_irq_disable', 'local_irq_save', 'preempt_disable', 'preempt_disable_notrace',
  'rcu_read_lock', 'rcu_read_lock_sched', 'rcu_read_lock_bh', 'local_bh_disable', 'local_lock', 'local_lock_irqsave',
  // guard()/scoped_guard() classes
  'spinlock', 'spinlock_irq', 'spinlock_irqsave', 'spinlock_bh', 'raw_spinlock', 'raw_spinlock_irq',
  'raw_spinlock_irqsave', 'read_lock_irqsave', 'write_lock_irqsave', 'rcu', 'irq', 'irqsave', 'preempt',
];

/**
 * What a function must mention to report: every finding needs an atomic lock held (heldLocksAt
 * counts only a non-try acquire LockFact), and only these calls give one: the atomic acquisitions
 * of the facts' classify table, and guard()/scoped_guard() classes. A finding needs nothing from
 * another function.
 */
const READS = [
  ...calleesWhere((k) => k.kind === 'lock' && k.op === 'acquire' && !k.trylock && isAtomicFamily(k.family)),
  'guard', 'scoped_guard', 'scoped_cond_guard',
];

interface Sleep {
  what: string;
  /** The sleeping call's name, to tell a re-worded old call from a new one. */
  callee: string;
  fact: Fact;
}

/** `mutex_lock()`, but `guard(spinlock)` / `scoped_guard(spinlock)` as they are written. */
const callName = (primitive: string): string => (primitive.endsWith(')') ? primitive : `${primitive}()`);

/** `mutex_lock() on dev->lock`: facts keep the target without its `&`, so it is not quoted as the call. */
function onTarget(primitive: string, target: string): string {
  return target ? `${callName(primitive)} on ${target}` : callName(primitive);
}

function callOnLine(fn: FunctionFacts, line: number, callee: string): CallFact | undefined {
  return fn.facts.find((f): f is CallFact => f.kind === 'call' && f.line === line && f.callee === callee);
}

/** A poll: a zero timeout never sleeps. */
function zeroTimeout(fn: FunctionFacts, f: Fact, primitive: string): boolean {
  const args = callOnLine(fn, f.line, primitive)?.args;
  if (args) return args.length > 1 && args[args.length - 1] === '0';
  return new RegExp(`\\b${primitive}\\s*\\(.*,\\s*0\\s*\\)`).test(f.text);
}

/** What sleeps at this fact, or null. */
function sleepAt(fn: FunctionFacts, f: Fact): Sleep | null {
  if (f.kind === 'wait') {
    if (ANNOTATION.test(f.primitive) || DROPS_LOCK.test(f.primitive) || zeroTimeout(fn, f, f.primitive)) return null;
    return { what: onTarget(f.primitive, f.target), callee: f.primitive, fact: f };
  }
  if (f.kind === 'lock') {
    const sleeps =
      f.op === 'acquire' && !f.trylock && (f.family === 'mutex' || f.family === 'rwsem' || f.family === 'resv' || /^down/.test(f.primitive));
    return sleeps ? { what: onTarget(f.primitive, f.target), callee: f.primitive, fact: f } : null;
  }
  if (f.kind !== 'call') return null;
  // Wait and lock calls are also wait/lock facts on the same line; those speak for them.
  const twin = fn.facts.some((o) => o !== f && o.line === f.line && (o.kind === 'wait' || o.kind === 'lock'));
  if (twin) return null;
  if ((SLEEPING_CALLS.has(f.callee) || SLEEPING_PREFIX.test(f.callee)) && !DROPS_LOCK.test(f.callee)) {
    if (zeroTimeout(fn, f, f.callee)) return null;
    return { what: `${f.callee}()`, callee: f.callee, fact: f };
  }
  const gfp = f.args.find((a) => SLEEPING_GFP.test(a));
  return gfp ? { what: `${f.callee}(..., ${gfp})`, callee: f.callee, fact: f } : null;
}

function describeLock(h: HeldLock): string {
  const fact = h.fact as LockFact;
  if (h.family === 'irq') return `interrupts are disabled (${callName(fact.primitive)} at line ${fact.line})`;
  if (h.family === 'preempt') return `preemption is disabled (${callName(fact.primitive)} at line ${fact.line})`;
  if (h.family === 'rcu') return `the RCU read lock is held (${callName(fact.primitive)} at line ${fact.line})`;
  if (h.family === 'bh') return `bottom halves are disabled (${callName(fact.primitive)} at line ${fact.line})`;
  return `${h.target || 'a spinlock'} is held (${callName(fact.primitive)} at line ${fact.line})`;
}

export default defineRule({
  meta: {
    id: 'sleep/wait-in-atomic',
    severity: 'error',
    description: 'Sleeps (waits, mutexes, folio_lock, msleep, GFP_KERNEL) while a spinlock is held or irqs/preemption are off',
    messages: {
      sleepInAtomic:
        '{{sleep}} can sleep, but {{held}}, so this wait runs in atomic context: the CPU cannot schedule away, and the event that ends the wait may need this CPU or this lock. Move the wait after the unlock, or use a non-sleeping form (GFP_ATOMIC, a trylock, a deferred work).',
    },
    // The atomic section must be visible for the rule to fire: its openers are the triggers.
    triggers: ATOMIC_OPENERS,
    reads: READS,
    scope: 'patch',
  },
  check(ctx) {
    for (const fn of ctx.functions) {
      if (fn.image !== 'new' || IMPLEMENTATION.test(fn.file)) continue;
      fn.facts.forEach((f, i) => {
        const sleep = sleepAt(fn, f);
        if (!sleep) return;
        const atomic = heldLocksAt(fn, i).filter((h) => h.atomic);
        // A sleep the patch only re-words (same call, new arguments) under an old lock is not new.
        const sleepIsNew = f.changed && !sameUseDeleted(ctx.patch, fn.file, f.line, sleep.callee);
        const held = atomic.find((h) => sleepIsNew || h.fact.changed);
        if (!held) return;
        ctx.report({
          patch: fn.patch,
          file: fn.file,
          line: f.line,
          side: 'new',
          messageId: 'sleepInAtomic',
          data: { sleep: sleep.what, held: describeLock(held) },
          related: [{ label: 'atomic since', patch: fn.patch, file: fn.file, line: held.fact.line, side: 'new' }],
        });
      });
    }
  },
});
