// Chaos for `deptbot watch --send`: series are appended to a real Dovecot while the IMAP sessions
// are cut, Dovecot restarts, the bot is killed with SIGKILL and restarted (some restarted bots kill
// themselves right after the server accepted a mail, before marking it sent), and the SMTP server
// refuses a share of the mails with 4xx. The SMTP server delivers what it accepts back into the
// watched folder, as the list would, so a mail a kill left uncertain is settled by its echo.
// Afterwards every series has been reviewed once and every reply accepted exactly once (counted
// by Message-ID at the SMTP server).
// Seeded (CHAOS_SEED) and bounded: CHAOS_SERIES series (20 here; `npm run chaos` runs 200).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../bot/store/db.ts';
import { Outbox } from '../../bot/store/outbox.ts';
import { repoRoot } from '../helpers/corpus.ts';
import { dovecotAvailable, startDovecot, waitFor } from '../helpers/dovecot.ts';
import type { Dovecot } from '../helpers/dovecot.ts';
import { appendMessages, makeSeries } from '../helpers/imap.ts';
import { statusOf } from '../bot/watch/helpers.ts';
import { cutImapSessions, listEcho, seededRandom, startFlakySmtp, type FlakySmtp, type ListEcho } from './chaos-helpers.ts';

const SERIES = Number(process.env.CHAOS_SERIES ?? 20);
const SEED = Number(process.env.CHAOS_SEED ?? 8);
const FAIL_SHARE = 0.3;
/** How long a mail a kill left uncertain waits for its echo; the echo takes seconds at most here. */
const UNCERTAIN_GRACE_S = 20;

let dovecot: Dovecot;
let smtp: FlakySmtp;
let echo: ListEcho;
let work: string;

