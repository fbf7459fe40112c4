// Which calls are lock operations, waits or events. Tables, not code: rule authors can read them.
import type { LockFamily } from '../types.ts';
import { normTarget } from './text.ts';

export interface LockKind {
  kind: 'lock';
  op: 'acquire' | 'release';
  family: LockFamily;
  trylock?: boolean;
  /** Fixed target for CPU-state "locks" (irq, preempt, rcu, bh); otherwise argument 0. */
  fixedTarget?: string;
}
export interface WaitKind {
  kind: 'wait';
  /** Index of the timeout argument, when the primitive takes one. */
  timeoutArg?: number;
  /** Bound when there is no timeout argument: 'none' (unbounded) or 'finite' (msleep). */
  bound?: 'none' | 'finite';
  /** Index of the waited-on argument; -1 = no target. */
  targetArg: number;
}
export interface EventKind {
  kind: 'event';
  targetArg: number;
}
export type CallKind = LockKind | WaitKind | EventKind;

const ATOMIC: ReadonlySet<LockFamily> = new Set(['spin', 'rwlock', 'irq', 'preempt', 'bh', 'rcu']);
export const isAtomicFamily = (f: LockFamily): boolean => ATOMIC.has(f);

const table = new Map<string, CallKind>();
const lock = (family: LockFamily, op: 'acquire' | 'release', names: string[], extra: Partial<LockKind> = {}): void => {
  for (const n of names) table.set(n, { kind: 'lock', op, family, ...extra });
};
const wait = (names: string[], w: Omit<WaitKind, 'kind' | 'targetArg'> & { targetArg?: number }): void => {
  for (const n of names) table.set(n, { kind: 'wait', targetArg: 0, ...w });
};
const event = (names: string[], targetArg = 0): void => {
  for (const n of names) table.set(n, { kind: 'event', targetArg });
};

const spinLike = (p: string): string[] => [p, `${p}_irq`, `${p}_irqsave`, `${p}_nested`, `${p}_irqsave_nested`, `${p}_nest_lock`];
lock('spin', 'acquire', [...spinLike('spin_lock'), ...spinLike('raw_spin_lock')]);
lock('spin', 'release', ['spin_unlock', 'spin_unlock_irq', 'spin_unlock_irqrestore', 'raw_spin_unlock', 'raw_spin_unlock_irq', 'raw_spin_unlock_irqrestore']);
lock('spin', 'acquire', ['spin_trylock', 'spin_trylock_irq', 'spin_trylock_irqsave', 'raw_spin_trylock', 'raw_spin_trylock_irqsave'], { trylock: true });
lock('bh', 'acquire', ['spin_lock_bh', 'raw_spin_lock_bh']);
lock('bh', 'release', ['spin_unlock_bh', 'raw_spin_unlock_bh']);
lock('bh', 'acquire', ['spin_trylock_bh'], { trylock: true });
lock('bh', 'acquire', ['local_bh_disable'], { fixedTarget: 'bh' });
lock('bh', 'release', ['local_bh_enable'], { fixedTarget: 'bh' });
for (const rw of ['read', 'write']) {
  lock('rwlock', 'acquire', [`${rw}_lock`, `${rw}_lock_irq`, `${rw}_lock_irqsave`, `${rw}_lock_bh`]);
  lock('rwlock', 'release', [`${rw}_unlock`, `${rw}_unlock_irq`, `${rw}_unlock_irqrestore`, `${rw}_unlock_bh`]);
  lock('rwlock', 'acquire', [`${rw}_trylock`], { trylock: true });
  lock('rwsem', 'acquire', [`down_${rw}`, `down_${rw}_interruptible`, `down_${rw}_killable`, `down_${rw}_nested`]);
  lock('rwsem', 'acquire', [`down_${rw}_trylock`], { trylock: true });
  lock('rwsem', 'release', [`up_${rw}`]);
}
lock('mutex', 'acquire', ['mutex_lock', 'mutex_lock_interruptible', 'mutex_lock_killable', 'mutex_lock_nested', 'mutex_lock_io', 'mutex_lock_interruptible_nested', 'mutex_lock_killable_nested', 'ww_mutex_lock', 'ww_mutex_lock_interruptible', 'ww_mutex_lock_slow', 'ww_mutex_lock_slow_interruptible']);
lock('mutex', 'acquire', ['mutex_trylock', 'ww_mutex_trylock'], { trylock: true });
lock('mutex', 'release', ['mutex_unlock', 'ww_mutex_unlock']);
lock('other', 'acquire', ['down', 'down_interruptible', 'down_killable', 'down_timeout']);
lock('other', 'acquire', ['down_trylock'], { trylock: true });
lock('other', 'release', ['up']);
lock('resv', 'acquire', ['dma_resv_lock', 'dma_resv_lock_interruptible', 'dma_resv_lock_slow', 'dma_resv_lock_slow_interruptible']);
lock('resv', 'acquire', ['dma_resv_trylock'], { trylock: true });
lock('resv', 'release', ['dma_resv_unlock']);
lock('irq', 'acquire', ['local_irq_disable', 'local_irq_save'], { fixedTarget: 'irq' });
lock('irq', 'release', ['local_irq_enable', 'local_irq_restore'], { fixedTarget: 'irq' });
lock('preempt', 'acquire', ['preempt_disable', 'preempt_disable_notrace', 'get_cpu'], { fixedTarget: 'preempt' });
lock('preempt', 'release', ['preempt_enable', 'preempt_enable_notrace', 'preempt_enable_no_resched', 'put_cpu'], { fixedTarget: 'preempt' });
lock('rcu', 'acquire', ['rcu_read_lock', 'rcu_read_lock_bh', 'rcu_read_lock_sched'], { fixedTarget: 'rcu' });
lock('rcu', 'release', ['rcu_read_unlock', 'rcu_read_unlock_bh', 'rcu_read_unlock_sched'], { fixedTarget: 'rcu' });

