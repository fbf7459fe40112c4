// A composed reply: everything needed to render it, check it against the safety policy, and key it
// in the outbox. Composing is pure; nothing here has been sent.
import type { Address, Message } from '../model.ts';

export interface OutgoingMail {
  /** Deterministic, without angle brackets: the same review composes the same id. */
  messageId: string;
  kind: 'patch' | 'cover';
  /** Patch counter replied to; 0 for the cover letter. */
  patch: number;
  /** The message replied to (safety checks read its headers). */
  parent: Message;
  seriesKey: string;
  /** Root Message-ID of the thread (rate limits count per thread). */
  thread: string;
  from: Address;
  to: Address[];
  cc: Address[];
  subject: string;
  inReplyTo: string;
  references: string[];
  date: Date;
  /** Plain text body, LF line ends. */
  text: string;
  findings: number;
}
