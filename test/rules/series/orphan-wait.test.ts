import rule from '../../../rules/series/orphan-wait.ts';
import { testRule } from '../../../rules/engine/rule-tester.ts';
import { hunkDiff } from '../../helpers/unified-diff.ts';

const HDR = 'drivers/misc/foo/foo.h';
const SRC = 'drivers/misc/foo/foo_main.c';

/** A diff adding `lines` to `file` after context lines, at new-side line 20 ('-' lines stay deleted). */
const add = (file: string, lines: string[], context = ['struct foo_dev {', '\tstruct mutex lock;']): string =>
  hunkDiff(file, [...context.map((l) => ` ${l}`), ...lines.map((l) => (l.startsWith('-') ? l : `+${l}`))], { start: 20 });

const DECL = add(HDR, ['\tstruct completion ready;']);
const SRC_CTX = ['static int foo_start(struct foo_dev *d)', '{'];

testRule(rule, {
  valid: [
    {
      name: 'introduced, waited and completed elsewhere in the series',
      diff: [
        DECL,
        add(SRC, ['\tinit_completion(&d->ready);', '\tfoo_kick(d);', '\twait_for_completion(&d->ready);'], SRC_CTX),
        add('drivers/misc/foo/foo_irq.c', ['\tcomplete(&foo->ready);'], ['static irqreturn_t foo_irq(int irq, void *data)', '{']),
      ],
    },
    {
      name: 'a completion the series does not introduce (unchanged code may signal it)',
      diff: add(SRC, ['\twait_for_completion(&d->ready);'], SRC_CTX),
    },
    {
      name: 'handed to a helper that may signal it',
      diff: [DECL, add(SRC, ['\tinit_completion(&d->ready);', '\tfoo_submit(d, &d->ready);', '\twait_for_completion(&d->ready);'], SRC_CTX)],
    },
    {
      name: 'the wait only on a deleted line, and a similar name that is signalled',
      diff: [
        add(HDR, ['\tstruct completion ready;', '\tint ready_count;']),
        add(SRC, ['-\twait_for_completion(&d->ready);', '\td->ready_count++;'], SRC_CTX),
      ],
    },
    {
      name: 'a waitqueue woken by wake_up_all',
      diff: [
        add(HDR, ['\twait_queue_head_t idle_wq;']),
        add(SRC, ['\tinit_waitqueue_head(&d->idle_wq);', '\twait_event(d->idle_wq, !d->busy); /* complete(&x) */', '\twake_up_all(&d->idle_wq);'], SRC_CTX),
      ],
    },
    {
      name: 'a later patch of the series removes the wait again',
      diff: [DECL, add(SRC, ['\tinit_completion(&d->ready);', '\twait_for_completion(&d->ready);'], SRC_CTX), add(SRC, ['-\twait_for_completion(&d->ready);'], [...SRC_CTX, '\tinit_completion(&d->ready);'])],
    },
  ],
  invalid: [
    {
      name: 'member added in patch 1, waited in patch 2, never completed',
      diff: [DECL, add(SRC, ['\tinit_completion(&d->ready);', '\tfoo_kick(d);', '\twait_for_completion(&d->ready);'], SRC_CTX)],
      errors: [{ file: SRC, line: 24, patch: 2, messageId: 'orphan' }],
    },
    {
      name: 'a waitqueue waited on twice, never woken (a comment names the wake-up)',
      diff: add(SRC, [
        '\twait_queue_head_t drain_wq;',
        '\tinit_waitqueue_head(&d->drain_wq);',
        '\t/* wake_up(&d->drain_wq) is done by the irq */',
        '\twait_event(d->drain_wq, !atomic_read(&d->pending));',
        '\twait_event_timeout(d->drain_wq, !atomic_read(&d->pending), HZ);',
      ], SRC_CTX),
      errors: [
        { file: SRC, line: 25 },
        { file: SRC, line: 26 },
      ],
    },
    {
      name: 'the only other hunk naming it does so inside a block comment opened lines before',
      diff: [
        DECL,
        add(SRC, ['\tinit_completion(&d->ready);', '\twait_for_completion(&d->ready);'], SRC_CTX),
        add('drivers/misc/foo/foo_irq.c', ['\t/*', '\t * complete(&foo->ready) is left to the', '\t * firmware, which never does it', '\t */'], ['static irqreturn_t foo_irq(int irq, void *data)', '{']),
      ],
      errors: [{ file: SRC, line: 23, patch: 2, messageId: 'orphan' }],
    },
    {
      name: 'an on-stack completion that nobody is given',
      diff: add(SRC, ['\tDECLARE_COMPLETION_ONSTACK(done);', '\tfoo_kick(d);', '\twait_for_completion_interruptible(&done);'], SRC_CTX),
      errors: [{ file: SRC, line: 24 }],
    },
  ],
});
