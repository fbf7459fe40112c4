import rule from '../../../rules/series/wait-event-cycle.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { hunkDiff } from '../../helpers/unified-diff.ts';

const SRC = 'drivers/misc/foo/foo_main.c';
const WRK = 'drivers/misc/foo/foo_work.c';

/** A diff of whole functions (each given as lines, '+'/' '/'-' prefixed) starting at line 10. */
const file = (path: string, lines: string[]): string => hunkDiff(path, lines);

/** The waiter: line 10 is its header; `body` starts at line 12. */
const waiter = (body: string[]): string =>
  file(SRC, ['+static int foo_stop(struct foo_dev *d)', '+{', ...body, '+\treturn 0;', '+}']);

/** The worker: header at line 10, container_of at 12, `body` from line 13. */
const worker = (body: string[], name = 'foo_work_fn'): string =>
  file(WRK, [
    `+static void ${name}(struct work_struct *work)`,
    '+{',
    '+\tstruct foo_dev *p = container_of(work, struct foo_dev, work);',
    ...body,
    '+}',
  ]);


/** Two work items queued on `alloc` (the queue constructor); the first waits for the second. */
const twoWorks = (alloc: string): string =>
  file(SRC, [
    '+static int foo_init(struct foo_dev *d)',
    '+{',
    `+\td->wq = ${alloc}("foo", 0);`,
    '+\tINIT_WORK(&d->flip_work, foo_flip_work);',
    '+\tINIT_WORK(&d->done_work, foo_done_work);',
    '+\treturn 0;',
    '+}',
    '+static void foo_kick(struct foo_dev *d)',
    '+{',
    '+\tqueue_work(d->wq, &d->flip_work);',
    '+\tqueue_work(d->wq, &d->done_work);',
    '+}',
    '+static void foo_flip_work(struct work_struct *work)',
    '+{',
    '+\tstruct foo_dev *d = container_of(work, struct foo_dev, flip_work);',
    '+\twait_for_completion(&d->flip_done);',
    '+}',
    '+static void foo_done_work(struct work_struct *work)',
    '+{',
    '+\tstruct foo_dev *p = container_of(work, struct foo_dev, done_work);',
    '+\tcomplete(&p->flip_done);',
    '+}',
  ]);

const LOCKED_WAIT = ['+\tmutex_lock(&d->lock);', '+\twait_for_completion(&d->done);', '+\tmutex_unlock(&d->lock);'];
const LOCKED_COMPLETE = ['+\tmutex_lock(&p->lock);', '+\tcomplete(&p->done);', '+\tmutex_unlock(&p->lock);'];

/** flush_work(&d->work) under d->lock, with INIT_WORK naming foo_work_fn. */
const lockedFlush = file(SRC, [
  '+static int foo_init(struct foo_dev *d)',
  '+{',
  '+\tINIT_WORK(&d->work, foo_work_fn);',
  '+\treturn 0;',
  '+}',
  '+static int foo_stop(struct foo_dev *d)',
  '+{',
  '+\tmutex_lock(&d->lock);',
  '+\tflush_work(&d->work);',
  '+\tmutex_unlock(&d->lock);',
  '+\treturn 0;',
  '+}',
]);
/** The worker, which mentions no wait, event or workqueue call (meta.reads leaves it out). */
const lockingWorker = worker(['+\tmutex_lock(&p->lock);', '+\tfoo_hw_poll(p);', '+\tmutex_unlock(&p->lock);']);

