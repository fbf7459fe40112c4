// config.limits end to end: the message size limit in parseMessage, the review command and the
// watcher; patches over the file/hunk/line limits skipped with a note; a pathological input makes
// a rule report "skipped: budget" while the review (and the watcher) goes on.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runReview } from '../../bot/commands/review-run.ts';
import { InputError } from '../../bot/errors.ts';
import { parseMessage } from '../../bot/mail/parse-message.ts';
import type { Review } from '../../bot/model.ts';
import { DEFAULT_LIMITS, limitedStages } from '../../bot/security/limits.ts';
import { silentLogger } from '../../bot/watch/log.ts';
import { runWatch } from '../../bot/watch/run.ts';
import { defaultSources, defaultStages } from '../../bot/wiring.ts';
import { parseConfig } from '../../config/load.ts';
import { defineRule } from '../../rules/engine/define-rule.ts';
import { CollectingReporter, settingsFor } from '../bot/watch/helpers.ts';
import { patchMail } from './patch-mail.ts';

const MB = 1024 * 1024;

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

const countRule = defineRule({
  meta: { id: 'test/count', severity: 'info', description: 'one finding per patch', messages: { m: 'patch seen' }, triggers: [], scope: 'patch' },
  check(ctx) {
    ctx.report({ messageId: 'm', patch: ctx.patch?.index ?? 0 });
  },
});

/** Quadratic in the added lines: a stand-in for a rule meeting its pathological input. */
const slowRule = defineRule({
  meta: { id: 'test/slow', severity: 'info', description: 'quadratic', messages: { m: 'never' }, triggers: [], scope: 'patch' },
  check(ctx) {
    const lines = ctx.patch?.files.flatMap((f) => f.hunks.flatMap((h) => h.lines)) ?? [];
    let n = 0;
    for (const a of lines) for (const b of lines) n += a.text.length ^ b.text.length;
    if (n < 0) ctx.report({ messageId: 'm', patch: ctx.patch?.index ?? 0 });
  },
});

async function reviewCommand(files: Record<string, string>, config: string, rules = [countRule]) {
  const cwd = mkdtempSync(join(tmpdir(), 'deptbot-limits-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(cwd, name), content);
  writeFileSync(join(cwd, 'deptbot.config.yaml'), config, { mode: 0o600 });
  const out = capture();
  const err = capture();
  const code = await runReview(
    { inputs: Object.keys(files), format: 'json' },
    { cwd, stdout: out.stream, stderr: err.stream, env: {}, stages: defaultStages({ maxMessageBytes: Number.MAX_SAFE_INTEGER }), sources: defaultSources, rules },
  );
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('limits config', () => {
  it('has defaults: 25 MB, 500 files, 5000 hunks, 100k lines, 2 s per rule', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxMessageBytes: 25 * MB, maxFilesPerPatch: 500, maxHunksPerPatch: 5000, maxLinesPerPatch: 100_000, ruleBudgetMs: 2000 });
  });

  it('rejects a bad value with a one-line error naming the key', () => {
    expect(() => parseConfig('limits:\n  maxMessageBytes: 0\n', 'c.yaml', [])).toThrow(/c\.yaml: limits\.maxMessageBytes/);
    expect(() => parseConfig('limits:\n  bogus: 1\n', 'c.yaml', [])).toThrow(/limits\.bogus: unknown key/);
  });
});

describe('message size limit', () => {
  it('parseMessage refuses a message over 25 MB by default, naming its size', async () => {
    const big = Buffer.alloc(25 * MB + 1, 'a');
    await expect(parseMessage({ source: 'big.eml', locator: '', data: big })).rejects.toThrow(new InputError('big.eml', `message is ${25 * MB + 1} bytes, over the limit of ${25 * MB}`));
    // A source that kept only part of a message still reports its whole size.
    await expect(parseMessage({ source: 'cut.mbox', locator: '#3', data: Buffer.alloc(0), originalSize: 30 * MB })).rejects.toThrow(/cut\.mbox#3: message is 31457280 bytes/);
  });

  it('the review command takes the limit from the config', async () => {
    const mail = patchMail({ id: 'size', lines: 100 });
    const small = await reviewCommand({ 'a.patch': mail }, 'limits:\n  maxMessageBytes: 1000\n');
    expect(small.stderr).toContain(`a.patch: message is ${Buffer.byteLength(mail)} bytes, over the limit of 1000`);
    expect(small.code).toBe(2);
    const ok = await reviewCommand({ 'a.patch': mail }, 'limits:\n  maxMessageBytes: 100000\n');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).series).toHaveLength(1);
  });

  it('the watcher takes the limit from its stages and quarantines the message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deptbot-limits-watch-'));
    const maildir = join(dir, 'mail');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    writeFileSync(join(maildir, 'new', '1.eml'), patchMail({ id: 'big', lines: 200 }));
    writeFileSync(join(maildir, 'new', '2.eml'), patchMail({ id: 'small', lines: 1 }));
    const collected = new CollectingReporter();
    const limits = { ...DEFAULT_LIMITS, maxMessageBytes: 1000 };
    const result = await runWatch(settingsFor(dir, [{ type: 'maildir', path: maildir, create: false }], { once: true, quietMs: 0 }), {
      stages: limitedStages(defaultStages(), limits),
      review: { rules: [countRule] },
      log: silentLogger(),
      env: {},
      signal: new AbortController().signal,
      reporters: () => [collected],
    });
    expect(result.messages).toBe(2);
    expect(collected.reviews.map((r) => r.series.patches[0]?.message.id)).toEqual(['small@example.org']);
  });
});

