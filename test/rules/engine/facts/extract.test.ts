import { beforeAll, describe, expect, it } from 'vitest';
import { extractFacts, loadCParser } from '../../../../rules/engine/facts/index.ts';
import { syntheticSeries } from '../../../../rules/engine/synthetic-series.ts';
import type { Fact, FunctionFacts } from '../../../../rules/engine/types.ts';

beforeAll(() => loadCParser());

function facts(diff: string): FunctionFacts[] {
  const patch = syntheticSeries('t', [diff]).patches[0];
  if (!patch) throw new Error('no patch');
  return extractFacts(patch, 1);
}
const diffOf = (hunks: string, file = 'drivers/d.c'): string => `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n${hunks}`;
const brief = (f: Fact): string => {
  switch (f.kind) {
    case 'call':
      return `${f.line} call ${f.callee}(${f.args.join(', ')})${f.assignedTo ? ` -> ${f.assignedTo}` : ''}${f.returned ? ' returned' : ''}`;
    case 'lock':
      return `${f.line} ${f.op} ${f.family} ${f.target}${f.trylock ? ' try' : ''}${f.scopeEndLine ? ` until ${f.scopeEndLine}` : ''}`;
    case 'wait':
      return `${f.line} wait ${f.primitive} ${f.target} ${f.timeout}`;
    case 'event':
      return `${f.line} event ${f.primitive} ${f.target}`;
    case 'assign':
      return `${f.line} assign ${f.lhs} ${f.op} ${f.rhs}`;
    case 'goto':
      return `${f.line} goto ${f.label}`;
    case 'label':
      return `${f.line} label ${f.name}`;
    case 'return':
      return `${f.line} return ${f.value}`;
    case 'gap':
      return `${f.line} gap`;
  }
};

