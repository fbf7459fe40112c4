import { describe, expect, it } from 'vitest';
import { lineageKey, Mailbox, SKIP, type MailboxStats } from '../../../bot/mail/mailbox.ts';
import { parseMessage } from '../../../bot/mail/parse-message.ts';
import type { Message, Series } from '../../../bot/model.ts';
import { openInputs } from '../../../bot/sources/open-inputs.ts';
import { corpusPath } from '../../helpers/corpus.ts';
import { mailText, patchBody, raw, type MailSpec } from '../../helpers/mail-fixtures.ts';

async function msg(spec: MailSpec): Promise<Message> {
  return parseMessage(raw(mailText({ body: patchBody(), ...spec })));
}

/** Cover 0/n and patches 1..n, all replying to the cover, ids "<tag>-<i>". */
async function series(tag: string, n: number, rev = 1, opts: { cover?: boolean; title?: string } = {}): Promise<Message[]> {
  const v = rev > 1 ? ` v${rev}` : '';
  const out: Message[] = [];
  const root = `${tag}-${opts.cover === false ? 1 : 0}`;
  if (opts.cover !== false) out.push(await msg({ subject: `[PATCH${v} 0/${n}] ${opts.title ?? tag}`, id: `${tag}-0`, body: 'Cover text.\n' }));
  for (let i = 1; i <= n; i++) {
    const reply = `${tag}-${i}` === root ? {} : { inReplyTo: root, references: [root] };
    out.push(await msg({ subject: `[PATCH${v} ${i}/${n}] part ${i}`, id: `${tag}-${i}`, ...reply }));
  }
  return out;
}

function run(box: Mailbox, messages: Message[]): Series[] {
  const done: Series[] = [];
  for (const m of messages) done.push(...box.add(m));
  return done;
}

function accounted(st: MailboxStats): number {
  return st.patches + st.covers + st.followUps + Object.values(st.skipped).reduce((a, b) => a + b, 0);
}

