import { describe, expect, test } from 'vitest';
import { simpleParser } from 'mailparser';
import { composeReview } from '../../../bot/mail-out/compose.ts';
import { replyReferences, replySubject, headerText } from '../../../bot/mail-out/headers.ts';
import { renderMail } from '../../../bot/mail-out/render.ts';
import { wrapParagraph, wrapText } from '../../../bot/mail-out/wrap.ts';
import { parseSubject } from '../../../bot/mail/subject.ts';
import { message } from '../../helpers/review-fixtures.ts';
import { composeOptions, demoReview } from './fixtures.ts';

describe('wrapping', () => {
  test('prose is wrapped at 72 columns without splitting words', () => {
    const text = 'word '.repeat(60).trim();
    const lines = wrapText(text).split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(72);
    expect(lines.join(' ')).toBe(text);
  });
  test('a word longer than the width stays whole on its own line; hanging indent applies', () => {
    const long = `https://lore.kernel.org/${'x'.repeat(90)}`;
    const lines = wrapParagraph(`see ${long} for details`, 72, '  ');
    expect(lines).toEqual(['see', `  ${long}`, '  for details']);
  });
  test('blank lines and indented lines are kept', () => {
    expect(wrapText('a b\n\n  code  here\nc')).toBe('a b\n\n  code  here\nc');
  });
});

describe('subject and threading headers', () => {
  const msg = (subject: string, listId?: string) => {
    const m = message('p1@x', parseSubject(subject));
    if (listId) m.headers.set('list-id', listId);
    return m;
  };
  test('Re: is added once, never Re: Re:', () => {
    expect(replySubject(msg('[PATCH v2 1/3] cma: foo'))).toBe('Re: [PATCH v2 1/3] cma: foo');
    expect(replySubject(msg('Re: RE: Aw: [PATCH] x'))).toBe('Re: [PATCH] x');
  });
  test("the list's own tag is dropped only when List-Id names it", () => {
    const listId = '"Unified memory" <linaro-mm-sig.lists.linaro.org>';
    expect(replySubject(msg('[Linaro-mm-sig] [PATCH 1/2] a', listId))).toBe('Re: [PATCH 1/2] a');
    expect(replySubject(msg('[Linaro-mm-sig] Re: [PATCH 1/2] a', listId))).toBe('Re: [PATCH 1/2] a');
    expect(replySubject(msg('[net-next] [PATCH 1/2] a', listId))).toBe('Re: [net-next] [PATCH 1/2] a');
  });
  test('References = parent References + parent, bounded with the root kept', () => {
    const m = message('p@x', parseSubject('[PATCH] a'));
    m.references = Array.from({ length: 10_000 }, (_, i) => `r${i}@x`);
    const refs = replyReferences(m, 20);
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe('r0@x');
    expect(refs.slice(-2)).toEqual(['r9999@x', 'p@x']);
  });
  test('header text loses CR/LF and control characters', () => {
    expect(headerText('a\r\nBcc: evil@x\u0000')).toBe('a Bcc: evil@x');
  });
});

