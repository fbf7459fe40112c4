// config.limits for the GitHub review, as `review` and `watch` apply them: an oversized commit
// patch is refused before parsing, an oversized patch is left out with a note, and every rule gets
// the configured time budget.
import type { LimitsConfig } from '../../config/limits.ts';
import { checkMessageSize, reviewWithinLimits } from '../security/limits.ts';
import type { GithubStages } from './stages.ts';

export function limitedGithubStages(stages: GithubStages, limits: LimitsConfig): GithubStages {
  return {
    ...stages,
    parseMessage: async (raw) => {
      checkMessageSize(raw, limits);
      return stages.parseMessage(raw);
    },
    reviewSeries: (series) => reviewWithinLimits(series, {}, limits, (s) => stages.reviewSeries(s)),
  };
}
