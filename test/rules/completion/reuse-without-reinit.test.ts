import rule from '../../../rules/completion/reuse-without-reinit.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { fileDiff } from '../../helpers/git-diff.ts';
import { correctUnrevoke, plus, releaseAndUnmap } from '../revoke/exporter-snippets.ts';

const F = 'drivers/misc/foo/foo_dmabuf.c';

const unrevoke = (rearm: string): string =>
  fileDiff(F, {
    start: 10,
    body: `${plus(releaseAndUnmap)}\n+\n${plus(`void foo_buf_unrevoke(struct foo_buf *priv)
{
${rearm}
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = false;
	dma_resv_unlock(priv->dmabuf->resv);
}`)}`,
  });

const cases: RuleCases = {
  valid: [
    { name: 'un-revoke re-arms kref and completion (v7)', diff: fileDiff(F, { start: 10, body: `${plus(releaseAndUnmap)}\n+\n${plus(correctUnrevoke)}` }) },
    {
      name: 'constructor initialises both',
      diff: fileDiff(F, {
        start: 10,
        body: `${plus(releaseAndUnmap)}\n+\n${plus(`int foo_buf_create(struct foo_buf *priv)
{
	kref_init(&priv->kref);
	init_completion(&priv->comp);
	return 0;
}`)}`,
      }),
    },
    {
      name: 'function partly visible: the reinit may be hidden',
      diff: fileDiff(F, {
        start: 370,
        section: 'void foo_buf_move(struct foo_dev *fdev, bool revoked)',
        body: ` \t\t\t} else {
+\t\t\t\tkref_init(&priv->kref);
 \t\t\t\tdma_resv_lock(priv->dmabuf->resv, NULL);
 \t\t\t\tpriv->revoked = false;`,
      }),
    },
    {
      name: 'deleted kref_init',
      diff: fileDiff(F, {
        start: 370,
        section: 'void foo_buf_move(struct foo_dev *fdev, bool revoked)',
        body: ` \t\t\t} else {
-\t\t\t\tkref_init(&priv->kref);
 \t\t\t\tpriv->revoked = false;`,
      }),
    },
  ],
  invalid: [
    { name: 'un-revoke re-arms the kref only', diff: unrevoke('\tkref_init(&priv->kref);'), errors: [{ file: F, line: 29 }] },
    {
      // The release callback is another function; a function without any kref or completion word follows.
      name: 'the release callback wakes with wake_up_all(), next to a function that mentions no read word',
      diff: fileDiff(F, {
        start: 10,
        body: `${plus(releaseAndUnmap.replace('complete(&priv->comp)', 'wake_up_all(&priv->comp)'))}\n+\n${plus(`void foo_buf_unrevoke(struct foo_buf *priv)
{
	kref_init(&priv->kref);
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = false;
	dma_resv_unlock(priv->dmabuf->resv);
}

size_t foo_buf_size(struct foo_buf *priv)
{
	return priv->size;
}`)}`,
      }),
      errors: [{ file: F, line: 29 }],
    },
    {
      name: 'revoke/un-revoke in one function, wait follows the re-arm',
      diff: fileDiff(F, {
        start: 10,
        body: `${plus(releaseAndUnmap)}\n+\n${plus(`void foo_buf_cycle(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = true;
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_unlock(priv->dmabuf->resv);
	kref_put(&priv->kref, foo_buf_done);
	wait_for_completion(&priv->comp);
	kref_init(&priv->kref);
	foo_buf_remap(priv);
	kref_put(&priv->kref, foo_buf_done);
	wait_for_completion(&priv->comp);
}`)}`,
      }),
      errors: [{ file: F, line: 35 }],
    },
    {
      name: 'init_completion of another object does not count',
      diff: unrevoke('\tkref_init(&priv->kref);\n\tinit_completion(&priv->fdev->comp);'),
      errors: [{ file: F, line: 29 }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
