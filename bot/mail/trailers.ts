// Commit trailers (Signed-off-by, Reviewed-by, Fixes, Link, ...) and the series tags b4 writes
// (base-commit:, change-id:), read line by line with anchored, bounded patterns.
import type { Message, Trailer } from '../model.ts';

const TRAILER = /^([A-Za-z][A-Za-z0-9-]{0,60}):[ \t]*(\S.*)$/;
const KNOWN = new Set(['fixes', 'link', 'closes', 'cc', 'bug', 'buglink', 'message-id', 'change-id']);

/** Trailer lines of a commit message: any "X-by:" and the well-known others. */
export function parseTrailers(commitMessage: string): Trailer[] {
  const out: Trailer[] = [];
  for (const line of commitMessage.split('\n')) {
    if (line.length > 2000 || line.indexOf(':') < 0) continue;
    const m = TRAILER.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    const lower = m[1].toLowerCase();
    if (lower.endsWith('-by') || KNOWN.has(lower)) out.push({ name: m[1], value: m[2].trim() });
  }
  return out;
}

export interface SeriesTags {
  baseCommit?: string;
  changeId?: string;
}

const BASE_COMMIT = /^base-commit:[ \t]*([0-9a-f]{7,64})[ \t]*$/;
const CHANGE_ID = /^change-id:[ \t]*(\S{1,200})[ \t]*$/;

/** base-commit: and change-id: lines anywhere in the body, and b4's X-Change-ID header. */
export function seriesTags(msg: Message): SeriesTags {
  const tags: SeriesTags = {};
  const header = msg.headers.get('x-change-id')?.trim();
  if (header) tags.changeId = header.slice(0, 200);
  const body = msg.body;
  for (const [needle, re, key] of [
    ['base-commit:', BASE_COMMIT, 'baseCommit'],
    ['change-id:', CHANGE_ID, 'changeId'],
  ] as const) {
    if (tags[key]) continue;
    let at = body.indexOf(needle);
    while (at >= 0) {
      if (at === 0 || body[at - 1] === '\n') {
        const end = body.indexOf('\n', at);
        const m = re.exec(body.slice(at, end < 0 ? undefined : end));
        if (m?.[1]) {
          tags[key] = m[1];
          break;
        }
      }
      at = body.indexOf(needle, at + needle.length);
    }
  }
  return tags;
}
