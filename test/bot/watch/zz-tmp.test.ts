import { test } from 'vitest';
import { startDovecot } from '/work/main/test/helpers/dovecot.ts';
import { ImapFlow } from 'imapflow';
test('dv', async () => {
  const d = await startDovecot();
  const c = new ImapFlow({ host: d.host, port: d.port, secure: false, auth: { user: d.user, pass: d.password }, logger: false });
  await c.connect();
  const mb = await c.mailboxOpen('INBOX');
  console.log(mb.uidValidity, [...(mb.permanentFlags ?? [])]);
  await c.logout();
  await d.stop(); await d.start(); await d.destroy();
});
