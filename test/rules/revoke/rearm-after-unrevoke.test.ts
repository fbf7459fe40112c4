import rule from '../../../rules/revoke/rearm-after-unrevoke.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { fileDiff, type HunkSpec } from '../../helpers/git-diff.ts';
import { lineIn } from '../cma/hunk-lines.ts';
import { plus } from './exporter-snippets.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';

const F = 'drivers/vfio/pci/foo_dmabuf.c';

/** The v5/v6 vfio_pci_dma_buf_move() shape: flag follows the argument, re-arm after the unlock. */
const v5Move: HunkSpec = {
  start: 350,
  body: plus(`void foo_buf_move(struct foo_buf *priv, bool revoked)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = revoked;
	dma_buf_invalidate_mappings(priv->dmabuf);
	dma_resv_wait_timeout(priv->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, false,
			      MAX_SCHEDULE_TIMEOUT);
	dma_resv_unlock(priv->dmabuf->resv);
	if (revoked) {
		kref_put(&priv->kref, foo_buf_done);
		wait_for_completion(&priv->comp);
	} else {
		kref_init(&priv->kref);
		reinit_completion(&priv->comp);
	}
}`),
};

/** A dedicated un-revoke that clears with `= false` and re-arms after the unlock. */
const unrevokeFalse: HunkSpec = {
  start: 420,
  body: plus(`void foo_buf_unrevoke(struct foo_buf *priv)
{
	dma_resv_lock(priv->dmabuf->resv, NULL);
	priv->revoked = false;
	dma_resv_unlock(priv->dmabuf->resv);
	reinit_completion(&priv->comp);
	kref_init(&priv->kref);
}`),
};

/** Only the re-arm is added, after an unlock whose clear is context under the visible lock. */
const addedRearmOnly: HunkSpec = {
  start: 500,
  section: 'static void bar_restore(struct bar_buf *b)',
  body: ` 	dma_resv_lock(b->dmabuf->resv, NULL);
 	b->is_revoked = 0;
 	dma_resv_unlock(b->dmabuf->resv);
+	refcount_set(&b->users, 1);
 	bar_notify(b);
`,
};

/** A constructor arms the kref and clears the flag without any resv: no window, whatever else is in the patch. */
const constructor = plus(`struct foo_buf *foo_buf_create(struct foo_dev *fdev)
{
	struct foo_buf *priv = kzalloc(sizeof(*priv), GFP_KERNEL);

	if (!priv)
		return NULL;
	kref_init(&priv->kref);
	init_completion(&priv->comp);
	priv->revoked = false;
	return priv;
}`);

/** v7: re-arm first, then clear the flag under a re-taken resv. */
const v7Move = v5Move.body
  .replace('+\tpriv->revoked = revoked;', '+\tif (revoked)\n+\t\tpriv->revoked = true;')
  .replace('+\t\treinit_completion(&priv->comp);', '+\t\treinit_completion(&priv->comp);\n+\t\tdma_resv_lock(priv->dmabuf->resv, NULL);\n+\t\tpriv->revoked = false;\n+\t\tdma_resv_unlock(priv->dmabuf->resv);');

const cases: RuleCases = {
  valid: [
    { name: 'v7 order: re-arm, then clear the flag under the resv', diff: fileDiff(F, { start: 350, body: v7Move }) },
    {
      name: 're-arm before dropping the resv (order inside the lock does not matter: maps run under it)',
      diff: fileDiff(F, { start: 420, body: unrevokeFalse.body.replace('+\tdma_resv_unlock(priv->dmabuf->resv);\n', '').replace('+\tkref_init(&priv->kref);', '+\tkref_init(&priv->kref);\n+\tdma_resv_unlock(priv->dmabuf->resv);') }),
    },
    { name: 'the bad un-revoke is deleted', diff: fileDiff(F, { ...unrevokeFalse, body: unrevokeFalse.body.replace(/^\+/gm, '-') }) },
    {
      name: 'lock not visible: the hunk starts after the clear',
      diff: fileDiff(F, {
        start: 600,
        section: 'void foo_buf_unrevoke(struct foo_buf *priv)',
        body: ` 	priv->revoked = false;
 	dma_resv_unlock(priv->dmabuf->resv);
+	kref_init(&priv->kref);
`,
      }),
    },
    {
      name: 're-arm on the revoke branch only (the flag is set there, not cleared)',
      diff: fileDiff(F, { start: 350, body: v5Move.body.replace('+\t\tkref_init(&priv->kref);\n+\t\treinit_completion(&priv->comp);', '+\t\tfoo_buf_log(priv);').replace('+\t\twait_for_completion(&priv->comp);', '+\t\twait_for_completion(&priv->comp);\n+\t\tkref_init(&priv->kref);') }),
    },
    {
      name: 'kref_init of another object (a fresh attachment) after the unlock',
      diff: fileDiff(F, { start: 420, body: unrevokeFalse.body.replace('+\treinit_completion(&priv->comp);\n+\tkref_init(&priv->kref);', '+\tkref_init(&att->ref);') }),
    },
  ],
  invalid: [
    { name: 'v5/v6 vfio shape: flag = revoked, re-arm on the !revoked branch after the unlock', diff: fileDiff(F, v5Move), errors: [{ file: F, line: lineIn(v5Move, 'kref_init'), messageId: 'rearmAfterUnlock' }] },
    { name: 'explicit un-revoke with = false', diff: fileDiff(F, unrevokeFalse), errors: [{ file: F, line: lineIn(unrevokeFalse, 'reinit_completion'), messageId: 'rearmAfterUnlock' }] },
    {
      name: 'explicit un-revoke next to a constructor that arms the kref (judged alone)',
      diff: fileDiff(F, { start: 400, body: `${constructor}\n+\n${unrevokeFalse.body}` }),
      errors: [{ file: F, line: 417, messageId: 'rearmAfterUnlock' }],
    },
    { name: 'only the re-arm is added, after a visible clear and unlock', diff: fileDiff(F, addedRearmOnly), errors: [{ file: F, line: lineIn(addedRearmOnly, 'refcount_set'), messageId: 'rearmAfterUnlock' }] },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