describe('extractFacts', () => {
  it('takes the function from the hunk header when the hunk starts inside it', () => {
    const [fn, ...rest] = facts(
      diffOf(`@@ -20,6 +20,8 @@ static int foo_wait(struct foo *f)
 	mutex_lock(&f->lock);
-	wait_for_completion(&f->done);
+	if (!wait_for_completion_timeout(&f->done, HZ))
+		goto out;
+	else
+		ret = -EINVAL;
 	mutex_unlock(&f->lock);
 out:
 	return ret;
 }
`),
    );
    expect(fn).toMatchObject({ name: 'foo_wait', image: 'new', prefixKnown: false, suffixKnown: true, file: 'drivers/d.c', patch: 1 });
    // The return type comes from the header too (rules need it: a long wait result in an int function).
    expect(fn?.returnType).toBe('int');
    expect(fn?.params).toBeUndefined();
    expect(fn?.facts.map(brief)).toEqual([
      '20 call mutex_lock(&f->lock)',
      '20 acquire mutex f->lock',
      '21 call wait_for_completion_timeout(&f->done, HZ)',
      '21 wait wait_for_completion_timeout f->done finite',
      '22 goto out',
      '24 assign ret = -EINVAL',
      '25 call mutex_unlock(&f->lock)',
      '25 release mutex f->lock',
      '26 label out',
      '27 return ret',
    ]);
    const goto = fn?.facts.find((f) => f.kind === 'goto');
    expect(goto).toMatchObject({ changed: true, conditions: ['!wait_for_completion_timeout(&f->done, HZ)'], text: 'goto out;' });
    expect(fn?.facts.find((f) => f.kind === 'assign')?.conditions).toEqual(['!(!wait_for_completion_timeout(&f->done, HZ))']);
    expect(fn?.facts[2]).toMatchObject({ changed: true, conditions: [], text: 'if (!wait_for_completion_timeout(&f->done, HZ))' });
    expect(fn?.facts[0]?.changed).toBe(false);
    // The pre-image: old-side numbers, the deleted line is the changed one.
    const old = rest.find((f) => f.image === 'old');
    expect(old?.facts.filter((f) => f.changed).map(brief)).toEqual(['21 call wait_for_completion(&f->done)', '21 wait wait_for_completion f->done none']);
  });

  it('reads a visible signature and joins two hunks of one function with a gap', () => {
    const fns = facts(
      diffOf(`@@ -1,5 +1,6 @@
 #include <linux/x.h>
 
 static struct sg_table *__must_check foo_map(struct dma_buf_attachment *a,
 					    enum dma_data_direction dir)
 {
+	dma_resv_assert_held(a->dmabuf->resv);
@@ -30,3 +31,4 @@ static struct sg_table *__must_check foo_map(struct dma_buf_attachment *a,
 	x = 1;
+	spin_unlock(&a->lock);
 	return NULL;
 }
`),
    );
    expect(fns).toHaveLength(1);
    expect(fns[0]).toMatchObject({ name: 'foo_map', prefixKnown: true, suffixKnown: true, params: ['struct dma_buf_attachment *a', 'enum dma_data_direction dir'], returnType: 'struct sg_table *' });
    expect(fns[0]?.facts.map(brief)).toEqual(['6 call dma_resv_assert_held(a->dmabuf->resv)', '7 gap', '31 assign x = 1', '32 call spin_unlock(&a->lock)', '32 release spin a->lock', '33 return NULL']);
  });

  it('keeps kernel macros from breaking extraction', () => {
    const [fn] = facts(
      diffOf(`@@ -1,0 +1,20 @@
+static void foo_signal(struct foo *d)
+{
+	struct bar *b = container_of(d->node, struct bar, node);
+	DECLARE_COMPLETION_ONSTACK(done);
+	int v = ({ int __x = READ_ONCE(d->v); __x; });
+
+	guard(mutex)(&d->lock);
+	list_for_each_entry(p, &d->list, node) {
+		if (!spin_trylock(&p->lock))
+			continue;
+		complete_all(&p->done);
+	}
+	scoped_guard(spinlock_irqsave, &d->slock) {
+		wake_up(&d->wq);
+	}
+	frob(container_of(b, struct q, r), sizeof(struct q));
+	ret = dma_resv_wait_timeout(b->resv, DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT);
+	return dma_fence_wait_timeout(f, true, timeout);
+}
`),
    );
    expect(fn).toMatchObject({ name: 'foo_signal', params: ['struct foo *d'], returnType: 'void', prefixKnown: true, suffixKnown: true });
    expect(fn?.locals).toMatchObject({ b: 'struct bar *b', done: 'DECLARE_COMPLETION_ONSTACK(done)', v: 'int v' });
    const all = fn?.facts.map(brief) ?? [];
    expect(all).toEqual(
      expect.arrayContaining([
        '3 call container_of(d->node, struct bar, node) -> b',
        '5 call READ_ONCE(d->v) -> __x',
        '7 acquire mutex d->lock until 19',
        '9 acquire spin p->lock try',
        '11 event complete_all p->done',
        '13 acquire spin d->slock until 15',
        '14 event wake_up d->wq',
        '16 call frob(container_of(b, struct q, r), sizeof(struct q))',
        '16 call container_of(b, struct q, r)',
        '17 wait dma_resv_wait_timeout b->resv none',
        '18 call dma_fence_wait_timeout(f, true, timeout) returned',
        '18 wait dma_fence_wait_timeout f unknown',
      ]),
    );
    const complete = fn?.facts.find((f) => f.kind === 'event' && f.primitive === 'complete_all');
    expect(complete?.conditions).toEqual(['list_for_each_entry(p, &d->list, node)']);
    expect(complete?.depth).toBe(1);
    const wake = fn?.facts.find((f) => f.kind === 'event' && f.primitive === 'wake_up');
    expect(wake?.depth).toBe(1);
  });

  it('closes braces a hunk leaves open and keeps conditions right', () => {
    const [fn] = facts(
      diffOf(`@@ -10,4 +10,6 @@ int bar(void)
 	if (a) {
 		while (b) {
+			msleep(10);
+			schedule_timeout(t);
 			x++;
 		}
`),
    );
    expect(fn).toMatchObject({ name: 'bar', prefixKnown: false, suffixKnown: false });
    const sleep = fn?.facts.find((f) => f.kind === 'wait' && f.primitive === 'msleep');
    expect(sleep).toMatchObject({ timeout: 'finite', conditions: ['a', 'while (b)'], depth: 2, changed: true });
    expect(fn?.facts.find((f) => f.kind === 'assign')).toMatchObject({ lhs: 'x', op: '++', changed: false });
  });

  it('reports file-scope initialisers with a null function and skips non-C files', () => {
    const fns = facts(
      diffOf(`@@ -40,3 +40,3 @@ static void foo_release(struct dma_buf *b)
 }
 
 static const struct dma_buf_attach_ops foo_ops = {
-	.move_notify = foo_move,
+	.invalidate_mappings = foo_move,
 };
`) + diffOf('@@ -1 +1 @@\n-a\n+spin_lock(&x);\n', 'Documentation/a.txt'),
    );
    expect(fns.map((f) => [f.name, f.image, f.file])).toEqual([
      [null, 'new', 'drivers/d.c'],
      [null, 'old', 'drivers/d.c'],
    ]);
    expect(fns[0]?.facts.map(brief)).toEqual(['43 assign .invalidate_mappings = foo_move', '42 assign foo_ops = {.invalidate_mappings = foo_move, }']);
    expect(fns[1]?.facts.map(brief)).toContain('43 assign .move_notify = foo_move');
  });

  it('classifies lock families, irq state and timeouts', () => {
    const [fn] = facts(
      diffOf(`@@ -1,0 +1,12 @@
+static void f(void)
+{
+	spin_lock_irqsave(&(d->lock), flags);
+	spin_lock_bh(&d->bh);
+	read_lock(&d->rw);
+	down_write(&d->sem);
+	local_irq_disable();
+	rcu_read_lock();
+	dma_resv_lock(obj->resv, NULL);
+	ww_mutex_lock(&obj->resv->lock, ctx);
+	wait_event_timeout(d->wq, d->done, msecs_to_jiffies(5));
+}
`),
    );
    const locks = fn?.facts.filter((f) => f.kind === 'lock').map((f) => (f.kind === 'lock' ? `${f.family}:${f.target}:${f.atomic}` : ''));
    expect(locks).toEqual(['spin:d->lock:true', 'bh:d->bh:true', 'rwlock:d->rw:true', 'rwsem:d->sem:false', 'irq:irq:true', 'rcu:rcu:true', 'resv:obj->resv:false', 'resv:obj->resv->lock:false']);
    expect(fn?.facts.find((f) => f.kind === 'wait')).toMatchObject({ target: 'd->wq', timeout: 'finite' });
  });
});
