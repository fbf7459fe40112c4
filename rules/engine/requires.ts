// Necessary words per rule ("requires"): a rule whose every report needs, say, a wait primitive
// need not run, nor make the series' C be parsed, when no such word occurs. Rules say so in
// meta.requires; ENGINE_REQUIRES holds what the engine derived from the code of rules that do not
// say it yet (each entry cites the condition it mirrors; move it into the rule's meta when the
// author agrees, and drop it here).
import type { Patch } from '../../bot/model.ts';
import type { Rule } from './types.ts';
import { patchTexts } from './triggers.ts';

const IMPORTER_WAITS = ['wait_for_completion*', 'wait_event*', 'wait_var_event*', 'wait_on_bit*', 'flush_work*', 'flush_delayed_work*', 'flush_workqueue*', 'cancel_work_sync*', 'cancel_delayed_work_sync*', 'drain_workqueue*'];

export const ENGINE_REQUIRES: Readonly<Record<string, readonly string[]>> = {
  // Reports only at a WaitFact for which isImporterWait() holds (analysis/revoke-sequence.ts).
  'revoke/wait-under-resv': IMPORTER_WAITS,
  // Reports only at an importer wait that isUnboundedUnmapWait() accepts.
  'revoke/unbounded-unmap-wait': ['wait_for_completion*', 'wait_event*', 'wait_var_event*'],
  // Reports only at a wait matching WAITS or a call matching FLUSHES (series/wait-event-cycle.ts).
  'series/wait-event-cycle': [
    'wait_for_completion', 'wait_for_completion_io', 'wait_for_completion_killable', 'wait_for_completion_interruptible',
    'wait_for_completion_state', 'wait_event*', 'wait_var_event', 'wait_var_event_killable', 'wait_var_event_interruptible',
    'dma_fence_wait', 'flush_work', 'flush_delayed_work', 'cancel_work_sync', 'cancel_delayed_work_sync',
  ],
};

export interface RequirementIndex {
  /** Ids of the rules whose requirement the patch meets (rules without one always). */
  met(patch: Patch): ReadonlySet<string>;
}

/** The requirement of a rule: its meta's, else the engine's entry, else none. */
export function requirementOf(rule: Rule): readonly string[] | undefined {
  return rule.meta.requires ?? ENGINE_REQUIRES[rule.meta.id];
}

export function requirementIndex(rules: readonly Rule[]): RequirementIndex {
  const free: string[] = [];
  const exact = new Map<string, string[]>();
  const prefixes: Array<{ prefix: string; id: string }> = [];
  for (const r of rules) {
    const words = requirementOf(r);
    if (!words) free.push(r.meta.id);
    else for (const w of words) {
      if (w.endsWith('*')) prefixes.push({ prefix: w.slice(0, -1), id: r.meta.id });
      else exact.set(w, [...(exact.get(w) ?? []), r.meta.id]);
    }
  }
  const alternatives = [...exact.keys(), ...prefixes.map((p) => `${p.prefix}\\w*`)].sort((a, b) => b.length - a.length);
  const re = alternatives.length > 0 ? new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives.join('|')})(?![A-Za-z0-9_])`, 'g') : null;
  const idsOf = (word: string): string[] => [...(exact.get(word) ?? []), ...prefixes.filter((p) => word.startsWith(p.prefix)).map((p) => p.id)];
  return {
    met(patch) {
      const met = new Set(free);
      if (!re) return met;
      for (const text of patchTexts(patch)) {
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) for (const id of idsOf(m[0])) met.add(id);
      }
      return met;
    },
  };
}
