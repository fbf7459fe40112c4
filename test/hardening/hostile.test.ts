// Hostile content end to end: paths from diffs never touch the file system, outbox names are
// safe, a CRLF in a subject or name never adds a header, huge References chains, duplicate
// Message-IDs with different content, HTML-only mail, and Trojan Source characters.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { runReview } from '../../bot/commands/review-run.ts';
import { Mailbox } from '../../bot/mail/mailbox.ts';
import { parseMessage } from '../../bot/mail/parse-message.ts';
import { MailReporter } from '../../bot/mail-out/mail-reporter.ts';
import { emlFileName } from '../../bot/mail-out/eml.ts';
import { resolveMailSettings } from '../../bot/mail-out/settings.ts';
import type { Message, Review, Series } from '../../bot/model.ts';
import { openDb } from '../../bot/store/db.ts';
import { silentLogger } from '../../bot/watch/log.ts';
import { OutboxReporter, outboxFileName } from '../../bot/watch/outbox-reporter.ts';
import { runWatch } from '../../bot/watch/run.ts';
import { defaultSources, defaultStages } from '../../bot/wiring.ts';
import { treeFacts } from '../../rules/engine/tree/tree-facts.ts';
import { allRules } from '../../rules/index.ts';
import { settingsFor } from '../bot/watch/helpers.ts';
import { headerNames, OWN_HEADERS } from './mail-headers.ts';
import { patchMail } from './patch-mail.ts';

const SAFE_NAME = /^[a-z0-9][a-z0-9.-]*$/;
const tmp = (p: string): string => mkdtempSync(join(tmpdir(), p));

async function seriesOf(...mails: string[]): Promise<Series[]> {
  const box = new Mailbox();
  const out: Series[] = [];
  for (const [i, m] of mails.entries()) out.push(...box.add(await parseMessage({ source: 't', locator: `#${i}`, data: Buffer.from(m) })));
  return [...out, ...box.flush()];
}

function review(series: Series, findings = true): Review {
  return {
    series,
    findings: findings ? series.patches.map((p) => ({ ruleId: 'x/y', severity: 'warning' as const, message: 'm', messageId: 'm', patch: p.index, file: p.files[0]?.path ?? 'x', line: 1 })) : [],
    ruleErrors: [],
    notes: [],
    rulesetVersion: 't',
  };
}

