// The mail outbox block of `deptbot status`: the counts an operator checks first (anything stuck
// or failing), then the mails waiting for the list's echo and the last failures.
import type { OutboxMailStatus, OutboxStatus } from '../store/outbox-status.ts';

const time = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const what = (m: OutboxMailStatus): string => `${m.subject} <${m.messageId}>`;

export function formatOutboxStatus(s: OutboxStatus): string[] {
  const n = (state: keyof OutboxStatus['states']): number => s.states[state] ?? 0;
  const out = [
    `mail outbox: ${n('queued')} queued, ${n('sending') + n('uncertain')} sending/uncertain, ${n('sent')} sent, ` +
      `${n('dry-run')} dry-run, ${n('failed')} failed, ${n('dropped')} dropped`,
  ];
  for (const m of s.uncertain) {
    out.push(
      m.state === 'uncertain'
        ? `  uncertain (interrupted mid-send; sent again at ${time(m.nextAttempt)} unless the list echoes it): ${what(m)}`
        : `  sending since ${time(m.updatedAt)}: ${what(m)}`,
    );
  }
  out.push(`last mail failures (${s.failures.length}):`);
  for (const m of s.failures) {
    const next = m.state === 'queued' ? `, next attempt ${time(m.nextAttempt)}` : '';
    out.push(`  ${time(m.updatedAt)} [${m.state}, ${m.attempts} attempts${next}] ${what(m)}: ${m.lastError ?? ''}`);
  }
  return out;
}
