// The real mail layer and rule engine behind the GitHub review (the command loads this lazily).
import { parseMessage } from '../mail/parse-message.ts';
import { toPatch } from '../mail/patch.ts';
import { reviewSeries } from '../../rules/engine/review.ts';
import type { Rule, SeverityOrOff } from '../../rules/engine/types.ts';
import type { GithubStages } from './stages.ts';

export function defaultGithubStages(review: {
  rules: readonly Rule[];
  severities: Record<string, SeverityOrOff>;
  budgetMs?: number;
}): GithubStages {
  return {
    parseMessage: (raw) => parseMessage(raw),
    toPatch,
    reviewSeries: (series) => reviewSeries(series, review),
  };
}
