// The small pure pieces of the watcher: URL and duration parsing, settings precedence, series
// identity, Maildir keys, git batch output, and safe review names.
import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../../../config/schema.ts';
import { configSchema } from '../../../config/schema.ts';
import { parseMessage } from '../../../bot/mail/parse-message.ts';
import { parseImapUrl } from '../../../bot/sources/imap.ts';
import { maildirKey } from '../../../bot/sources/maildir-watch.ts';
import { parseBatch } from '../../../bot/sources/public-inbox.ts';
import { classify } from '../../../bot/watch/classify.ts';
import { parseDuration } from '../../../bot/watch/duration.ts';
import { looksLikeMail } from '../../../bot/watch/processor.ts';
import { reviewId, slug } from '../../../bot/watch/review-id.ts';
import { resolveSettings } from '../../../bot/watch/settings.ts';
import { makeSeries } from '../../helpers/imap.ts';
import { fakeReview } from './helpers.ts';

describe('parseImapUrl', () => {
  test('reads user, host, port, folder and TLS', () => {
    expect(parseImapUrl('imap://bot@127.0.0.1:1143/lists/linux-mm')).toEqual({ secure: false, host: '127.0.0.1', port: 1143, user: 'bot', folder: 'lists/linux-mm' });
    expect(parseImapUrl('imaps://me%40x.org@mail.x.org/')).toEqual({ secure: true, host: 'mail.x.org', port: 993, user: 'me@x.org', folder: 'INBOX' });
  });
  test('refuses a password in the URL, other schemes and a missing user', () => {
    expect(() => parseImapUrl('imap://bot:pw@host/INBOX')).toThrow(/DEPTBOT_IMAP_PASSWORD/);
    expect(() => parseImapUrl('http://bot@host/INBOX')).toThrow(/not imap/);
    expect(() => parseImapUrl('imap://host/INBOX')).toThrow(/needs a user/);
  });
});

describe('durations and settings', () => {
  test('parseDuration', () => {
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2')).toBe(2000);
    expect(() => parseDuration('soon', '--quiet-period')).toThrow(/--quiet-period: "soon" is not a duration/);
  });
  test('no flags and no config: ./inbox as a Maildir (created), ./outbox, ./deptbot-state.sqlite, 10 minutes', () => {
    const s = resolveSettings({}, defaultConfig(), '/work/x');
    expect(s.sources).toEqual([{ type: 'maildir', path: '/work/x/inbox', create: true }]);
    expect(s).toMatchObject({ outbox: '/work/x/outbox', statePath: '/work/x/deptbot-state.sqlite', quietMs: 600_000, format: 'text', once: false });
  });
  test('flags replace the configured sources; the config fills the rest', () => {
    const config = configSchema.parse({ watch: { sources: [{ type: 'maildir', path: 'lei' }], quietPeriod: '30s', format: 'json' } });
    expect(resolveSettings({}, config, '/w').sources).toEqual([{ type: 'maildir', path: '/w/lei', create: false }]);
    const s = resolveSettings({ publicInbox: ['mirror/0.git'], fetchCommand: '' }, config, '/w');
    expect(s.sources).toEqual([{ type: 'public-inbox', path: '/w/mirror/0.git', fetch: [] }]);
    expect(s).toMatchObject({ quietMs: 30_000, format: 'json' });
  });
  test('the config section rejects unknown keys and bad values', () => {
    expect(() => configSchema.parse({ watch: { quietPeriod: 'later' } })).toThrow();
    expect(() => configSchema.parse({ watch: { sources: [{ type: 'imap', url: 'http://x' }] } })).toThrow();
    expect(() => configSchema.parse({ watch: { colour: 'blue' } })).toThrow();
  });
});

describe('series identity', () => {
  const noCover = () => undefined;
  test('a cover and its patches share the anchor, whatever the arrival order', async () => {
    const s = makeSeries({ title: 'anchor', n: 2 });
    const parse = (b: Buffer) => parseMessage({ source: 't', locator: '1', data: b });
    const [c, p1, p2] = await Promise.all([s.cover as Buffer, ...s.patches].map(parse));
    const ids = [c, p1, p2].map((m) => classify(m!, 'h', noCover).series?.anchor);
    expect(new Set(ids)).toEqual(new Set([s.coverId]));
    expect(classify(c!, 'h', noCover).kind).toBe('cover');
  });
  test('without a cover the thread root (patch 1) is the anchor; a reply is a follow-up', async () => {
    const s = makeSeries({ title: 'nocover', n: 2, cover: false });
    const [p1, p2] = await Promise.all(s.patches.map((b) => parseMessage({ source: 't', locator: '1', data: b })));
    expect(classify(p1!, 'h', noCover).series?.anchor).toBe(classify(p2!, 'h', noCover).series?.anchor);
    const reply = await parseMessage({ source: 't', locator: '2', data: Buffer.from('Subject: Re: [PATCH 1/2] x\r\nMessage-ID: <r@x>\r\n\r\nok\r\n') });
    expect(classify(reply, 'h', noCover).kind).toBe('follow-up');
  });
  test('only mail with header fields is taken from a mail source', () => {
    expect(looksLikeMail(Buffer.from('From abc Mon Jan  1 00:00:00 2024\nSubject: x\n\n'))).toBe(true);
    expect(looksLikeMail(Buffer.from('diff --git a/x b/x\n'))).toBe(false);
  });
});

describe('sources: small parsers', () => {
  test('maildirKey drops the info suffix', () => {
    expect(maildirKey('1700000000.M1P2.host:2,S')).toBe('1700000000.M1P2.host');
    expect(maildirKey('plain')).toBe('plain');
  });
  test('parseBatch reads blobs and missing objects', () => {
    const out = Buffer.from('aaaa blob 5\nhello\nbbbb:m missing\ncccc blob 0\n\n');
    expect(parseBatch(out, 3).map((b) => b?.toString())).toEqual(['hello', undefined, '']);
  });
});

describe('review names', () => {
  test('slug keeps only lower-case ASCII words and never makes a path', () => {
    expect(slug('../../etc/passwd\r\nBcc: x')).toBe('etc-passwd-bcc-x');
    expect(slug('')).toBe('series');
    expect(slug('x'.repeat(100))).toHaveLength(48);
  });
  test('the same review gets the same id; other patches another', async () => {
    const s = makeSeries({ title: 'ids', n: 1, cover: false });
    const msg = await parseMessage({ source: 't', locator: '1', data: s.patches[0] as Buffer });
    const series = { key: 'k#v1', title: 'A title', revision: 1, expected: 1, patches: [{ index: 1, message: msg, author: msg.from, commitMessage: '', trailers: [], files: [] }], missing: [], complete: true, followUps: [], notes: [] };
    expect(reviewId(fakeReview(series))).toBe(reviewId(fakeReview({ ...series })));
    expect(reviewId(fakeReview(series))).toMatch(/^a-title-v1-[0-9a-f]{16}$/);
    expect(reviewId(fakeReview({ ...series, patches: [] }))).not.toBe(reviewId(fakeReview(series)));
  });
});