describe('Mailbox', () => {
  it('returns a series as soon as it is complete, patches in order', async () => {
    const box = new Mailbox();
    const [cover, p1, p2, p3] = await series('s', 3);
    expect(box.add(cover!)).toEqual([]);
    expect(box.add(p2!)).toEqual([]);
    expect(box.add(p1!)).toEqual([]);
    const [done] = box.add(p3!);
    expect(done).toMatchObject({ revision: 1, expected: 3, complete: true, missing: [], title: 's', key: 's-0#v1' });
    expect(done?.patches.map((p) => p.index)).toEqual([1, 2, 3]);
    expect(done?.cover?.id).toBe('s-0');
    expect(box.flush()).toEqual([]);
  });

  it('assembles patches that arrive before their cover', async () => {
    const box = new Mailbox();
    const [cover, p1, p2] = await series('o', 2);
    expect(run(box, [p2!, p1!])).toHaveLength(1);
    expect(box.add(cover!)).toEqual([]);
    // The cover came after its series was handed back: counted, not a second series.
    expect(box.flush()).toEqual([]);
    expect(box.stats().skipped[SKIP.late]).toBe(1);
  });

  it('threads a series without a cover by its first patch', async () => {
    const box = new Mailbox();
    const done = run(box, await series('nc', 3, 2, { cover: false }));
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ revision: 2, expected: 3, complete: true, key: 'nc-1#v2' });
    expect(done[0]?.cover).toBeUndefined();
  });

  it('makes a lone [PATCH] a 1/1 series', async () => {
    const box = new Mailbox();
    const done = box.add(await msg({ subject: '[PATCH] lone', id: 'lone' }));
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ expected: 1, complete: true, title: 'lone' });
  });

  it('keeps revisions apart, even when v2 replies into the v1 thread', async () => {
    const box = new Mailbox();
    const v1 = await series('r1', 2, 1, { title: 'topic' });
    const v2 = (await series('r2', 2, 2, { title: 'topic' })).map((m) => ({ ...m, inReplyTo: 'r1-0', references: ['r1-0', ...m.references] }));
    const done = run(box, [...v1, ...v2]);
    expect(done.map((s) => s.revision)).toEqual([1, 2]);
    expect(new Set(done.map(lineageKey)).size).toBe(1);
  });

  it('reports an incomplete series on flush with its missing counters', async () => {
    const box = new Mailbox();
    const [cover, p1, , p3] = await series('inc', 4);
    expect(run(box, [cover!, p1!, p3!])).toEqual([]);
    const wide = new Mailbox();
    const [, w1] = await series('wide', 9);
    wide.add(w1!);
    expect(wide.flush()[0]?.notes[0]).toBe('incomplete: missing 2-9 of 9');
    const [s] = box.flush();
    expect(s).toMatchObject({ complete: false, missing: [2, 4], expected: 4 });
    expect(s?.notes[0]).toBe('incomplete: missing 2, 4 of 4');
    expect(box.stats()).toMatchObject({ series: 1, incomplete: 1, patches: 2, covers: 1 });
  });

  it('closes an incomplete series whose thread went quiet', async () => {
    const box = new Mailbox({ idleLimit: 300 });
    const [cover, p1] = await series('idle', 3);
    run(box, [cover!, p1!]);
    const noise = await msg({ subject: 'chatter', id: 'n', body: 'x\n' });
    const closed: Series[] = [];
    for (let i = 0; i < 600; i++) closed.push(...box.add({ ...noise, id: `n${i}`, body: `x${i}\n` }));
    expect(closed).toHaveLength(1);
    expect(closed[0]?.complete).toBe(false);
    expect(closed[0]?.notes.join(' ')).toMatch(/without a further part/);
  });

  it('attaches replies as follow-ups, never as patches', async () => {
    const box = new Mailbox();
    const [cover, p1, p2] = await series('f', 2);
    run(box, [cover!, p1!]);
    const review = await msg({ subject: 'Re: [PATCH 1/2] part 1', id: 'rev1', inReplyTo: 'f-1', references: ['f-0', 'f-1'], body: 'Reviewed-by: X <x@example.org>\n' });
    const nested = await msg({ subject: 'Re: [PATCH 1/2] part 1', id: 'rev2', inReplyTo: 'rev1', references: ['f-0', 'f-1', 'rev1'], body: 'Thanks\n' });
    run(box, [review, nested]);
    const [done] = box.add(p2!);
    expect(done?.patches).toHaveLength(2);
    expect(done?.followUps.map((m) => m.id)).toEqual(['rev1', 'rev2']);
    const late = await msg({ subject: 'Re: [PATCH 0/2] f', id: 'late', inReplyTo: 'f-0', body: 'Applied\n' });
    expect(box.add(late)).toEqual([]);
    expect(box.stats().followUps).toBe(3);
  });

  it('skips replies outside any series and messages that are no patch, with reasons', async () => {
    const box = new Mailbox();
    run(box, [
      await msg({ subject: 'Re: something', id: 'o1', inReplyTo: 'unknown', body: 'hi\n' }),
      await msg({ subject: 'question about fences', id: 'q', body: 'hi\n' }),
      await msg({ subject: '[PATCH 3/2] bad', id: 'b' }),
    ]);
    expect(box.stats().skipped).toEqual({ [SKIP.orphanReply]: 1, [SKIP.notPatch]: 1, [SKIP.badCounter]: 1 });
  });

  it('folds a Message-ID seen twice with the same content', async () => {
    const box = new Mailbox();
    const m = await msg({ subject: '[PATCH 1/2] a', id: 'd1' });
    run(box, [m, { ...m, headers: new Map([['received', 'elsewhere']]) }]);
    expect(box.stats().skipped[SKIP.duplicate]).toBe(1);
    expect(box.flush()[0]?.patches).toHaveLength(1);
  });

  it('keeps apart a duplicate Message-ID with different content, and warns', async () => {
    const warnings: string[] = [];
    const box = new Mailbox({ onWarning: (w) => warnings.push(w) });
    const a = await msg({ subject: '[PATCH] one', id: 'same' });
    const b = await msg({ subject: '[PATCH] other', id: 'same' });
    const done = run(box, [a, b]);
    expect(done.map((s) => s.title)).toEqual(['one', 'other']);
    expect(done[1]?.patches[0]?.message.id).toMatch(/^same#/);
    expect(box.stats().idConflicts).toBe(1);
    expect(warnings[0]).toMatch(/reused for different content/);
  });

  it('counts a second copy of a counter once, keeping the first', async () => {
    const box = new Mailbox();
    const [cover, p1] = await series('dc', 2);
    const again = { ...p1!, id: 'dc-1-resent', body: `${p1!.body}changed\n` };
    run(box, [cover!, p1!, again]);
    expect(box.stats().skipped[SKIP.duplicateCounter]).toBe(1);
    expect(box.flush()[0]?.notes.join(' ')).toMatch(/1\/2 received twice/);
  });

  it('takes base-commit and change-id from the cover', async () => {
    const box = new Mailbox();
    const [cover, p1] = await series('t', 1);
    const tagged = { ...cover!, body: 'Cover.\n\n---\nbase-commit: abcdef0123456\nchange-id: 20250101-t-1\n' };
    const [done] = run(box, [tagged, p1!]);
    expect(done).toMatchObject({ baseCommit: 'abcdef0123456', changeId: '20250101-t-1' });
    expect(lineageKey(done!)).toBe('change-id:20250101-t-1');
  });

  it('accounts for every message, including unparseable ones', async () => {
    const box = new Mailbox();
    run(box, [...(await series('acc', 2)), await msg({ subject: 'Re: x', id: 'z', inReplyTo: 'acc-1' })]);
    box.skip('unparseable');
    box.flush();
    const st = box.stats();
    expect(st.messages).toBe(5);
    expect(accounted(st)).toBe(5);
  });
});

