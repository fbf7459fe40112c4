// A Reporter that keeps the reviews for a document format (JSON, SARIF, text with its summary),
// which is formatted once the run's counts are final.
import type { Review } from '../model.ts';
import type { Reporter } from './types.ts';

export class CollectingReporter implements Reporter {
  readonly reviews: Review[] = [];

  async report(review: Review): Promise<void> {
    this.reviews.push(review);
  }
}