/** Every file under dir, relative. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

const EVIL_PATHS = ['../../etc/passwd', '/etc/passwd', 'a/../../../x', 'x\x1b[31m\r\nBcc: e@x', '..', '"\\001\\n.."'];

describe('paths from diffs never become file system paths', () => {
  it.each(EVIL_PATHS)('outbox files for a series about %j stay in the outbox with safe names', async (evil) => {
    const diff = `diff --git a/${evil} b/${evil}\n--- a/${evil}\n+++ b/${evil}\n@@ -1 +1 @@\n-a\n+b\n`;
    const mail = `From: ${evil} <a@example.org>\nSubject: [PATCH] ${evil}\nMessage-ID: <${evil.replace(/[<>\s]/g, '')}@x>\n\nx\n---\n${diff}`;
    const [series] = await seriesOf(mail);
    const r = review(series as Series);
    for (const format of ['text', 'json'] as const) expect(outboxFileName(r, format)).toMatch(SAFE_NAME);
    const root = tmp('deptbot-outbox-root-');
    const outbox = join(root, 'outbox');
    await new OutboxReporter(outbox, 'text').report(r);
    const mailer = new MailReporter({ settings: resolveMailSettings(undefined, {}, {}), db: openDb(join(root, 's.sqlite')), outboxDir: outbox, log: silentLogger() });
    await mailer.report(r);
    await mailer.close();
    expect(readdirSync(root).filter((f) => !f.startsWith('s.sqlite'))).toEqual(['outbox']);
    expect(tree(outbox).length).toBeGreaterThan(0);
    for (const f of tree(outbox)) expect(f).toMatch(SAFE_NAME);
  });

  it('an .eml name is derived from the Message-ID alone, and safely', () => {
    for (const id of ['../../x@y', 'a/b\\c\0d@e', '\r\n@x', '', '...@..']) expect(emlFileName(id, 1)).toMatch(SAFE_NAME);
  });

  it('--tree: a patch adding a symlink or a ../ path reads nothing outside the worktree', async () => {
    const root = tmp('deptbot-tree-');
    const kernel = join(root, 'kernel');
    mkdirSync(kernel);
    writeFileSync(join(root, 'outside.c'), 'int leaked_secret_function(void) { return 42; }\n');
    const sh = (...args: string[]): void => void execFileSync('git', args, { cwd: kernel, stdio: 'ignore' });
    sh('init', '-q');
    writeFileSync(join(kernel, 'a.c'), 'int a(void)\n{\n\treturn 0;\n}\n');
    sh('add', '.');
    sh('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'base');
    const link = `diff --git a/leak.c b/leak.c\nnew file mode 120000\nindex 0000000..1111111\n--- /dev/null\n+++ b/leak.c\n@@ -0,0 +1 @@\n+${join(root, 'outside.c')}\n\\ No newline at end of file\n`;
    const [series] = await seriesOf(patchMail({ id: 'sym' }).replace(/---\n[\s\S]*$/, `---\n${link}`));
    const t = await treeFacts(series as Series, kernel);
    const names = [...(t.facts?.values() ?? [])].flat().map((f) => f.name);
    expect(names).not.toContain('leaked_secret_function');
    // And a ../ path does not apply at all (git refuses it); the review falls back to hunks.
    const [escape] = await seriesOf(patchMail({ id: 'esc' }).replace(/---\n[\s\S]*$/, '---\ndiff --git a/../x.c b/../x.c\n--- a/../x.c\n+++ b/../x.c\n@@ -0,0 +1 @@\n+int x;\n'));
    const t2 = await treeFacts(escape as Series, kernel);
    expect(t2.facts).toBeUndefined();
    expect(existsSync(join(root, 'x.c'))).toBe(false);
  });
});

describe('a CRLF in a subject or a name never adds a header to a reply', () => {
  it('the dry-run .eml holds only the bot\'s own headers', async () => {
    const mail = patchMail({ id: 'crlf', subject: '[PATCH] x =?utf-8?Q?=0D=0ABcc:_evil@example.com?=' }).replace('From: Dev <dev@example.org>', 'From: =?utf-8?Q?Dev=0D=0ABcc:_evil@example.com?= <dev@example.org>');
    const [series] = await seriesOf(mail);
    expect((series as Series).patches[0]?.message.subject.raw).toContain('\r\nBcc:');
    const dir = tmp('deptbot-crlf-');
    const mailer = new MailReporter({ settings: resolveMailSettings(undefined, {}, {}), db: openDb(join(dir, 's.sqlite')), outboxDir: join(dir, 'outbox'), log: silentLogger() });
    await mailer.report(review(series as Series));
    await mailer.close();
    const emls = tree(join(dir, 'outbox')).filter((f) => f.endsWith('.eml'));
    expect(emls).toHaveLength(1);
    const raw = readFileSync(join(dir, 'outbox', emls[0] as string));
    const names = headerNames(raw);
    for (const n of names) expect(OWN_HEADERS.has(n), n).toBe(true);
    expect(names).not.toContain('bcc');
  });
});

describe('References chains of 10,000 ids', () => {
  it('parse, assemble and reply with bounded References', async () => {
    const refs = Array.from({ length: 10_000 }, (_, i) => `<r${i}@x>`).join(' ');
    const mail = patchMail({ id: 'deep' }).replace('Date:', `References: ${refs}\nIn-Reply-To: <r9999@x>\nDate:`);
    const msg = await parseMessage({ source: 't', locator: '', data: Buffer.from(mail) });
    // The parser keeps the nearest ids (bounded memory); threading needs only those.
    expect(msg.references.length).toBeLessThanOrEqual(10_000);
    expect(msg.references.at(-1)).toBe('r9999@x');
    const [series] = await seriesOf(mail);
    const settings = resolveMailSettings(undefined, {}, {});
    const dir = tmp('deptbot-refs-');
    const mailer = new MailReporter({ settings, db: openDb(join(dir, 's.sqlite')), outboxDir: join(dir, 'outbox'), log: silentLogger() });
    await mailer.report(review(series as Series));
    await mailer.close();
    const eml = readFileSync(join(dir, 'outbox', tree(join(dir, 'outbox')).find((f) => f.endsWith('.eml')) as string), 'utf8');
    const refLine = /^References:([^]*?)\r\n(?=\S)/m.exec(eml)?.[1] ?? '';
    expect(refLine.match(/</g)?.length).toBe(settings.compose.maxReferences);
    expect(refLine).toContain('<r9999@x>');
  });
});

describe('a duplicate Message-ID with different content', () => {
  it('is kept apart and logged by the Mailbox', async () => {
    const warnings: string[] = [];
    const box = new Mailbox({ onWarning: (t) => warnings.push(t) });
    const a = await parseMessage({ source: 't', locator: '#1', data: Buffer.from(patchMail({ id: 'dup', lines: 1 })) });
    const b = await parseMessage({ source: 't', locator: '#2', data: Buffer.from(patchMail({ id: 'dup', lines: 2 })) });
    const out = [...box.add(a), ...box.add(b), ...box.flush()];
    expect(box.stats().idConflicts).toBe(1);
    expect(warnings.join('\n')).toMatch(/dup@example\.org/);
    expect(out.flatMap((s) => s.patches.map((p) => p.files[0]?.hunks[0]?.lines.length)).sort()).toEqual([1, 2]);
  });

  it('is kept apart and logged by the watcher', async () => {
    const dir = tmp('deptbot-dup-');
    const maildir = join(dir, 'mail');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    writeFileSync(join(maildir, 'new', '1.eml'), patchMail({ id: 'dup', lines: 1 }));
    writeFileSync(join(maildir, 'new', '2.eml'), patchMail({ id: 'dup', lines: 2 }));
    const lines: string[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) });
    await runWatch(settingsFor(dir, [{ type: 'maildir', path: maildir, create: false }], { once: true, quietMs: 0 }), {
      stages: defaultStages(),
      review: { rules: [] },
      log: pino({ level: 'info' }, sink),
      env: {},
      signal: new AbortController().signal,
    });
    expect(lines.join('')).toMatch(/Message-ID seen before with different content; kept apart/);
  });
});

describe('HTML-only mail', () => {
  it('is read as text, and a patch inside it still reviews', async () => {
    const html = '<html><body><p>Fix it.</p><pre>---\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n</pre><script>alert(1)</script></body></html>';
    const mail = `From: Dev <dev@example.org>\nSubject: [PATCH] html\nMessage-ID: <html@x>\nContent-Type: text/html; charset=utf-8\n\n${html}\n`;
    const msg = await parseMessage({ source: 't', locator: '', data: Buffer.from(mail) });
    expect(msg.body).toContain('Fix it.');
    expect(msg.body).not.toContain('<p>');
    const [series] = await seriesOf(mail);
    expect(series).toBeDefined();
  });
});

describe('Trojan Source characters through `deptbot review`', () => {
  it.each([
    ['RIGHT-TO-LEFT OVERRIDE', '\u202e'],
    ['LEFT-TO-RIGHT ISOLATE', '\u2066'],
    ['ZERO WIDTH SPACE', '\u200b'],
  ])('%s in an added line is reported by input/bidi-control', async (_name, ch) => {
    const cwd = tmp('deptbot-bidi-');
    writeFileSync(join(cwd, 'bidi.patch'), patchMail({ id: 'bidi', line: () => `if (access_level != "user${ch}") {` }));
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    await runReview(
      { inputs: ['bidi.patch'], format: 'json' },
      { cwd, stdout: out, stderr: new PassThrough(), env: {}, stages: defaultStages(), sources: defaultSources, rules: allRules },
    );
    await new Promise((r) => setImmediate(r));
    const findings = (JSON.parse(text).series[0].findings as Array<{ ruleId: string; line: number }>).filter((f) => f.ruleId === 'input/bidi-control');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]?.line).toBe(1);
  });
});

describe('Messages typed as the bot would see them', () => {
  it('a message is never answered with more than the bot\'s own headers, whatever its own headers are', async () => {
    const msg: Message = await parseMessage({ source: 't', locator: '', data: Buffer.from(patchMail({ id: 'h' }).replace('Date:', 'Bcc: x@y\nX-Evil: 1\nDate:')) });
    // Fields nothing reads are not even kept (bot/mail/header-names.ts), so no reply can echo them.
    expect(msg.headers.has('x-evil')).toBe(false);
    expect(msg.headers.has('bcc')).toBe(false);
    expect(msg.headers.get('date')).toBeDefined();
  });
});
