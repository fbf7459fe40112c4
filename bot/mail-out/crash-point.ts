// Fault injection for the mail crash tests, on the watcher's variable: DEPTBOT_TEST_CRASH_AT=
// <point>[:<n>] kills the process with SIGKILL the n-th time it passes the point. The mail points
// sit between recording a mail and sending it, and between the server's acceptance and marking
// it sent. Unset in normal use: a no-op.
const [point, nth] = (process.env.DEPTBOT_TEST_CRASH_AT ?? '').split(':');
let remaining = Number(nth ?? '1') || 1;

export type MailCrashPoint = 'mail-recorded' | 'mail-accepted';

export function mailCrashPoint(name: MailCrashPoint): void {
  if (name !== point) return;
  if (--remaining === 0) process.kill(process.pid, 'SIGKILL');
}