beforeAll(async () => {
  if (!dovecotAvailable()) return;
  dovecot = await startDovecot();
  echo = listEcho((raw) => appendMessages(dovecot, [raw]));
  smtp = await startFlakySmtp(FAIL_SHARE, seededRandom(SEED * 7919), (raw) => echo.deliver(raw));
  work = mkdtempSync(join(tmpdir(), 'deptbot-chaos-'));
  writeFileSync(
    join(work, 'deptbot.config.yaml'),
    [
      'watch:',
      '  reconnectMin: 100ms',
      '  reconnectMax: 1s',
      'mail:',
      "  from: 'deptbot <deptbot@bot.example>'",
      '  smtp:',
      '    starttls: off',
      '    timeout: 5s',
      '  allow:',
      '    domains: [test.example]',
      '  limits: { perThread: 1000, perListPerHour: 100000, perHour: 100000 }',
      '  retry: { initial: 100ms, max: 500ms, attempts: 1000 }',
      `  uncertainGrace: ${UNCERTAIN_GRACE_S}s`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
});
afterAll(async () => {
  await echo?.drain();
  await dovecot?.destroy();
  await smtp?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Bot {
  child: ChildProcess;
  exited: Promise<void>;
}

/** `crashAt` (a DEPTBOT_TEST_CRASH_AT value) makes the bot kill itself there: 'mail-accepted' hits the window a random kill seldom does. */
function startBot(crashAt?: string): Bot {
  const log = openSync(join(work, 'bot.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      'bin/deptbot.js', 'watch', '--imap', dovecot.url(), '--state', join(work, 'state.sqlite'), '--outbox', join(work, 'outbox'),
      '--config', join(work, 'deptbot.config.yaml'), '--send', '--smtp', smtp.url, '--quiet-period', '1h', '--log-level', 'info',
    ],
    { cwd: repoRoot, env: { ...process.env, DEPTBOT_IMAP_PASSWORD: dovecot.password, ...(crashAt ? { DEPTBOT_TEST_CRASH_AT: crashAt } : {}) }, stdio: ['ignore', log, log] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

const alive = (b: Bot): boolean => b.child.exitCode === null && b.child.signalCode === null;

/** One series whose first patch adds a right-to-left override: one finding, one reply. */
function chaosSeries(i: number): Buffer[] {
  const s = makeSeries({ title: `chaos ${i}`, n: 1 + (i % 3), tag: `chaos${SEED}-${i}` });
  const first = (s.patches[0] as Buffer).toString('utf8').replace('+\tint x = 0;', '+\tint x = 0; /* \u202e */');
  return [...(s.cover ? [s.cover] : []), Buffer.from(first, 'utf8'), ...s.patches.slice(1)];
}

function reviewed(): number {
  try {
    return statusOf(join(work, 'state.sqlite')).reviews.count;
  } catch {
    return 0;
  }
}

function outboxStates(): Partial<Record<string, number>> {
  const db = openDb(join(work, 'state.sqlite'));
  try {
    return new Outbox(db).counts();
  } finally {
    db.close();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Lines of the bots' log with this message. */
function logged(msg: string): number {
  return readFileSync(join(work, 'bot.log'), 'utf8').split('\n').filter((l) => l.includes(`"msg":"${msg}`)).length;
}

/** The run's counts, for the duplicate check below. */
let result: { duplicated: number; duplicatedIds: string[] } | undefined;

describe.skipIf(!dovecotAvailable())('watch under chaos', () => {
  it(`${SERIES} series, IMAP cuts, Dovecot restarts, kill -9 and SMTP 4xx: none lost, none duplicated`, async () => {
    const random = seededRandom(SEED);
    const counts = { imapCuts: 0, imapSessionsKilled: 0, dovecotRestarts: 0, botKills: 0, armedRestarts: 0, killsAfterAccept: 0, appended: 0 };
    let bot = startBot();
    /** Restarts a bot that killed itself at its crash point (after the server accepted a mail). */
    const revive = (): void => {
      if (alive(bot)) return;
      counts.killsAfterAccept++;
      bot = startBot();
    };
    try {
      let next = 0;
      while (next < SERIES) {
        revive();
        const batch = Math.min(SERIES - next, 1 + Math.floor(random() * 3));
        for (let b = 0; b < batch; b++) counts.appended += (await appendMessages(dovecot, chaosSeries(next++))).length;
        const roll = random();
        if (roll < 0.25) {
          counts.imapSessionsKilled += cutImapSessions(dovecot);
          counts.imapCuts++;
        } else if (roll < 0.4) {
          await dovecot.stop();
          await sleep(100 + random() * 400);
          await dovecot.start();
          counts.dovecotRestarts++;
        } else if (roll < 0.6) {
          await sleep(random() * 1500);
          if (alive(bot)) {
            bot.child.kill('SIGKILL');
            counts.botKills++;
          } else counts.killsAfterAccept++;
          await bot.exited;
          // Every other restarted bot kills itself right after its first accepted mail.
          const armed = random() < 0.5;
          if (armed) counts.armedRestarts++;
          bot = startBot(armed ? 'mail-accepted' : undefined);
        }
        await sleep(100 + random() * 500);
      }
      await waitFor(`${SERIES} series reviewed`, () => (revive(), reviewed() >= SERIES), SERIES * 3000 + 60_000, 250);
      await waitFor('every reply accepted', () => {
        revive();
        const st = outboxStates();
        return (st.queued ?? 0) + (st.sending ?? 0) + (st.uncertain ?? 0) === 0;
      }, 60_000 + UNCERTAIN_GRACE_S * 1000, 250);
      await echo.drain();
      if (alive(bot)) bot.child.kill('SIGTERM');
      await bot.exited;

      const st = outboxStates();
      const status = statusOf(join(work, 'state.sqlite'));
      const ids = [...smtp.accepted.keys()];
      const duplicated = [...smtp.accepted.values()].reduce((n, c) => n + c - 1, 0);
      const duplicatedIds = [...smtp.accepted].filter(([, c]) => c > 1).map(([id]) => id);
      result = { duplicated, duplicatedIds };
      const mails = {
        mailsAccepted: ids.length,
        mailsDuplicated: duplicated,
        mailsLost: Math.max(0, SERIES - ids.length),
        echoesDelivered: echo.delivered,
        echoRetries: echo.retries,
        uncertainAfterKill: logged('reply interrupted mid-send by a crash'),
        settledByEcho: logged('reply seen on the list: marked sent'),
        resentAfterGrace: logged('no echo from the list within mail.uncertainGrace'),
      };
      const report = { seed: SEED, series: SERIES, ...counts, botRestarts: counts.botKills + counts.killsAfterAccept, smtpRefused: smtp.refused, reviews: status.reviews.count, outbox: st, ...mails, duplicatedIds };
      writeFileSync(join(tmpdir(), 'deptbot-chaos.json'), `${JSON.stringify(report, null, 2)}\n`);
      console.log(`[chaos] ${JSON.stringify(report)}`);

      // Every series reviewed exactly once: 0 reviews lost.
      expect(status.reviews.count).toBe(SERIES);
      // Every reply the bot composed was accepted: 0 mails lost.
      expect(st).toEqual({ sent: SERIES });
      expect(ids).toHaveLength(SERIES);
    } finally {
      if (alive(bot)) bot.child.kill('SIGKILL');
      await bot.exited;
    }
  }, 600_000);

  // A SIGKILL after the SMTP server accepted a mail and before it was marked sent leaves it
  // 'sending'; the restarted bot marks it uncertain and waits for the list's echo instead of
  // sending it again (`npm run chaos` saw 1 duplicate in 21 kills before that).
  it('0 mails duplicated (counted by Message-ID at the SMTP server)', () => {
    expect(result).toBeDefined();
    expect(result?.duplicatedIds).toEqual([]);
    expect(result?.duplicated).toBe(0);
  });
});
