// SMTP delivery through nodemailer: smtps:// (TLS from the start) or smtp:// with STARTTLS as the
// config requires; auth from the environment. The message goes as the exact bytes in the outbox
// (nodemailer's raw mode), with an explicit envelope, so headers reach the server untouched.
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { SmtpSettings } from './settings.ts';

export interface MailSender {
  send(raw: Buffer, envelope: { from: string; to: string[] }): Promise<void>;
  close(): void;
}

/** Error text without any secret in it (servers and libraries sometimes echo what they were sent). */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}

export function smtpSender(s: SmtpSettings): MailSender {
  const transport: Transporter = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.implicitTls,
    requireTLS: !s.implicitTls && s.starttls === 'required',
    ignoreTLS: !s.implicitTls && s.starttls === 'off',
    ...(s.auth ? { auth: { user: s.auth.user, pass: s.auth.pass } } : {}),
    connectionTimeout: s.timeoutMs,
    greetingTimeout: s.timeoutMs,
    socketTimeout: s.timeoutMs,
    logger: false,
    debug: false,
  });
  return {
    async send(raw, envelope) {
      try {
        await transport.sendMail({ envelope, raw });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(redact(message.split('\n')[0] ?? 'SMTP error', [s.auth?.pass, s.auth?.user]));
      }
    },
    close: () => transport.close(),
  };
}
