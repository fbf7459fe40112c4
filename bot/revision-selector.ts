// Which revisions of a series get reported: the latest per lineage (default), one given revision,
// or all. Reviews are held per lineage until the end of the run, so only slim copies are kept.
import type { InputProblem, Review, Series } from './model.ts';
import { slimReview } from './slim-review.ts';

export type RevisionChoice = { mode: 'latest' } | { mode: 'all' } | { mode: 'only'; revision: number };

export class RevisionSelector {
  /** Lineage -> held reviews, in the order lineages were first seen. */
  private readonly held = new Map<string, Review[]>();
  private readonly seenRevisions = new Set<number>();
  /** Lineage -> when it was first seen, for runs where reviews are not kept in arrival order. */
  private readonly arrival = new Map<string, number>();
  /** Series not reported because another revision was chosen. */
  notChosen = 0;

  constructor(
    private readonly choice: RevisionChoice,
    private readonly lineageKey: (series: Series) => string,
  ) {}

  /**
   * Notes a lineage's place before its series waits for review (revision-lookahead.ts): a lineage
   * whose first revision is never reviewed is still reported where it was first seen.
   */
  arrived(series: Series): void {
    const key = this.lineageKey(series);
    if (!this.arrival.has(key)) this.arrival.set(key, this.arrival.size);
  }

  /** Whether a series is worth reviewing now; counts those that are not. */
  wants(series: Series): boolean {
    this.seenRevisions.add(series.revision);
    if (this.mayWant(series)) return true;
    this.notChosen++;
    return false;
  }

  /**
   * Whether wants() could still say yes for this series, without counting anything: a series
   * this rejects is rejected by every later wants() too (held revisions only grow).
   */
  mayWant(series: Series): boolean {
    if (this.choice.mode === 'only') return series.revision === this.choice.revision;
    if (this.choice.mode === 'latest') {
      const newest = this.held.get(this.lineageKey(series))?.[0];
      return !(newest && newest.series.revision > series.revision);
    }
    return true;
  }

  /** Holds a review; in 'latest' mode it replaces an older (or equal, resent) revision. */
  keep(series: Series, review: Review): void {
    const key = this.lineageKey(series);
    const slim = slimReview(review);
    const list = this.held.get(key);
    if (!list) {
      this.held.set(key, [slim]);
    } else if (this.choice.mode === 'latest') {
      this.notChosen += list.length;
      list.splice(0, list.length, slim);
    } else {
      list.push(slim);
    }
  }

  /** The chosen reviews: lineages in first-seen order, revisions ascending within one. */
  chosen(): Review[] {
    const place = (key: string): number => this.arrival.get(key) ?? Number.MAX_SAFE_INTEGER;
    // A stable sort: without arrived() calls, lineages stay in the order they were first kept.
    const lineages = [...this.held].sort((a, b) => place(a[0]) - place(b[0]));
    return lineages.flatMap(([, list]) => [...list].sort((a, b) => a.series.revision - b.series.revision));
  }

  /** With --revision N and no series of that revision, a problem that says which exist. */
  missingRevisionProblem(): InputProblem | undefined {
    if (this.choice.mode !== 'only' || this.held.size > 0 || this.seenRevisions.size === 0) return undefined;
    const found = [...this.seenRevisions].sort((a, b) => a - b).join(', ');
    return { input: '--revision', message: `no series has revision ${this.choice.revision} (found: ${found})` };
  }
}