describe('composed replies', () => {
  test('one reply per patch with findings, bottom-posted, finding under its line with 3 lines of context', () => {
    const mails = composeReview(demoReview([14]), composeOptions());
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.subject).toBe('Re: [PATCH 1/2] demo: fix things part 1');
    expect(m.inReplyTo).toBe(m.parent.id);
    expect(m.references).toEqual(['demo-fix-v1-0@test', m.parent.id]);
    const lines = m.text.split('\n');
    expect(lines[0]).toMatch(/^On .*, Ada Example wrote:$/);
    expect(m.text).toContain(
      [
        'wrote:',
        '> diff --git a/drivers/demo/a.c b/drivers/demo/a.c',
        '[...]',
        '> @@ -10,0 +10,6 @@',
        '[...]',
        '> +int b;',
        '> +int c;',
        '> +lock();',
        '> +wait();',
        '',
        'warning [demo/rule]: waits at line 14 while a lock is held, which can',
        'deadlock when the waker needs the same lock',
        '',
        '-- ',
      ].join('\n'),
    );
    expect(m.text).toContain('\n-- \n');
    expect(m.text).toContain('`deptbot explain demo/rule`');
    expect(m.text).toContain('`rules: {demo/rule: off}`');
    for (const l of m.text.split('\n').filter((x) => !x.startsWith('>'))) expect(l.length).toBeLessThanOrEqual(72);
  });

  test('two findings in one hunk share one quote, with [...] between distant lines', () => {
    const mails = composeReview(demoReview([10, 15]), composeOptions({ quoteContext: 1 }));
    const text = mails[0]!.text;
    expect(text.match(/> @@/g)).toHaveLength(1);
    expect(text).toMatch(/> \+int a;\n\nwarning \[demo\/rule\]: waits at line 10[^]*\n\[\.\.\.\]\n> \+wait\(\);\n> \+unlock\(\);\n\nwarning/);
  });

  test('the same review composes the same Message-ID; other findings another one', () => {
    const a = composeReview(demoReview([13]), composeOptions())[0]!;
    const b = composeReview(demoReview([13]), { ...composeOptions(), now: new Date() })[0]!;
    const c = composeReview(demoReview([14]), composeOptions())[0]!;
    expect(a.messageId).toBe(b.messageId);
    expect(a.messageId).not.toBe(c.messageId);
    expect(a.messageId).toMatch(/^deptbot\.[0-9a-f]{32}@deptbot\.example$/);
  });

  test('no findings: no mail by default; an all-clear summary to the cover when asked', () => {
    expect(composeReview(demoReview([]), composeOptions())).toEqual([]);
    const all = composeReview(demoReview([]), composeOptions({ coverSummary: 'always' }));
    expect(all).toHaveLength(1);
    expect(all[0]!.kind).toBe('cover');
    expect(all[0]!.text).toMatch(/found nothing to\s+report\./);
  });

  test('cover summary lists where the findings are', () => {
    const mails = composeReview(demoReview([13]), composeOptions({ coverSummary: 'findings' }));
    expect(mails.map((m) => m.kind)).toEqual(['patch', 'cover']);
    expect(mails[1]!.text).toContain('found 1 warning.');
    expect(mails[1]!.text).toContain('    drivers/demo/a.c:13: warning [demo/rule]');
  });

  test('a subject or name carrying CRLF + Bcc never adds a header', async () => {
    const r = demoReview([13]);
    const p = r.series.patches[0]!.message;
    p.subject = parseSubject('[PATCH 1/2] evil\r\nBcc: victim@evil.example');
    p.from = { name: 'Mallory\r\nBcc: victim2@evil.example', address: 'mallory@example.com' };
    const mail = composeReview(r, composeOptions())[0]!;
    const raw = renderMail(mail, '9.9.9').toString();
    expect(raw).not.toMatch(/^Bcc:/im);
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    for (const line of head.split('\r\n')) expect(line).toMatch(/^([A-Za-z-]+: |[ \t])/);
    const parsed = await simpleParser(raw);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.subject).toBe('Re: [PATCH 1/2] evil Bcc: victim@evil.example');
  });

  test('non-ASCII names are encoded words and decode back; headers are folded under 78 columns', async () => {
    const r = demoReview([13]);
    const p = r.series.patches[0]!.message;
    p.from = { name: 'Christian König', address: 'christian@amd.example' };
    p.cc = [...p.cc, ...Array.from({ length: 12 }, (_, i) => ({ name: `Ünïcode Person ${i}`, address: `p${i}@kernel.org` }))];
    const raw = renderMail(composeReview(r, composeOptions())[0]!, '9.9.9').toString();
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head).toContain('To: Christian =?UTF-8?Q?K=C3=B6nig?= <christian@amd.example>');
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const parsed = await simpleParser(raw);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value[0]).toEqual({ name: 'Christian König', address: 'christian@amd.example' });
    const cc = (Array.isArray(parsed.cc) ? parsed.cc[0] : parsed.cc)?.value ?? [];
    expect(cc.map((a) => a.name)).toContain('Ünïcode Person 11');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.headers.get('x-deptbot-version')).toBe('9.9.9');
    expect(parsed.inReplyTo).toBe('<demo-fix-v1-1@test>');
  });
});