wait(
  [
    'wait_for_completion', 'wait_for_completion_interruptible', 'wait_for_completion_killable', 'wait_for_completion_io',
    'wait_for_completion_state', 'wait_event', 'wait_event_interruptible', 'wait_event_killable', 'wait_event_idle',
    'wait_event_freezable', 'wait_event_cmd', 'wait_event_exclusive_cmd', 'wait_event_interruptible_exclusive',
    'wait_event_idle_exclusive', 'wait_event_killable_exclusive', 'wait_event_lock_irq', 'wait_event_interruptible_lock_irq',
    'wait_event_interruptible_locked', 'wait_event_interruptible_locked_irq', 'wait_var_event', 'wait_var_event_killable',
    'wait_var_event_interruptible', 'dma_fence_wait', 'folio_lock', 'folio_lock_killable', '__folio_lock', 'lock_page',
    'folio_wait_locked', 'folio_wait_locked_killable', 'folio_wait_writeback', 'folio_wait_bit', 'folio_wait_bit_killable',
    'folio_wait_stable', 'wait_on_page_writeback', 'wait_on_page_locked', 'flush_work', 'flush_delayed_work',
    'flush_workqueue', 'drain_workqueue', 'cancel_work_sync', 'cancel_delayed_work_sync', 'wait_on_bit', 'wait_on_bit_io',
    'wait_on_bit_lock', 'wait_on_bit_lock_io', 'wait_on_bit_action',
  ],
  { bound: 'none' },
);
wait(['schedule', 'io_schedule', 'flush_scheduled_work'], { bound: 'none', targetArg: -1 });
wait(['synchronize_rcu', 'synchronize_rcu_expedited', 'rcu_barrier', 'synchronize_srcu'], { bound: 'none', targetArg: -1 });
wait(['msleep', 'msleep_interruptible', 'ssleep', 'usleep_range', 'usleep_range_state', 'fsleep'], { bound: 'finite', targetArg: -1 });
wait(['wait_for_completion_timeout', 'wait_for_completion_interruptible_timeout', 'wait_for_completion_killable_timeout', 'wait_for_completion_io_timeout'], { timeoutArg: 1 });
wait(['wait_event_timeout', 'wait_event_interruptible_timeout', 'wait_event_killable_timeout', 'wait_event_idle_timeout', 'wait_event_freezable_timeout', 'wait_var_event_timeout', 'dma_fence_wait_timeout'], { timeoutArg: 2 });
wait(['wait_event_lock_irq_timeout', 'wait_event_interruptible_lock_irq_timeout', 'dma_fence_wait_any_timeout', 'dma_resv_wait_timeout', 'wait_on_bit_timeout'], { timeoutArg: 3 });
wait(['schedule_timeout', 'schedule_timeout_interruptible', 'schedule_timeout_uninterruptible', 'schedule_timeout_killable', 'schedule_timeout_idle', 'io_schedule_timeout'], { timeoutArg: 0, targetArg: -1 });

