// refcount/leak-on-error: a reference taken on the way in must be dropped (or handed to an owner)
// on every way out; an error exit that forgets it pins the object forever.
import type { CallFact, Fact, FunctionFacts } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import { escapeRe, normExpr, squash } from '../engine/analysis/c-expr.ts';
import { newFunctions, onOnePath } from '../engine/analysis/revoke-sequence.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

/** get -> the puts that drop it. `ret`: the reference is the call's result; `arg`: its first argument. */
const GETS: Record<string, { from: 'ret' | 'arg'; puts: string[] }> = {
  dma_fence_get: { from: 'ret', puts: ['dma_fence_put'] },
  dma_fence_get_rcu: { from: 'ret', puts: ['dma_fence_put'] },
  dma_fence_get_rcu_safe: { from: 'ret', puts: ['dma_fence_put'] },
  sync_file_get_fence: { from: 'ret', puts: ['dma_fence_put'] },
  dma_buf_get: { from: 'ret', puts: ['dma_buf_put'] },
  get_dma_buf: { from: 'arg', puts: ['dma_buf_put'] },
  get_file: { from: 'arg', puts: ['fput'] },
  fget: { from: 'ret', puts: ['fput'] },
  kref_get: { from: 'arg', puts: ['kref_put', 'kref_put_mutex', 'kref_put_lock'] },
};

/** Calls that take ownership of what they are given (publish, store, attach to a container). */
const OWNERS = /(?:install|add|insert|store|push|append|attach|queue|register|publish|set|xa_|idr_|list_|hash_|rb_|llist_|kfifo_|dma_resv_add_fence|drm_syncobj_replace_fence|sync_file_create|dma_fence_array_create|dma_fence_chain_init)/;

function refOf(c: CallFact): string {
  const spec = GETS[c.callee];
  if (!spec) return '';
  const raw = spec.from === 'ret' ? (c.assignedTo ?? '') : (c.args[0] ?? '');
  // kref_get(&obj->ref) -> "obj->ref": kref_put(&obj->ref, ...) or obj_put(obj) drops it.
  return normExpr(raw);
}

/** True when f drops, returns or hands off the reference held in `ref` (a kref: through its owner). */
function releases(f: Fact, ref: string, puts: readonly string[]): boolean {
  const owner = /^(.*)->\w+$/.exec(ref)?.[1];
  const names = (t: string, e: string): boolean => new RegExp(`(?<![\\w>.])${escapeRe(e)}(?![\\w])`).test(squash(t));
  const mentions = (t: string): boolean => names(t, ref) || (owner !== undefined && names(t, owner));
  if (f.kind === 'call') {
    if (!f.args.some(mentions)) return false;
    return puts.includes(f.callee) || /put|free|release|unref|destroy|cleanup|fini/.test(f.callee) || OWNERS.test(f.callee);
  }
  if (f.kind === 'assign') {
    // Stored or aliased as a whole (`ctx->fence = fence`); a call result that merely used it is not.
    const rhs = normExpr(f.rhs);
    return normExpr(f.lhs) !== ref && (rhs === ref || rhs === owner);
  }
  if (f.kind === 'return') return mentions(f.value);
  return false;
}

