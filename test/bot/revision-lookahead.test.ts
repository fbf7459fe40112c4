import { describe, expect, it } from 'vitest';
import type { Series } from '../../bot/model.ts';
import { RevisionLookahead, seriesBytes } from '../../bot/revision-lookahead.ts';
import { series } from '../helpers/review-fixtures.ts';

// Each fixture patch body is 'body' (4 bytes); a series of n patches holds 4n bytes.
const s = (title: string, revision: number, patches = 1): Series => series({ title, revision, expected: patches });
const names = (list: Series[]): string[] => list.map((x) => `${x.title} v${x.revision}`);
const byTitle = (x: Series): string => x.title;

describe('RevisionLookahead', () => {
  it('counts the bodies of the cover, the patches and the replies', () => {
    const x = series({ title: 'a', expected: 3, cover: true });
    x.followUps.push({ ...(x.patches[0] as Series['patches'][number]).message, body: 'a reply' });
    expect(seriesBytes(x)).toBe(0 + 3 * 4 + 7);
  });

  it('lets series out in arrival order while the waiting bytes reach the budget', () => {
    const la = new RevisionLookahead(9, byTitle);
    expect(names(la.push(s('a', 1)))).toEqual([]);
    expect(names(la.push(s('b', 1)))).toEqual([]);
    expect(names(la.push(s('c', 2, 2)))).toEqual(['a v1', 'b v1']);
    expect(names(la.flush())).toEqual(['c v2']);
    expect(la.flush()).toEqual([]);
  });

  it('drops a waiting revision when a newer one or a resend of it arrives, and frees its bytes', () => {
    const la = new RevisionLookahead(9, byTitle);
    la.push(s('a', 1));
    la.push(s('b', 1));
    expect(names(la.push(s('a', 2)))).toEqual([]);
    const resend = s('b', 1);
    la.push(resend);
    expect(la.superseded).toBe(2);
    const out = la.flush();
    expect(names(out)).toEqual(['a v2', 'b v1']);
    expect(out[1]).toBe(resend);
  });

  it('drops an older revision that arrives while a newer one waits', () => {
    const la = new RevisionLookahead(100, byTitle);
    la.push(s('a', 7));
    expect(la.push(s('a', 5))).toEqual([]);
    expect(la.superseded).toBe(1);
    expect(names(la.flush())).toEqual(['a v7']);
  });

  it('cannot spare a revision whose successor arrives after it has left', () => {
    const la = new RevisionLookahead(5, byTitle);
    la.push(s('a', 1));
    expect(names(la.push(s('b', 1)))).toEqual(['a v1']);
    expect(names(la.push(s('a', 2)))).toEqual(['b v1']);
    expect(la.superseded).toBe(0);
  });

  it('with a budget of 0 lets every series straight through', () => {
    const la = new RevisionLookahead(0, byTitle);
    expect(names(la.push(s('a', 1)))).toEqual(['a v1']);
    expect(names(la.push(s('a', 2)))).toEqual(['a v2']);
    expect(la.superseded).toBe(0);
  });
});
