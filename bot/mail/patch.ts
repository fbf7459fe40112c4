// Message -> Patch: the commit message (up to "---"), its trailers, the author and the diff. A diff
// damaged in transit is flagged and yields no files, so rules never run on garbage.
import type { Address, Message, Patch } from '../model.ts';
import { diffSizeBounds } from './diff.ts';
import { withLazyFiles, type DiffSpan } from './lazy-files.ts';
import { locateDiff } from './mangled.ts';
import { addresses } from './addresses.ts';
import { parseTrailers } from './trailers.ts';

/** Pseudo-headers git puts at the top of the body when the author is not the sender. */
const IN_BODY_HEADER = /^(From|Date|Subject):[ \t]*(.*)$/;

export function toPatch(msg: Message): Patch {
  const lines = msg.body.split('\n');
  let pos = 0;
  while (pos < lines.length && (lines[pos] ?? '').trim() === '') pos++;
  let inBodyFrom: Address | undefined;
  if (IN_BODY_HEADER.test(lines[pos] ?? '')) {
    for (; pos < lines.length; pos++) {
      const m = IN_BODY_HEADER.exec(lines[pos] ?? '');
      if (!m) break;
      if (m[1] === 'From') inBodyFrom = addresses(m[2])[0];
    }
  }

  const flowed = /format\s*=\s*"?flowed/i.test(msg.headers.get('content-type') ?? '');
  const diff = locateDiff(lines, pos, flowed);
  const messageEnd = diff.start < 0 ? lines.length : diff.start;
  let separator = messageEnd;
  for (let i = pos; i < messageEnd; i++) {
    if (lines[i] === '---' || lines[i] === '--- ') {
      separator = i;
      break;
    }
  }
  const commitMessage = lines.slice(pos, separator).join('\n').trim();

  const fields: Omit<Patch, 'files'> = {
    index: msg.subject.counter,
    message: msg,
    author: inBodyFrom ?? senderOf(msg),
    commitMessage,
    trailers: parseTrailers(commitMessage),
  };
  // A damaged diff yields no files; an intact one is parsed from the body when first read.
  const intact = diff.start >= 0 && !diff.mangled;
  const patch: Patch = intact ? withLazyFiles(fields, spanOf(msg.body, lines, diff.start, diff.end), diffSizeBounds(lines, diff.start, diff.end)) : { ...fields, files: [] };
  if (diff.mangled) patch.mangled = diff.mangled;
  return patch;
}

/**
 * Character offsets of lines[start..end) joined by '\n' in `body`, which `lines` were split from.
 * Counted from the ends of the body: the lines before and after a diff are few, the diff's many.
 */
function spanOf(body: string, lines: readonly string[], start: number, end: number): DiffSpan {
  if (end <= start) return { start: 0, end: 0 };
  let head = 0;
  for (let i = 0; i < start; i++) head += (lines[i]?.length ?? 0) + 1;
  let tail = 0;
  for (let i = end; i < lines.length; i++) tail += (lines[i]?.length ?? 0) + 1;
  return { start: head, end: body.length - tail };
}

/** The real sender behind a relay (B4 Relay, list DMARC munging): X-Original-From, else From. */
export function senderOf(msg: Message): Address {
  const original = msg.headers.get('x-original-from');
  return (original ? addresses(original)[0] : undefined) ?? msg.from;
}