/** A return/goto taken on failure: error value, or under a condition that tests an error. */
function isErrorExit(f: Fact): boolean {
  if (f.kind === 'return') {
    if (/^-E[A-Z0-9]+$|ERR_PTR\(|ERR_CAST\(|PTR_ERR\(/.test(f.value)) return true;
    if (/^(?:ret|rc|err|error|r|status)$/.test(f.value)) {
      const c = f.conditions[f.conditions.length - 1] ?? '';
      return new RegExp(`\\b${f.value}\\b`).test(c) && !/^!/.test(c) && !/==\s*0\b/.test(c);
    }
    return false;
  }
  if (f.kind === 'goto') return f.conditions.length > 0 && /err|fail|out|unwind|free|put|unlock|cleanup/.test(f.label);
  return false;
}

/** What a leaked reference blocks beyond the memory: a dma-buf's exporter waits for its last put. */
function consequenceOf(get: string): string {
  if (/fence/.test(get)) return ' (and with it what the fence holds, such as its timeline)';
  if (/dma_buf|^get_file$|^fget$/.test(get)) return ' (and an exporter waiting for the last put, e.g. to revoke or release the buffer, waits forever)';
  return '';
}

/** Facts from label `name` to the function's end, or undefined when not fully visible. */
function labelTail(fn: FunctionFacts, name: string): Fact[] | undefined {
  const at = fn.facts.findIndex((f) => f.kind === 'label' && f.name === name);
  if (at < 0 || !fn.suffixKnown) return undefined;
  const tail = fn.facts.slice(at + 1);
  return tail.some((f) => f.kind === 'gap') ? undefined : tail;
}

export default defineRule({
  meta: {
    id: 'refcount/leak-on-error',
    severity: 'error',
    description: 'Takes a reference and has an error exit that neither drops it nor hands it to an owner',
    messages: {
      leak:
        '`{{exit}}` leaves {{fn}} early while still holding the reference `{{get}}` took at line {{getLine}}; nothing drops it on this path, so {{ref}} is never freed{{consequence}}. Drop it ({{put}}) on this path, e.g. through an unwind label.',
    },
    triggers: Object.keys(GETS),
    // Sound: the rule looks only at functions that call a get, and at nothing outside them.
    reads: Object.keys(GETS),
    scope: 'patch',
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    for (const fn of newFunctions(ctx.functions)) {
      if (fn.name && Object.values(GETS).some((g) => g.puts.includes(fn.name ?? ''))) continue;
      fn.facts.forEach((g, i) => {
        if (g.kind !== 'call' || !GETS[g.callee]) return;
        const spec = GETS[g.callee];
        const ref = refOf(g);
        if (!spec || !ref || g.returned) return;
        // Stored straight into a structure, array or out-parameter: an owner has it.
        if (spec.from === 'ret' && !/^[A-Za-z_]\w*$/.test(ref)) return;
        const refBase = ref.replace(/(?:->|\.)\w+$/, '');
        const testsRef = new RegExp(`(?<![\\w>.])(?:${escapeRe(ref)}|${escapeRe(refBase)})(?![\\w])`);
        for (let k = i + 1; k < fn.facts.length; k++) {
          const f = fn.facts[k];
          if (!f || f.kind === 'gap') return;
          if (!onOnePath(f.conditions, g.conditions)) continue;
          if (releases(f, ref, spec.puts)) {
            // A release on the main path covers every later exit; one in a branch covers that branch only.
            if (f.conditions.length <= g.conditions.length) return;
            continue;
          }
          if (!isErrorExit(f)) continue;
          // The get's own failure check (IS_ERR(ref), !ref) holds no reference.
          if (f.conditions.slice(g.conditions.length).some((c) => testsRef.test(squash(c)))) continue;
          const branch = fn.facts.slice(i + 1, k).filter((x) => onOnePath(x.conditions, f.conditions) && x.conditions.length >= f.conditions.length);
          if (branch.some((x) => releases(x, ref, spec.puts))) continue;
          if (f.kind === 'goto') {
            const tail = labelTail(fn, f.label);
            if (!tail || tail.some((x) => releases(x, ref, spec.puts))) continue;
          }
          const anchor = [f, g].find((x) => x.changed);
          if (!anchor) continue;
          ctx.report({
            messageId: 'leak',
            patch: patch.index,
            file: fn.file,
            line: anchor.line,
            side: 'new',
            data: { exit: f.text, fn: functionLabel(fn), get: g.text, getLine: g.line, ref, put: spec.puts[0] ?? 'the put', consequence: consequenceOf(g.callee) },
            related: [{ label: 'reference taken', patch: patch.index, file: fn.file, line: g.line, side: 'new' }],
          });
          return;
        }
      });
    }
  },
});
