// Message-IDs as they appear in Message-ID, In-Reply-To and References: angle brackets stripped,
// comments and junk around them ignored, a References chain capped (hostile chains run to 10,000s).
import { createHash } from 'node:crypto';

/** References kept per message: the last ones, nearest the message, matter for threading. */
const MAX_REFERENCES = 1000;
const MAX_ID_LENGTH = 998;

/** Every id in a header value, in order. Ids are "<...>"; a value without brackets is split on whitespace. */
export function messageIds(value: string | undefined, keepLast = MAX_REFERENCES): string[] {
  if (!value) return [];
  const ids: string[] = [];
  if (value.includes('<')) {
    let pos = 0;
    for (;;) {
      const open = value.indexOf('<', pos);
      if (open < 0) break;
      const close = value.indexOf('>', open + 1);
      if (close < 0) break;
      const id = normaliseId(value.slice(open + 1, close));
      if (id) ids.push(id);
      pos = close + 1;
    }
  } else {
    for (const token of value.split(/\s+/)) {
      const id = token.includes('@') ? normaliseId(token) : '';
      if (id) ids.push(id);
    }
  }
  return ids.length > keepLast ? ids.slice(ids.length - keepLast) : ids;
}

/** The first id of a header value (Message-ID, In-Reply-To), or undefined. */
export function firstMessageId(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const open = value.indexOf('<');
  if (open >= 0) {
    const close = value.indexOf('>', open + 1);
    const id = normaliseId(close < 0 ? value.slice(open + 1) : value.slice(open + 1, close));
    return id || undefined;
  }
  const token = value.trim().split(/\s+/)[0] ?? '';
  return normaliseId(token) || undefined;
}

/** A stable id for a message that has none, derived from its bytes. */
export function synthesizeId(data: Buffer): string {
  return `${createHash('sha256').update(data).digest('hex').slice(0, 32)}@deptbot.invalid`;
}

/**
 * The id as a fresh string: a slice of the header text would keep the whole message alive in V8
 * for as long as the assembler remembers the id (long after the message is gone).
 */
function normaliseId(raw: string): string {
  const id = raw.replace(/[\s<>]/g, '');
  return Buffer.from(id.length > MAX_ID_LENGTH ? id.slice(0, MAX_ID_LENGTH) : id, 'utf8').toString('utf8');
}
