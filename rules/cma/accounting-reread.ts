import { defineRule } from '../engine/define-rule.ts';
import type { Fact, FunctionFacts } from '../engine/types.ts';
import { codeOnly, isCFile, seriesPostImage } from '../engine/analysis/hunk-text.ts';
import { isPlainName, mentions, paramNames } from '../engine/analysis/c-expr.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

type MessageId = 'reread';

const MODULE_PARAM = /\bmodule_param(?:_named)?\s*\(\s*(?:\w+\s*,\s*)?(\w+)\s*,\s*\w+\s*,\s*([^)]*)\)/;
/** False only when the permission visibly has no write bit (0444, S_IRUGO): then the switch cannot change. */
function isWritable(perm: string): boolean {
  const p = perm.trim();
  if (/^0[0-7]*$/.test(p)) return (parseInt(p, 8) & 0o222) !== 0;
  if (/^(?:S_IR\w*|\s|\|)+$/.test(p)) return false;
  return true;
}

/** Module parameters visible in the series: name -> true when writable at run time. */
function moduleParams(ctx: { series: Parameters<typeof seriesPostImage>[0] }): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const lines = [...seriesPostImage(ctx.series)].filter((l) => isCFile(l.file));
  const code = codeOnly(lines.map((l) => l.text));
  for (const text of code) {
    const m = MODULE_PARAM.exec(text);
    if (m?.[1]) out.set(m[1], isWritable(m[2] ?? ''));
  }
  return out;
}

/** Plain global names in the conditions that guard a dmem_cgroup_try_charge(): the accounting switches. */
function switchesGuardingCharges(fns: readonly FunctionFacts[]): Map<string, FunctionFacts[]> {
  const out = new Map<string, FunctionFacts[]>();
  for (const fn of fns) {
    if (fn.image !== 'new') continue;
    const local = new Set([...Object.keys(fn.locals), ...paramNames(fn.params)]);
    for (const f of fn.facts) {
      if (f.kind !== 'call' || f.callee !== 'dmem_cgroup_try_charge') continue;
      for (const cond of f.conditions) {
        const name = cond.replace(/[!()\s]/g, '');
        if (!isPlainName(name) || local.has(name)) continue;
        out.set(name, [...(out.get(name) ?? []), fn]);
      }
    }
  }
  return out;
}

/** The fact that re-tests the switch on the way to an uncharge: its own condition or an earlier early return. */
function rereadBefore(fn: FunctionFacts, uncharge: Fact, name: string): Fact | undefined {
  if (uncharge.conditions.some((c) => mentions(c, name))) return uncharge;
  return fn.facts.find(
    (f) => f.line < uncharge.line && f.kind === 'return' && f.conditions.some((c) => mentions(c, name)),
  );
}

export default defineRule<MessageId>({
  meta: {
    id: 'cma/accounting-reread',
    severity: 'warning',
    description: 'The release path re-tests a mutable accounting switch instead of relying on the stored pool.',
    messages: {
      reread:
        '{{func}} decides whether to uncharge by re-reading `{{name}}`, a switch that can change after the buffer was allocated; a buffer charged while it was on is then never uncharged (or one never charged is uncharged). Uncharge whenever the stored pool is set: dmem_cgroup_uncharge() accepts a NULL pool.',
    },
    // The charge (and its switch) may sit in another patch of the series than the release.
    triggers: ['dmem_cgroup_uncharge', 'dmem_cgroup_try_charge'],
    // Sound: switches come from conditions around try_charge calls (module parameters from the
    // patch text), and the reports from functions with an uncharge; no other function is read.
    reads: ['dmem_cgroup_uncharge', 'dmem_cgroup_try_charge'],
    scope: 'series',
  },
  check(ctx) {
    const params = moduleParams(ctx);
    const switches = switchesGuardingCharges(ctx.functions);
    for (const [name, writable] of params) {
      if (/account|charge|cgroup|dmem/i.test(name) && !switches.has(name) && writable) switches.set(name, []);
    }
    for (const [name, chargingFns] of switches) {
      if (params.get(name) === false) continue; // visibly read-only: it cannot change under a buffer
      for (const fn of ctx.functions) {
        if (fn.image !== 'new' || chargingFns.includes(fn)) continue;
        for (const f of fn.facts) {
          if (f.kind !== 'call' || f.callee !== 'dmem_cgroup_uncharge') continue;
          const guard = rereadBefore(fn, f, name);
          if (!guard || !(guard.changed || f.changed)) continue;
          ctx.report({
            messageId: 'reread',
            patch: fn.patch,
            file: fn.file,
            line: f.line,
            data: { func: functionLabel(fn, { start: true }), name },
          });
        }
      }
    }
  },
});
