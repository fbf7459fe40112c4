import { describe, expect, it } from 'vitest';
import { limitedGithubStages } from '../../../bot/github/limited-stages.ts';
import type { GithubStages } from '../../../bot/github/stages.ts';
import type { Series } from '../../../bot/model.ts';
import { DEFAULT_LIMITS } from '../../../bot/security/limits.ts';
import { file, message, review, series, subject } from '../../helpers/review-fixtures.ts';

function fakeStages(seen: Series[]): GithubStages {
  return {
    parseMessage: async () => message('m@test', subject('[PATCH] x')),
    toPatch: () => {
      throw new Error('not used');
    },
    reviewSeries: async (s) => {
      seen.push(s);
      return review(s);
    },
  };
}

describe('limitedGithubStages', () => {
  const limits = { ...DEFAULT_LIMITS, maxMessageBytes: 10, maxFilesPerPatch: 1 };

  it('refuses a commit patch over the message size limit before parsing it', async () => {
    const stages = limitedGithubStages(fakeStages([]), limits);
    await expect(stages.parseMessage({ source: 'github:o/r#1', locator: '@abc', data: Buffer.alloc(11) })).rejects.toThrow(
      'github:o/r#1@abc: message is 11 bytes, over the limit of 10 (limits.maxMessageBytes)',
    );
  });

  it('leaves a patch over the file limit out of the review, with a note', async () => {
    const seen: Series[] = [];
    const s = series({ title: 'big', expected: 2, files: { 2: [file('a.c'), file('b.c')] } });
    const result = await limitedGithubStages(fakeStages(seen), limits).reviewSeries(s);
    expect(seen[0]?.patches.map((p) => p.index)).toEqual([1]);
    expect(result.series.patches).toHaveLength(2);
    expect(result.notes).toEqual(['patch 2/2 skipped, not reviewed: 2 files, over the limit of 1 (limits.maxFilesPerPatch)']);
  });
});
