import type { Review } from '../model.ts';

/** A transport for reviews: stdout, a file, the outbox, SMTP, GitHub. Formatters stay pure. */
export interface Reporter {
  report(review: Review): Promise<void>;
  /** Called once after the last review (flush a JSON array, close a connection). */
  close?(): Promise<void>;
}
