import { describe, expect, it } from 'vitest';
import rule from '../../../rules/sleep/wait-in-atomic.ts';
import { classifyCallee, guardFamily, isAtomicFamily } from '../../../rules/engine/facts/classify.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { functionDiff, hunkDiff } from '../../helpers/unified-diff.ts';

const FILE = 'drivers/gpu/drm/foo/foo_drv.c';

/** A diff of one whole function starting at new-side line 10 (the signature line). */
const fn = (body: string[], file = FILE, header = 'static int foo_sync(struct foo_dev *dev)'): string => functionDiff(file, header, body);

const cases: RuleCases = {
  valid: [
    {
      name: 'a helper that waits but takes no lock, next to a function that locks (the helper is not read)',
      diff: fileDiff(FILE, {
        start: 10,
        body: [
          '+static void foo_settle(struct foo_dev *dev)',
          '+{',
          '+\twait_for_completion(&dev->done);',
          '+}',
          '+',
          '+static void foo_mark(struct foo_dev *dev)',
          '+{',
          '+\tspin_lock(&dev->lock);',
          '+\tdev->busy = true;',
          '+\tspin_unlock(&dev->lock);',
          '+}',
        ].join('\n'),
      }),
    },
    {
      name: 'the wait after the unlock',
      diff: fn([
        ' \tunsigned long flags;',
        ' \tspin_lock_irqsave(&dev->lock, flags);',
        ' \tdev->busy = true;',
        ' \tspin_unlock_irqrestore(&dev->lock, flags);',
        '+\twait_for_completion(&dev->done);',
        ' \treturn 0;',
      ]),
    },
    {
      name: 'the sleep under the lock only on a deleted line',
      diff: fn([
        ' \tspin_lock(&dev->lock);',
        '-\tmsleep(10);',
        '+\tudelay(10);',
        ' \tspin_unlock(&dev->lock);',
        ' \treturn 0;',
      ]),
    },
    {
      name: 'lock taken outside the visible hunk (unknown prefix)',
      diff: hunkDiff(FILE, [' \tdev->busy = true;', '+\tmsleep(10);', ' \tspin_unlock(&dev->lock);', ' \treturn 0;'], {
        start: 40,
        section: 'static int foo_sync(struct foo_dev *dev)',
      }),
    },
    {
      name: 'a trylock, a mutex, GFP_ATOMIC and a wait that drops the lock',
      diff: fn([
        '+\tif (!spin_trylock(&dev->lock))',
        '+\t\treturn -EBUSY;',
        '+\tspin_unlock(&dev->lock);',
        '+\tmutex_lock(&dev->mutex);',
        '+\tmsleep(1);',
        '+\tmutex_unlock(&dev->mutex);',
        '+\tspin_lock_irq(&dev->lock);',
        '+\tdev->buf = kmalloc(64, GFP_ATOMIC);',
        '+\twait_event_lock_irq(dev->wq, dev->ready, dev->lock);',
        '+\tspin_unlock_irq(&dev->lock);',
        ' \treturn 0;',
      ]),
    },
    {
      name: 'unlock in an early-exit branch does not hide the lock; zero-timeout poll is fine',
      diff: fn([
        '+\tspin_lock(&dev->lock);',
        '+\tif (dma_fence_wait_timeout(dev->fence, false, 0) == 0) {',
        '+\t\tspin_unlock(&dev->lock);',
        '+\t\treturn -EBUSY;',
        '+\t}',
        '+\tspin_unlock(&dev->lock);',
        '+\tmsleep(1);',
        ' \treturn 0;',
      ]),
    },
    {
      name: 'the implementation of the wait itself',
      diff: fn(
        [
          ' \traw_spin_lock_irq(&x->wait.lock);',
          '+\tsdt_might_sleep_start(&x->dmap);',
          ' \traw_spin_unlock_irq(&x->wait.lock);',
          ' \ttimeout = action(timeout);',
          ' \traw_spin_lock_irq(&x->wait.lock);',
          ' \treturn timeout;',
        ],
        'kernel/sched/completion.c',
        'static inline long __wait_for_common(struct completion *x, long timeout)',
      ),
    },
    {
      name: 'an old sleep under an old lock whose arguments change only',
      diff: fn([
        ' \tspin_lock(&dev->lock);',
        '-\tdev->buf = kmalloc(64, GFP_KERNEL);',
        '+\tdev->buf = kmalloc(128, GFP_KERNEL);',
        ' \tspin_unlock(&dev->lock);',
        ' \treturn 0;',
      ]),
    },
  ],
  invalid: [
    {
      name: 'wait_for_completion under spin_lock_irqsave',
      diff: fn([
        ' \tunsigned long flags;',
        ' \tspin_lock_irqsave(&dev->lock, flags);',
        ' \tdev->busy = true;',
        '+\twait_for_completion(&dev->done);',
        ' \tspin_unlock_irqrestore(&dev->lock, flags);',
        ' \treturn 0;',
      ]),
      errors: [{ file: FILE, line: 15, messageId: 'sleepInAtomic' }],
    },
    {
      name: 'mutex_lock and a GFP_KERNEL allocation under an added spinlock guard',
      diff: fn([
        '+\tguard(spinlock)(&dev->lock);',
        '+\tmutex_lock(&dev->mutex);',
        '+\tdev->buf = kzalloc(64, GFP_KERNEL);',
        ' \treturn 0;',
      ]),
      errors: [
        { file: FILE, line: 13, messageId: 'sleepInAtomic' },
        { file: FILE, line: 14, messageId: 'sleepInAtomic' },
      ],
    },
    {
      name: 'msleep and folio_lock under rcu_read_lock / preempt_disable',
      diff: fn([
        '+\trcu_read_lock();',
        '+\tfolio_lock(dev->folio);',
        '+\tfolio_unlock(dev->folio);',
        '+\trcu_read_unlock();',
        '+\tpreempt_disable();',
        '+\tmsleep(20);',
        '+\tpreempt_enable();',
        ' \treturn 0;',
      ]),
      errors: [
        { file: FILE, line: 13, messageId: 'sleepInAtomic' },
        { file: FILE, line: 17, messageId: 'sleepInAtomic' },
      ],
    },
    {
      // get_cpu() is no trigger: the spinlock of another function makes the patch one to check.
      name: 'msleep under get_cpu(), in a function that mentions no trigger',
      diff: hunkDiff(FILE, [
        '+static void foo_touch(struct foo_dev *dev)',
        '+{',
        '+\tspin_lock(&dev->lock);',
        '+\tdev->busy = true;',
        '+\tspin_unlock(&dev->lock);',
        '+}',
        '+static void foo_settle(struct foo_dev *dev)',
        '+{',
        '+\tint cpu = get_cpu();',
        '+\tmsleep(dev->delay[cpu]);',
        '+\tput_cpu();',
        '+}',
      ]),
      errors: [{ file: FILE, line: 19, messageId: 'sleepInAtomic' }],
    },
    {
      name: 'a wait in a scoped_guard(spinlock_irqsave) body',
      diff: fn(['+\tscoped_guard(spinlock_irqsave, &dev->lock) {', '+\t\twait_for_completion(&dev->done);', '+\t}', ' \treturn 0;']),
      errors: [{ file: FILE, line: 13, messageId: 'sleepInAtomic' }],
    },
    {
      name: 'an added spinlock around an existing dma_fence_wait',
      diff: fn([
        '+\tspin_lock(&dev->lock);',
        ' \tdma_fence_wait(dev->fence, false);',
        '+\tspin_unlock(&dev->lock);',
        ' \treturn 0;',
      ]),
      errors: [{ file: FILE, line: 13, messageId: 'sleepInAtomic' }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);

/** True when a function mentioning `name` is one the rule reads. */
const read = (name: string): boolean => (rule.meta.reads ?? []).some((w) => (w.endsWith('*') ? name.startsWith(w.slice(0, -1)) : name === w));

describe('sleep/wait-in-atomic reads every atomic section opener', () => {
  it('covers each non-try atomic acquisition of the facts\' classify table, and no other lock', () => {
    for (const n of ['spin_lock_irqsave', 'raw_spin_lock_nest_lock', 'read_lock_bh', 'local_bh_disable', 'get_cpu', 'rcu_read_lock_sched']) {
      const k = classifyCallee(n);
      expect(k?.kind === 'lock' && k.op === 'acquire' && isAtomicFamily(k.family)).toBe(true);
      expect(read(n)).toBe(true);
    }
    for (const n of ['spin_trylock', 'mutex_lock', 'down_read', 'spin_unlock', 'dma_resv_lock']) expect(read(n)).toBe(false);
  });

  it('covers guard() and scoped_guard(), whatever the atomic class', () => {
    expect(isAtomicFamily(guardFamily('spinlock_irqsave').family)).toBe(true);
    for (const w of ['guard', 'scoped_guard', 'scoped_cond_guard']) expect(read(w)).toBe(true);
  });
});
