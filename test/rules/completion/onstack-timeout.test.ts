import rule from '../../../rules/completion/onstack-timeout.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { functionDiff, hunkDiff } from '../../helpers/unified-diff.ts';

const FILE = 'drivers/misc/foo/foo_cmd.c';

/** A diff of one whole function; its signature is new-side line 10. */
const fn = (body: string[], header = 'static int foo_exec(struct foo_dev *dev, struct foo_req *req)'): string => functionDiff(FILE, header, body);

const cases: RuleCases = {
  valid: [
    {
      name: 'the request is cancelled on timeout',
      diff: fn([
        '+\tDECLARE_COMPLETION_ONSTACK(done);',
        '+',
        '+\treq->done = &done;',
        '+\tfoo_submit(dev, req);',
        '+\tif (!wait_for_completion_timeout(&done, HZ)) {',
        '+\t\tfoo_cancel_sync(dev, req);',
        '+\t\treturn -ETIMEDOUT;',
        '+\t}',
        '+\treturn 0;',
      ]),
    },
    {
      name: 'the completion is part of the heap request, not the stack',
      diff: fn([
        '+\tinit_completion(&req->done);',
        '+\tfoo_submit(dev, req);',
        '+\tif (!wait_for_completion_timeout(&req->done, HZ))',
        '+\t\treturn -ETIMEDOUT;',
        '+\treturn 0;',
      ]),
    },
    {
      name: 'the timed wait only on a deleted line',
      diff: fn([
        ' \tDECLARE_COMPLETION_ONSTACK(done);',
        ' ',
        ' \treq->done = &done;',
        ' \tfoo_submit(dev, req);',
        '-\tif (!wait_for_completion_timeout(&done, HZ))',
        '-\t\treturn -ETIMEDOUT;',
        '+\twait_for_completion(&done);',
        ' \treturn 0;',
      ]),
    },
    {
      name: 'interrupted, then waits for the completer to finish anyway',
      diff: fn([
        '+\tstruct completion done;',
        '+',
        '+\tinit_completion(&done);',
        '+\tfoo_submit_cb(dev, foo_complete_cb, &done);',
        '+\tif (wait_for_completion_interruptible(&done)) {',
        '+\t\tfoo_abort(dev);',
        '+\t\twait_for_completion(&done);',
        '+\t\treturn -EINTR;',
        '+\t}',
        '+\treturn 0;',
      ]),
    },
    {
      name: 'the end of the function is not visible',
      diff: [
        `diff --git a/${FILE} b/${FILE}`,
        'index 1111111..2222222 100644',
        `--- a/${FILE}`,
        `+++ b/${FILE}`,
        '@@ -10,4 +10,5 @@',
        ' static int foo_exec(struct foo_dev *dev, struct foo_req *req)',
        ' {',
        ' \tDECLARE_COMPLETION_ONSTACK(done);',
        ' \treq->done = &done;',
        '+\tret = wait_for_completion_killable(&done);',
        '',
      ].join('\n'),
    },
  ],
  invalid: [
    {
      name: 'returns -ETIMEDOUT while the hardware holds &done',
      diff: fn([
        '+\tDECLARE_COMPLETION_ONSTACK(done);',
        '+',
        '+\treq->done = &done;',
        '+\tfoo_submit(dev, req);',
        '+\tif (!wait_for_completion_timeout(&done, HZ))',
        '+\t\treturn -ETIMEDOUT;',
        '+\treturn 0;',
      ]),
      errors: [{ file: FILE, line: 16, messageId: 'onStack' }],
    },
    {
      // Only the waiting function is judged: the completer, which names no timed wait, is not read.
      name: 'returns -ETIMEDOUT; the completer is in another patch',
      diff: [
        fn(['+\tDECLARE_COMPLETION_ONSTACK(done);', '+', '+\treq->done = &done;', '+\tfoo_submit(dev, req);', '+\tif (!wait_for_completion_timeout(&done, HZ))', '+\t\treturn -ETIMEDOUT;', '+\treturn 0;']),
        hunkDiff('drivers/misc/foo/foo_irq.c', ['+static void foo_req_done(struct foo_req *req)', '+{', '+\tcomplete(req->done);', '+}']),
      ],
      errors: [{ file: FILE, line: 16, messageId: 'onStack', patch: 1 }],
    },
    {
      name: 'interruptible wait on a completion passed to a callback',
      diff: fn([
        '+\tstruct completion done;',
        '+\tint ret;',
        '+',
        '+\tinit_completion(&done);',
        '+\tfoo_submit_cb(dev, foo_complete_cb, &done);',
        '+\tret = wait_for_completion_interruptible(&done);',
        '+\treturn ret;',
      ]),
      errors: [{ file: FILE, line: 17 }],
    },
    {
      name: 'a member of an on-stack request struct, timed wait result ignored',
      diff: fn(
        [
          '+\tstruct foo_sync_req sreq;',
          '+',
          '+\tinit_completion(&sreq.done);',
          '+\tfoo_queue(dev, &sreq);',
          '+\twait_for_completion_killable_timeout(&sreq.done, 5 * HZ);',
          '+\treturn sreq.status;',
        ],
        'static int foo_sync(struct foo_dev *dev)',
      ),
      errors: [{ file: FILE, line: 16 }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