async function assemble(files: string[]): Promise<{ series: Series[]; stats: MailboxStats }> {
  const box = new Mailbox();
  const out: Series[] = [];
  for (const source of openInputs(files.map((f) => corpusPath(`series/${f}`)))) {
    for await (const r of source.messages()) out.push(...box.add(await parseMessage(r)));
  }
  out.push(...box.flush());
  return { series: out, stats: box.stats() };
}

describe('Mailbox on real series', () => {
  it('dept-v18.mbox: one complete series, rev 18, 42 patches in order with the cover', async () => {
    const { series: all } = await assemble(['dept-v18.mbox']);
    expect(all).toHaveLength(1);
    const s = all[0]!;
    expect(s).toMatchObject({ revision: 18, expected: 42, complete: true, missing: [], title: 'DEPT(DEPendency Tracker)' });
    expect(s.cover).toBeDefined();
    expect(s.patches.map((p) => p.index)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    expect(s.patches.every((p) => p.files.length > 0 && !p.mangled)).toBe(true);
  });

  it('dma-buf-revoke v5, v6, v7: three revisions of one lineage, v7 complete with 8 patches', async () => {
    const { series: all } = await assemble(['dma-buf-revoke-v5.mbox', 'dma-buf-revoke-v6.mbox', 'dma-buf-revoke-v7.mbox']);
    expect(all.map((s) => s.revision)).toEqual([5, 6, 7]);
    expect(new Set(all.map(lineageKey)).size).toBe(1);
    const v7 = all[2]!;
    expect(v7).toMatchObject({ complete: true, expected: 8 });
    expect(v7.patches).toHaveLength(8);
    // Authored at nvidia.com (in-body From), sent from kernel.org.
    expect(v7.patches[0]?.author.address).toBe('leonro@nvidia.com');
  });

  it('cma-dmem v1 is a one-patch series; v1 and v2 share a lineage by change-id', async () => {
    const { series: all } = await assemble(['cma-dmem-v1.mbox', 'cma-dmem-v2.mbox']);
    expect(all[0]).toMatchObject({ revision: 1, expected: 1, complete: true });
    expect(all[0]?.patches).toHaveLength(1);
    expect(all[1]).toMatchObject({ revision: 2, expected: 3, complete: true });
    expect(all[0]?.title).not.toBe(all[1]?.title);
    expect(lineageKey(all[0]!)).toBe(lineageKey(all[1]!));
    expect(all[0]?.changeId).toBe('20260128-dmabuf-heap-cma-dmem-f4120a2df4a8');
  });

  it('tegra-vpr-v2.mbox: rev 2, expected 10, complete', async () => {
    const { series: all, stats } = await assemble(['tegra-vpr-v2.mbox']);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ revision: 2, expected: 10, complete: true });
    expect(accounted(stats)).toBe(11);
  });
});