const cases: RuleCases = {
  valid: [
    {
      name: 'the good shape: unlock, then wait',
      diff: [waiter(['+\tmutex_lock(&d->lock);', '+\tmutex_unlock(&d->lock);', '+\twait_for_completion(&d->done);']), worker(LOCKED_COMPLETE)],
    },
    {
      name: 'one of the signal paths does not need the lock',
      diff: [
        waiter(LOCKED_WAIT),
        worker(LOCKED_COMPLETE),
        file('drivers/misc/foo/foo_irq.c', ['+static irqreturn_t foo_irq(int irq, void *data)', '+{', '+\tstruct foo_dev *q = data;', '+\tcomplete(&q->done);', '+\treturn IRQ_HANDLED;', '+}']),
      ],
    },
    {
      name: 'the signaller takes the lock outside the visible hunk (unknown prefix)',
      diff: [
        waiter(LOCKED_WAIT),
        hunkDiff(WRK, [' \tfoo_hw_done(p);', '+\tcomplete(&p->done);', ' \tmutex_unlock(&p->lock);'], { start: 40, section: 'static void foo_work_fn(struct work_struct *work)' }),
      ],
    },
    {
      name: 'the signaller takes another lock of the object',
      diff: [waiter(LOCKED_WAIT), worker(['+\tmutex_lock(&p->hw_lock);', '+\tcomplete(&p->done);', '+\tmutex_unlock(&p->hw_lock);'])],
    },
    {
      name: 'a timed wait, and the locked wait only on a deleted line',
      diff: [
        file(SRC, [
          ' static int foo_stop(struct foo_dev *d)',
          ' {',
          ' \tmutex_lock(&d->lock);',
          '-\twait_for_completion(&d->done);',
          '+\twait_for_completion_timeout(&d->done, HZ);',
          ' \tmutex_unlock(&d->lock);',
          ' \treturn 0;',
          ' }',
        ]),
        worker(LOCKED_COMPLETE),
      ],
    },
    {
      name: 'local completions that share a name are different objects',
      diff: [
        waiter(['+\tstruct completion done;', '+\tmutex_lock(&d->lock);', '+\twait_for_completion(&done);', '+\tmutex_unlock(&d->lock);']),
        worker(['+\tstruct completion done;', '+\tmutex_lock(&p->lock);', '+\tcomplete(&done);', '+\tmutex_unlock(&p->lock);']),
      ],
    },
    {
      name: 'two work items on an unordered workqueue may run at once',
      diff: twoWorks('alloc_workqueue'),
    },
    {
      name: 'a later patch shows the waiter again, in lines without any wait or event word',
      diff: [
        waiter(LOCKED_WAIT),
        worker(LOCKED_COMPLETE),
        hunkDiff(SRC, [' \tmutex_unlock(&d->lock);', '+\tfoo_trace(d);', ' \treturn 0;', ' }'], { start: 14, section: 'static int foo_stop(struct foo_dev *d)' }),
      ],
    },
    {
      name: 'a later patch shows the worker again from inside (its start unseen), in lines without the read words',
      diff: [lockedFlush, worker(['+\tmutex_lock(&p->lock);', '+\tfoo_hw_poll(p);', '+\tmutex_unlock(&p->lock);', '+\tcomplete(&p->polled);']), hunkDiff(WRK, [' \tmutex_lock(&p->lock);', '+\tfoo_hw_kick(p);', ' \tfoo_hw_poll(p);'], { start: 13, section: 'static void foo_work_fn(struct work_struct *work)' })],
    },
    {
      name: 'a later patch fixes the waiter (combined post-image)',
      diff: [
        waiter(LOCKED_WAIT),
        worker(LOCKED_COMPLETE),
        file(SRC, [
          ' static int foo_stop(struct foo_dev *d)',
          ' {',
          ' \tmutex_lock(&d->lock);',
          '-\twait_for_completion(&d->done);',
          ' \tmutex_unlock(&d->lock);',
          '+\twait_for_completion(&d->done);',
          ' \treturn 0;',
          ' }',
        ]),
      ],
    },
  ],
  invalid: [
    {
      name: 'the catalog shape: wait under the mutex the worker needs to complete',
      diff: [waiter(LOCKED_WAIT), worker(LOCKED_COMPLETE)],
      errors: [{ file: SRC, line: 13, patch: 1, messageId: 'lockCycle' }],
    },
    {
      name: 'a work item of an ordered workqueue waits for a later item of the same queue',
      diff: twoWorks('alloc_ordered_workqueue'),
      errors: [{ file: SRC, line: 25, messageId: 'orderedQueueCycle' }],
    },
    {
      name: 'flush_work under the mutex the work function takes',
      diff: [lockedFlush, lockingWorker],
      errors: [{ file: SRC, line: 18, messageId: 'flushCycle' }],
    },
    {
      name: 'flush_work under the lock: the worker is found by name though it mentions none of the read words',
      diff: [lockedFlush, file('drivers/misc/foo/foo_other.c', ['+static void foo_other(struct foo_dev *d)', '+{', '+\tfoo_hw_poll(d);', '+}']), lockingWorker],
      errors: [{ file: SRC, line: 18, messageId: 'flushCycle', patch: 1 }],
    },
    {
      name: 'wait under the folio lock for an event signalled under a folio lock',
      diff: [
        waiter(['+\tfolio_lock(folio);', '+\twait_for_completion(&d->done);', '+\tfolio_unlock(folio);']),
        worker(['+\tfolio_lock(p->folio);', '+\tcomplete(&p->done);', '+\tfolio_unlock(p->folio);']),
      ],
      errors: [{ file: SRC, line: 13 }],
    },
    {
      name: 'a waitqueue woken only under the same resv, in the same patch',
      diff: [
        file(SRC, [
          '+static int foo_stop(struct foo_dev *d)',
          '+{',
          '+\tdma_resv_lock(d->resv, NULL);',
          '+\twait_event(d->idle_wq, !d->busy);',
          '+\tdma_resv_unlock(d->resv);',
          '+\treturn 0;',
          '+}',
          '+static void foo_retire(struct foo_dev *q)',
          '+{',
          '+\tdma_resv_lock(q->resv, NULL);',
          '+\tq->busy = false;',
          '+\twake_up_all(&q->idle_wq);',
          '+\tdma_resv_unlock(q->resv);',
          '+}',
        ]),
      ],
      errors: [{ file: SRC, line: 13 }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
