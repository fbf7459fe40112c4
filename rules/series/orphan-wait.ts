// A wait whose event nobody can produce is a hang: when a series adds a completion or waitqueue
// and waits on it, but no line of the series signals it (or hands it to code that could), the
// wait can only time out or block forever. Fences are not judged: ops->signaled() may end them.
import { defineRule } from '../engine/define-rule.ts';
import { introducedObjects, mayIntroduce, mentionsOf, removedLater, seriesCode } from '../engine/analysis/series-introduced.ts';

const SIGNAL: Record<string, string> = {
  completion: 'complete()/complete_all()',
  waitqueue: 'wake_up*()',
};

export default defineRule({
  meta: {
    id: 'series/orphan-wait',
    severity: 'error',
    description: 'Waits on a completion or waitqueue that the series introduces but never signals',
    messages: {
      orphan:
        '`{{text}}` waits on {{name}}, a {{kind}} that this series introduces (patch {{declPatch}}, {{declFile}}:{{declLine}}), but no line of the series signals it with {{signal}} or hands it to code that could: the event of this wait never happens, so it hangs (or always times out). Signal {{name}} where the awaited work ends, or drop the wait.',
    },
    triggers: [
      'completion', 'wait_queue_head_t', 'wait_queue_head', 'DECLARE_COMPLETION', 'DECLARE_COMPLETION_ONSTACK',
      'DECLARE_WAIT_QUEUE_HEAD', 'DECLARE_WAIT_QUEUE_HEAD_ONSTACK',
    ],
    scope: 'series',
  },
  check(ctx) {
    if (!mayIntroduce(ctx.series)) return;
    const code = seriesCode(ctx.series);
    for (const obj of introducedObjects(ctx.series, code).values()) {
      const mentions = mentionsOf(code, obj);
      // Any use we cannot classify may be the signal, or hand the object to a signaller.
      if (mentions.some((m) => m.role === 'other')) continue;
      for (const m of mentions) {
        if (m.role !== 'wait' || !m.line.added || removedLater(ctx.series, m.line)) continue;
        ctx.report({
          patch: m.line.patch,
          file: m.line.file,
          line: m.line.line,
          side: 'new',
          messageId: 'orphan',
          data: {
            text: m.line.text.trim().replace(/;$/, ''),
            name: obj.name,
            kind: obj.kind,
            declPatch: obj.decl.patch,
            declFile: obj.decl.file,
            declLine: obj.decl.line,
            signal: SIGNAL[obj.kind] ?? 'an event',
          },
          related: [
            { label: `[W] ${m.line.text.trim()}`, patch: m.line.patch, file: m.line.file, line: m.line.line, side: 'new' },
            { label: `introduced: ${obj.decl.text.trim()}`, patch: obj.decl.patch, file: obj.decl.file, line: obj.decl.line, side: 'new' },
          ],
        });
      }
    }
  },
});