describe('patch size limits', () => {
  it.each([
    ['maxFilesPerPatch: 2', { files: 3, lines: 1 }, /3 files, over the limit of 2 \(limits\.maxFilesPerPatch\)/],
    ['maxHunksPerPatch: 2', { files: 3, lines: 1 }, /3 hunks, over the limit of 2 \(limits\.maxHunksPerPatch\)/],
    ['maxLinesPerPatch: 50', { files: 1, lines: 51 }, /51 diff lines, over the limit of 50 \(limits\.maxLinesPerPatch\)/],
  ])('%s: the patch is skipped with a note, not reviewed', async (limit, shape, note) => {
    const files = {
      '1.patch': patchMail({ id: 'p1', subject: '[PATCH 1/2] x', ...shape }),
      '2.patch': patchMail({ id: 'p2', subject: '[PATCH 2/2] x' }).replace('Date:', 'In-Reply-To: <p1@example.org>\nDate:'),
    };
    const res = await reviewCommand(files, `limits:\n  ${limit}\n`);
    const series = JSON.parse(res.stdout).series[0] as { notes: string[]; findings: Array<{ patch: number }> };
    expect(series.notes.join('\n')).toMatch(note);
    expect(series.notes.join('\n')).toMatch(/patch 1\/2 skipped, not reviewed/);
    // Only patch 2 was looked at by the rules.
    expect(series.findings.map((f) => f.patch)).toEqual([2]);
  });
});

describe('per-rule time budget', () => {
  const pathological = patchMail({ id: 'slow', lines: 10_000, line: (i) => `v${i} = f(v${i - 1});` });

  it('a pathological input makes the rule report "skipped: budget"; the others still report', async () => {
    const stages = limitedStages(defaultStages(), { ...DEFAULT_LIMITS, ruleBudgetMs: 20 });
    const msg = await stages.parseMessage({ source: 'slow.patch', locator: '', data: Buffer.from(pathological) });
    const series = stages.createAssembler();
    const [s] = [...series.add(msg), ...series.flush()];
    const review = (await stages.reviewSeries(s as NonNullable<typeof s>, { rules: [slowRule, countRule] })) as Review;
    expect(review.ruleErrors).toEqual([expect.objectContaining({ ruleId: 'test/slow', kind: 'budget', message: expect.stringMatching(/^skipped: budget \(\d+ ms > 20 ms\)$/) })]);
    expect(review.findings.map((f) => f.ruleId)).toEqual(['test/count']);
  });

  it('the review command takes the budget from the config', async () => {
    const res = await reviewCommand({ 'slow.patch': pathological }, 'limits:\n  ruleBudgetMs: 20\n', [slowRule, countRule]);
    expect(res.stdout).toMatch(/skipped: budget \(\d+ ms > 20 ms\)/);
  });

  it('the watcher reviews the series after a pathological one, which gets its budget note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deptbot-budget-watch-'));
    const maildir = join(dir, 'mail');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    writeFileSync(join(maildir, 'new', '1.eml'), pathological);
    writeFileSync(join(maildir, 'new', '2.eml'), patchMail({ id: 'next' }));
    const collected = new CollectingReporter();
    await runWatch(settingsFor(dir, [{ type: 'maildir', path: maildir, create: false }], { once: true, quietMs: 0 }), {
      stages: limitedStages(defaultStages(), { ...DEFAULT_LIMITS, ruleBudgetMs: 20 }),
      review: { rules: [slowRule, countRule] },
      log: silentLogger(),
      env: {},
      signal: new AbortController().signal,
      reporters: () => [collected],
    });
    const byId = new Map(collected.reviews.map((r) => [r.series.patches[0]?.message.id, r]));
    expect([...byId.keys()].sort()).toEqual(['next@example.org', 'slow@example.org']);
    expect(byId.get('slow@example.org')?.ruleErrors.map((e) => e.kind)).toEqual(['budget']);
    expect(byId.get('next@example.org')?.ruleErrors).toEqual([]);
  });
});
