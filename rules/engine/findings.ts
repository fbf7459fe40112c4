// Post-processing of a run's findings: one problem, one finding.
import type { Finding, Location, Rule } from './types.ts';

/** Identical findings once; findings of a superseded rule dropped where a more specific rule reported. */
export function settleFindings(findings: readonly Finding[], rules: readonly Rule[]): Finding[] {
  const seen = new Set<string>();
  const unique: Finding[] = [];
  for (const f of findings) {
    const key = JSON.stringify([f.ruleId, f.patch, f.file ?? '', f.line ?? 0, f.side ?? '', f.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(f);
  }
  const supersedes = new Map(rules.map((r) => [r.meta.id, r.meta.supersedes ?? []]));
  const suppressed = new Set<string>();
  for (const f of unique) {
    for (const other of supersedes.get(f.ruleId) ?? []) {
      for (const loc of [f, ...(f.related ?? [])]) suppressed.add(placeKey(other, loc));
    }
  }
  const kept = suppressed.size === 0 ? unique : unique.filter((f) => !suppressed.has(placeKey(f.ruleId, f)));
  return sortFindings(kept);
}

function placeKey(ruleId: string, l: Location): string {
  return `${ruleId}\u0000${l.patch}\u0000${l.file ?? ''}\u0000${l.line ?? 0}`;
}

/** Stable order: patch, file, line, rule id (Array.prototype.sort is stable). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.patch - b.patch ||
      cmp(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      cmp(a.ruleId, b.ruleId),
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