event([
  'complete', 'complete_all', 'complete_release', 'wake_up', 'wake_up_all', 'wake_up_interruptible', 'wake_up_interruptible_all',
  'wake_up_locked', 'wake_up_all_locked', 'wake_up_poll', 'wake_up_interruptible_poll', 'wake_up_process', 'wake_up_var',
  'wake_up_bit', 'swake_up_one', 'swake_up_all', 'dma_fence_signal', 'dma_fence_signal_locked', 'dma_fence_signal_timestamp',
  'dma_fence_signal_timestamp_locked', 'folio_unlock', 'unlock_page', 'folio_end_writeback', 'end_page_writeback',
]);
event(['clear_and_wake_up_bit'], 1);

/** Every callee of the table whose meaning `pred` accepts (for rules' `meta.reads` lists). */
export function calleesWhere(pred: (kind: CallKind) => boolean): string[] {
  return [...table].filter(([, kind]) => pred(kind)).map(([name]) => name);
}

/** The lock/wait/event meaning of a call by its callee name, if any. */
export function classifyCallee(callee: string): CallKind | undefined {
  return table.get(callee);
}

/** guard(<class>) / scoped_guard(<class>, ...): lock family and whether the class is a try-variant. */
export function guardFamily(cls: string): { family: LockFamily; trylock: boolean } {
  const trylock = /_try$/.test(cls);
  const c = cls.replace(/_(try|intr|kill)$/, '');
  let family: LockFamily = 'other';
  if (c === 'spinlock_bh' || c === 'raw_spinlock_bh') family = 'bh';
  else if (/^(raw_)?spinlock/.test(c)) family = 'spin';
  else if (/^(read|write)_lock/.test(c)) family = 'rwlock';
  else if (c.startsWith('rwsem')) family = 'rwsem';
  else if (c.startsWith('mutex')) family = 'mutex';
  else if (c.startsWith('dma_resv')) family = 'resv';
  else if (c.startsWith('rcu')) family = 'rcu';
  else if (c.startsWith('preempt') || c === 'migrate') family = 'preempt';
  else if (c === 'irq' || c === 'irqsave') family = 'irq';
  return { family, trylock };
}

const FIXED_GUARD_TARGET: Partial<Record<LockFamily, string>> = { rcu: 'rcu', preempt: 'preempt', irq: 'irq' };
export function guardTarget(family: LockFamily, arg: string | undefined): string {
  return FIXED_GUARD_TARGET[family] ?? normTarget(arg);
}

/** 'none' for MAX_SCHEDULE_TIMEOUT, 'finite' for literal/HZ/jiffies/CONSTANT, else 'unknown'. */
export function classifyTimeout(arg: string | undefined): 'none' | 'finite' | 'unknown' {
  if (arg === undefined) return 'unknown';
  const t = arg.replace(/\s+/g, '');
  if (t === 'MAX_SCHEDULE_TIMEOUT' || t === '(long)MAX_SCHEDULE_TIMEOUT') return 'none';
  if (/MAX_SCHEDULE_TIMEOUT/.test(t)) return 'unknown';
  if (/^\(?\d+[uUlL]*\)?$/.test(t) || /\bHZ\b/.test(t) || /\b[mun]secs_to_jiffies\(/.test(t)) return 'finite';
  if (/^[A-Z][A-Z0-9_]*$/.test(t)) return 'finite';
  return 'unknown';
}
