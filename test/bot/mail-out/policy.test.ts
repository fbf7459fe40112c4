import { describe, expect, test } from 'vitest';
import { DEFAULT_BOTS } from '../../../config/mail.ts';
import { applyAllowlist, authorOf, replyRecipients } from '../../../bot/mail-out/recipients.ts';
import type { RecipientPolicy } from '../../../bot/mail-out/recipients.ts';
import { checkRate, replyForbidden } from '../../../bot/mail-out/safety.ts';
import { composeReview } from '../../../bot/mail-out/compose.ts';
import { parseSubject } from '../../../bot/mail/subject.ts';
import { message } from '../../helpers/review-fixtures.ts';
import { composeOptions, demoReview } from './fixtures.ts';

const self = { name: 'deptbot', address: 'bot@deptbot.example' };
const policy = (over: Partial<RecipientPolicy['cc']> = {}, lists: string[] = []): RecipientPolicy => ({
  allow: { lists, domains: [] },
  cc: { original: true, max: 30, drop: [], ...over },
});

function relayMessage() {
  const m = message('b4@x', parseSubject('[PATCH 1/2] x'));
  m.from = { name: 'Jane Dev via B4 Relay', address: 'devnull+jane.example.org@kernel.org' };
  m.replyTo = [{ name: 'Jane Dev', address: 'jane@example.org' }];
  m.headers.set('x-original-from', 'Jane Dev <jane@example.org>');
  m.to = [{ name: '', address: 'dri-devel@lists.freedesktop.org' }];
  m.cc = [{ name: 'Jane Dev via B4 Relay', address: 'devnull+jane.example.org@kernel.org' }, { name: 'Rev Iewer', address: 'rev@kernel.org' }];
  return m;
}

describe('recipients', () => {
  test('B4 Relay: the reply goes to the person, never to the relay address', () => {
    const r = replyRecipients(relayMessage(), [], policy(), self);
    expect(r.to).toEqual([{ name: 'Jane Dev', address: 'jane@example.org' }]);
    expect(r.cc.map((a) => a.address)).toEqual(['dri-devel@lists.freedesktop.org', 'rev@kernel.org']);
  });
  test('X-Original-From alone resolves the relay, with the name from the relay header', () => {
    const m = relayMessage();
    m.replyTo = [];
    m.headers.set('x-original-from', 'jane@example.org');
    expect(authorOf(m)).toEqual({ name: 'Jane Dev', address: 'jane@example.org' });
  });
  test('a Reply-To that points at a list does not replace the author', () => {
    const m = message('x@x', parseSubject('[PATCH] x'));
    m.replyTo = [{ name: '', address: 'list@lists.example.org' }];
    expect(authorOf(m, ['list@lists.example.org'])?.address).toBe('ada@example.org');
  });
  test('lists first, then people; trimming keeps lists; drop patterns and the bot itself are removed', () => {
    const m = message('x@x', parseSubject('[PATCH] x'));
    m.to = [{ name: 'P1', address: 'p1@kernel.org' }, self];
    m.cc = [{ name: '', address: 'stable@vger.kernel.org' }, { name: 'P2', address: 'p2@kernel.org' }, { name: '', address: 'list@lists.example.org' }];
    const r = replyRecipients(m, [], policy({ max: 2, drop: ['stable@*'] }, ['list@lists.example.org']), self);
    expect(r.to.map((a) => a.address)).toEqual(['ada@example.org']);
    expect(r.cc.map((a) => a.address)).toEqual(['list@lists.example.org', 'p1@kernel.org']);
    const narrow = replyRecipients(m, [], policy({ original: false }, ['list@lists.example.org']), self);
    expect(narrow.cc.map((a) => a.address)).toEqual(['list@lists.example.org']);
  });
  test('the allowlist drops every address outside its lists and domains (sub-domains included)', () => {
    const r = applyAllowlist(
      {
        to: [{ name: 'A', address: 'a@gmail.com' }],
        cc: [
          { name: '', address: 'dri-devel@lists.freedesktop.org' },
          { name: '', address: 'x@vger.kernel.org' },
          { name: '', address: 'y@notkernel.org' },
        ],
      },
      { lists: ['dri-devel@lists.freedesktop.org'], domains: ['kernel.org'] },
    );
    expect(r.to).toEqual([]);
    expect(r.cc.map((a) => a.address)).toEqual(['dri-devel@lists.freedesktop.org', 'x@vger.kernel.org']);
    expect(r.dropped).toEqual(['a@gmail.com', 'y@notkernel.org']);
  });
  test('malformed and hostile addresses never become recipients', () => {
    const m = message('x@x', parseSubject('[PATCH] x'));
    m.cc = [{ name: 'x', address: 'a@b.c>, evil@x.org' }, { name: 'y', address: 'no-domain' }, { name: 'z', address: 'ok@kernel.org' }];
    expect(replyRecipients(m, [], policy(), self).cc.map((a) => a.address)).toEqual(['ok@kernel.org']);
  });
});

