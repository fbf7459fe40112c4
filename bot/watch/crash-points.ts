// Fault injection for crash tests: DEPTBOT_TEST_CRASH_AT=<point>[:<n>] makes the process kill
// itself with SIGKILL the n-th time (default 1st) it passes that point, so a test can stop the bot
// at an exact place between a side effect and its commit. The mail points sit between recording a
// mail and sending it, and between the server's acceptance and marking it sent. Unset in normal
// use: a no-op.
const spec = process.env.DEPTBOT_TEST_CRASH_AT;
const [point, nth] = (spec ?? '').split(':');
let remaining = Number(nth ?? '1') || 1;

export type CrashPoint =
  | 'after-record'
  | 'before-report'
  | 'after-report'
  | 'after-review-record'
  | 'mail-recorded'
  | 'mail-accepted';

export function crashPoint(name: CrashPoint): void {
  if (!spec || name !== point) return;
  remaining--;
  if (remaining === 0) process.kill(process.pid, 'SIGKILL');
}
