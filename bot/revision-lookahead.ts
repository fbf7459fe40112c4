// A bounded wait before a series goes to review, for runs that report only the latest revision of
// each series: a list archive holds many series in two or more revisions, and a revision
// superseded while it waits here is never reviewed. Bounded by the bytes of mail the
// waiting series hold, so memory does not grow with the input; what leaves, leaves in arrival order.
import type { Series } from './model.ts';

/** Bytes of mail a series holds while it waits (bodies dominate). */
export function seriesBytes(series: Series): number {
  let bytes = series.cover?.body.length ?? 0;
  for (const p of series.patches) bytes += p.message.body.length;
  for (const m of series.followUps) bytes += m.body.length;
  return bytes;
}

interface Waiting {
  series: Series;
  key: string;
  bytes: number;
}

export class RevisionLookahead {
  /** In arrival order (a Set keeps insertion order and deletes in O(1)). */
  private readonly queue = new Set<Waiting>();
  private readonly byLineage = new Map<string, Waiting>();
  private bytes = 0;
  /** Series never let out: a newer revision of their lineage, or a resend, waited with them. */
  superseded = 0;

  constructor(
    private readonly budgetBytes: number,
    private readonly lineageKey: (series: Series) => string,
  ) {}

  /**
   * Takes a closed series; returns the series that leave the wait, oldest first. Of one lineage,
   * only the newest revision waits (the latest to arrive among equals, as a resend replaces what it
   * resends): the selector would not report the others.
   */
  push(series: Series): Series[] {
    const key = this.lineageKey(series);
    const waiting = this.byLineage.get(key);
    if (waiting && waiting.series.revision > series.revision) {
      this.superseded++;
      return [];
    }
    if (waiting) this.drop(waiting);
    const w: Waiting = { series, key, bytes: seriesBytes(series) };
    this.byLineage.set(key, w);
    this.queue.add(w);
    this.bytes += w.bytes;
    const out: Series[] = [];
    while (this.bytes >= this.budgetBytes) {
      const next = this.shift();
      if (!next) break;
      out.push(next);
    }
    return out;
  }

  /** Every series still waiting, oldest first. */
  flush(): Series[] {
    const out: Series[] = [];
    for (let s = this.shift(); s; s = this.shift()) out.push(s);
    return out;
  }

  private drop(w: Waiting): void {
    this.queue.delete(w);
    this.byLineage.delete(w.key);
    this.bytes -= w.bytes;
    this.superseded++;
  }

  private shift(): Series | undefined {
    const w = this.queue.values().next().value;
    if (!w) return undefined;
    this.queue.delete(w);
    this.bytes -= w.bytes;
    this.byLineage.delete(w.key);
    return w.series;
  }
}
