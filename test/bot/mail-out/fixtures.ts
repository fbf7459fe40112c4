// Small reviews for the mail tests, built on the shared review fixtures.
import type { Message, Review } from '../../../bot/model.ts';
import { resolveMailSettings } from '../../../bot/mail-out/settings.ts';
import type { ComposeOptions } from '../../../bot/mail-out/compose.ts';
import type { MailConfig } from '../../../config/mail.ts';
import { mailSection } from '../../../config/mail.ts';
import { file, finding, review, series } from '../../helpers/review-fixtures.ts';

export const NOW = new Date('2026-03-02T10:00:00Z');

export function mailConfig(over: Record<string, unknown> = {}): MailConfig {
  return mailSection.parse({ from: 'deptbot <bot@deptbot.example>', ...over });
}

export function composeOptions(over: Record<string, unknown> = {}): ComposeOptions {
  return { ...resolveMailSettings(mailConfig(over), {}, {}).compose, version: '9.9.9', now: NOW };
}

/** A 2-patch series with a cover; patch 1 adds lines 10..15 of drivers/demo/a.c. */
export function demoReview(findingLines: number[] = [13], extra: Partial<Message> = {}): Review {
  const s = series({
    title: 'demo: fix things',
    key: 'demo-fix',
    expected: 2,
    cover: true,
    files: { 1: [file('drivers/demo/a.c', ['int a;', 'int b;', 'int c;', 'lock();', 'wait();', 'unlock();'])] },
  });
  for (const p of s.patches) {
    Object.assign(p.message, {
      to: [{ name: 'Maintainer', address: 'maint@kernel.org' }],
      cc: [
        { name: '', address: 'dri-devel@lists.freedesktop.org' },
        { name: 'Someone Else', address: 'someone@example.com' },
      ],
      references: [`${s.key}-0@test`],
      inReplyTo: `${s.key}-0@test`,
      ...extra,
    });
  }
  return review(
    s,
    findingLines.map((line) => finding({ ruleId: 'demo/rule', patch: 1, file: 'drivers/demo/a.c', line, severity: 'warning', message: `waits at line ${line} while a lock is held, which can deadlock when the waker needs the same lock` })),
  );
}
