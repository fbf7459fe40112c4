// A deterministic name for one review: the same series part reviewed again after a crash gets the
// same name, so writing it again replaces the first copy instead of adding a second.
import { createHash } from 'node:crypto';
import type { Review } from '../model.ts';

/** Lower-case ASCII words of a title, joined by '-', at most `max` characters; never a path. */
export function slug(text: string, max = 48): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return s || 'series';
}

/** "<title-slug>-v<rev>-<hash of series key and covered Message-IDs>". Safe as a file name. */
export function reviewId(review: Review): string {
  const s = review.series;
  const h = createHash('sha256').update(s.key);
  if (s.cover) h.update(`\0c${s.cover.id}`);
  for (const p of s.patches) h.update(`\0${p.index}:${p.message.id}`);
  return `${slug(s.title)}-v${s.revision}-${h.digest('hex').slice(0, 16)}`;
}
