// `deptbot status` as text: one block per topic, counts first, then the items worth a look.
import type { WatchStatus } from '../store/watch-status.ts';
import { formatOutboxStatus } from '../mail-out/status-text.ts';

const time = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const counts = (r: Record<string, number>): string =>
  Object.entries(r)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'none';

export function formatStatus(s: WatchStatus, stateFile: string): string {
  const out: string[] = [`state: ${stateFile}`, ''];
  out.push(`sources (${s.sources.length}):`);
  for (const src of s.sources) {
    const delivered = Object.values(src.delivered).reduce((a, b) => a + b, 0);
    out.push(`  ${src.name}`);
    out.push(`    checkpoint: ${src.checkpoint ?? 'none'} (updated ${time(src.updatedAt)})`);
    out.push(`    delivered: ${delivered} (${counts(src.delivered)})`);
    out.push(`    new messages: ${counts(src.kinds)}`);
  }
  out.push('');
  const t = s.totals;
  out.push(`messages: ${t.delivered} delivered = ${t.messages} distinct + ${t.duplicates} duplicate + ${t.quarantined} quarantined`);
  out.push(`  by kind: ${counts(s.messages)}`);
  out.push(`patches: ${s.patches.reviewed} reviewed, ${s.patches.waiting} waiting for their series`);
  out.push(`series: ${counts(s.series)}`);
  out.push(`reviews done: ${s.reviews.count} (${s.reviews.patches} patches, ${s.reviews.incomplete} of incomplete series)`);
  for (const r of s.reviews.last) {
    out.push(`  ${time(r.at)} ${r.title} v${r.revision}${r.part > 1 ? ` part ${r.part}` : ''}: ${r.findings} findings${r.complete ? '' : ', incomplete'} [${r.rulesetVersion}] ${r.output}`);
  }
  out.push('');
  out.push(`pending series (${s.pending.length}):`);
  for (const p of s.pending) {
    const got = p.waiting.length > 0 ? `waiting ${p.waiting.join(',')}` : 'cover only';
    const done = p.reviewed.length > 0 ? `; reviewed ${p.reviewed.join(',')}` : '';
    out.push(`  [${p.state}] ${p.title} v${p.revision} (${got} of ${p.expected}${done}; last arrival ${time(p.lastArrival)})${p.lastError ? ` error: ${p.lastError}` : ''}`);
  }
  out.push('');
  out.push(`quarantined (${t.quarantined}):`);
  for (const q of s.quarantined) out.push(`  ${q.source} ${q.locator}: ${q.reason} (${q.size} bytes, ${time(q.at)})`);
  out.push('');
  out.push(`last errors (${s.errors.length}):`);
  for (const e of s.errors) out.push(`  ${time(e.at)} ${e.scope}: ${e.message}`);
  if (s.mail) out.push('', ...formatOutboxStatus(s.mail));
  return `${out.join('\n')}\n`;
}
