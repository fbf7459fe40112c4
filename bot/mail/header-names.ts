// The header fields a parsed message keeps (Message.headers). Kernel mail carries tens of fields
// per message (trace, DKIM, ARC, spam scores) that nothing here reads; building their values cost
// about 5% of a whole-archive review. A new reader of a field adds it here; a test checks that
// every field the sources read by name is listed.

/** What mailparser is handed to decode a body and a subject (parse-message.ts, mime-text.ts). */
export const MAILPARSER_FIELDS = ['content-type', 'content-transfer-encoding', 'content-disposition', 'mime-version', 'subject'] as const;

/** Threading, sender and list fields of a message (parse-message.ts, lazy-addresses.ts). */
const MESSAGE_FIELDS = ['message-id', 'in-reply-to', 'references', 'from', 'to', 'cc', 'reply-to', 'date'] as const;

/**
 * Fields replies and their safety checks read (bot/mail-out, slim-review.ts), the sender a list
 * rewrote (patch.ts), b4's change-id (trailers.ts), and the bot's own marker (mail-out/headers.ts
 * BOT_HEADER).
 */
const REPLY_FIELDS = ['list-id', 'x-original-from', 'auto-submitted', 'x-mailer', 'x-change-id', 'x-deptbot-version'] as const;

/** Lower-cased names of the fields Message.headers holds. */
export const KEPT_HEADERS: ReadonlySet<string> = new Set<string>([...MAILPARSER_FIELDS, ...MESSAGE_FIELDS, ...REPLY_FIELDS]);
