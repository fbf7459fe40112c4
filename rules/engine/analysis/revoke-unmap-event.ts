// Where the importers' unmap signals the exporter: the complete()/wake_up() that an exporter's
// revoke waits for, when it runs in the .unmap_dma_buf callback or in the kref release that the
// unmap callback's kref_put() calls. This is DEPT's [E] for a wait on importer unmap.
import type { Series } from '../../../bot/model.ts';
import type { CallFact, EventFact, FunctionFacts } from '../types.ts';
import { seriesPostImage } from './hunk-text.ts';
import { callsTo, memberOf, newFunctions, isSignal } from './revoke-sequence.ts';

export interface UnmapEvent {
  /** The signal (complete, wake_up) and where it is. */
  event: EventFact;
  eventFn: FunctionFacts;
  /** The unmap callback's kref_put that reaches the release, when the signal is in a release. */
  via?: { call: CallFact; fn: FunctionFacts };
}

/** Names used as `.<field> = NAME` in the series' post-image, e.g. field "unmap_dma_buf". */
export function initializerTargets(series: Series, field: string): Map<string, { patch: number; file: string; line: number }> {
  const re = new RegExp(`\\.${field}\\s*=\\s*&?([A-Za-z_]\\w*)`);
  const out = new Map<string, { patch: number; file: string; line: number }>();
  for (const l of seriesPostImage(series)) {
    const m = re.exec(l.text);
    if (m?.[1]) out.set(m[1], { patch: l.patch, file: l.file, line: l.line });
  }
  return out;
}

function isUnmapCallback(fn: FunctionFacts, unmapCallbacks: ReadonlyMap<string, unknown>): boolean {
  return fn.name !== null && (unmapCallbacks.has(fn.name) || /unmap/.test(fn.name));
}

/** The unmap-path signal of the completion/waitqueue member `target` waits on, if the series shows one. */
export function unmapEventFor(series: Series, functions: readonly FunctionFacts[], target: string): UnmapEvent | undefined {
  const member = memberOf(target);
  if (!member) return undefined;
  const unmapCallbacks = initializerTargets(series, 'unmap_dma_buf');
  const fns = newFunctions(functions);
  for (const fn of fns) {
    for (const e of fn.facts.filter(isSignal)) {
      if (memberOf(e.target) !== member) continue;
      if (isUnmapCallback(fn, unmapCallbacks)) return { event: e, eventFn: fn };
      if (!fn.name) continue;
      for (const u of fns) {
        if (!isUnmapCallback(u, unmapCallbacks)) continue;
        const put = callsTo(u, 'kref_put', 'kref_put_mutex', 'kref_put_lock').find((c) => c.args[1]?.trim() === fn.name);
        if (put) return { event: e, eventFn: fn, via: { call: put, fn: u } };
      }
    }
  }
  return undefined;
}