describe('safety', () => {
  const id = { self, bots: DEFAULT_BOTS };
  const from = (name: string, address: string, headers: Record<string, string> = {}) => {
    const m = message(`m${Math.random()}@x`, parseSubject('[PATCH] x'));
    m.from = { name, address };
    for (const [k, v] of Object.entries(headers)) m.headers.set(k, v);
    return m;
  };
  test.each([
    ['kernel test robot', 'lkp@intel.com'],
    ['syzbot', 'syzbot+0123abcd@syzkaller.appspotmail.com'],
    ['patchwork-bot+netdevbpf', 'patchwork-bot+netdevbpf@kernel.org'],
    ['kernel test robot', 'oliver.sang@intel.com'],
  ])('known bot %s <%s> is never answered', (name, address) => {
    expect(replyForbidden(from(name, address), id)).toMatch(/known bot/);
  });
  test('Auto-Submitted other than "no" is never answered; "no" is', () => {
    expect(replyForbidden(from('A', 'a@kernel.org', { 'auto-submitted': 'auto-replied' }), id)).toMatch(/automated/);
    expect(replyForbidden(from('A', 'a@kernel.org', { 'auto-submitted': 'no' }), id)).toBeUndefined();
    expect(replyForbidden(from('A', 'a@kernel.org'), id)).toBeUndefined();
  });
  test("the bot's own mails are never answered: by header, by Message-ID, by sender", () => {
    expect(replyForbidden(from('A', 'a@kernel.org', { 'x-deptbot-version': '1' }), id)).toMatch(/own/);
    expect(replyForbidden(from('deptbot', 'bot@deptbot.example'), id)).toMatch(/own/);
    const m = from('A', 'a@kernel.org');
    m.id = 'deptbot.0123456789abcdef0123456789abcdef@deptbot.example';
    expect(replyForbidden(m, id)).toMatch(/own/);
  });
  test("a reply to the bot's own reply is not even composed as a patch reply", () => {
    const r = demoReview([13]);
    const mail = composeReview(r, composeOptions())[0]!;
    expect(replyForbidden(mail.parent, id)).toBeUndefined();
  });
  test('rate limits: thread drops, list and hour delay', () => {
    const limits = { perThread: 3, perListPerHour: 2, perHour: 5 };
    expect(checkRate({ thread: 2, lists: { 'l@x': 1 }, hour: 4 }, limits)).toEqual({ ok: true });
    expect(checkRate({ thread: 3, lists: {}, hour: 0 }, limits)).toMatchObject({ ok: false, scope: 'thread' });
    expect(checkRate({ thread: 0, lists: { 'l@x': 2 }, hour: 0 }, limits)).toMatchObject({ ok: false, scope: 'list' });
    expect(checkRate({ thread: 0, lists: {}, hour: 5 }, limits)).toMatchObject({ ok: false, scope: 'hour' });
  });
});
