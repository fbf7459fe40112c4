// refcount/use-after-put: after a put that may drop the last reference, or after fd_install()
// publishes the object to another thread that can close it, the object may already be freed.
import type { Patch } from '../../bot/model.ts';
import type { CallFact, Fact, FunctionFacts } from '../engine/types.ts';
import { defineRule } from '../engine/define-rule.ts';
import { postImageOf } from '../engine/analysis/hunk-text.ts';
import { escapeRe, normExpr, squash } from '../engine/analysis/c-expr.ts';
import { newFunctions, onOnePath } from '../engine/analysis/revoke-sequence.ts';
import { KREF_PUTS, krefPutMayFree } from '../engine/analysis/refcount-kref-release.ts';

const PUTS = new Set(['dma_buf_put', 'fput', 'dma_fence_put', ...KREF_PUTS]);

/** Calls that only report on the object: a freed object passed whole to them is still a use. */
const REPORTERS = /^(?:trace_\w+|pr_\w+|printk\w*|dev_\w+|drm_\w*(?:dbg|err|warn|info|notice)\w*|DRM_\w+|WARN\w*)$/;

/** Iterators and swaps assign the variable they are given: not a use of the old value. */
const REASSIGNS = /for_each|^swap$|^xchg$/;

/** The objects a put or publish gives away: fput(d->file) also gives away d. */
function objectsOf(c: CallFact): string[] {
  const arg = normExpr(c.callee === 'fd_install' ? (c.args[1] ?? '') : (c.args[0] ?? ''));
  if (!arg) return [];
  if (KREF_PUTS.has(c.callee)) {
    const m = /^(.*)(?:->|\.)\w+$/.exec(arg);
    return m?.[1] ? [m[1]] : [];
  }
  const owner = /^(.*)->file$/.exec(arg);
  return owner?.[1] ? [arg, owner[1]] : [arg];
}

/**
 * A kref put frees its container only by evidence (see refcount-kref-release.ts); code that tests
 * the put's result knows whether it freed, so it is left alone.
 */
function mayFree(c: CallFact, functions: readonly FunctionFacts[]): boolean {
  if (!KREF_PUTS.has(c.callee)) return true;
  if (c.assignedTo !== undefined || c.returned || /^(?:if|while)\s*\(/.test(c.text)) return false;
  return krefPutMayFree(c, functions);
}

/** How fact f touches obj: a dereference, or obj passed to a call. '' when it does not. */
function touch(f: Fact, obj: string): string {
  const e = escapeRe(obj);
  const deref = new RegExp(`(?<![\\w>.])${e}\\s*(?:->|\\.)`);
  if (f.kind === 'call') {
    if (REASSIGNS.test(f.callee) || /^(?:while|for)\b/.test(f.text)) return '';
    // `&obj` is an out-parameter (it will be overwritten), not a use of the pointer.
    const whole = f.args.some((a) => squash(a) === obj);
    if ((whole && REPORTERS.test(f.callee)) || f.args.some((a) => deref.test(a))) return `in ${f.callee}()`;
    return '';
  }
  if (f.kind === 'assign') return deref.test(f.lhs) || deref.test(f.rhs) ? 'a dereference' : '';
  if (f.kind === 'return') return deref.test(f.value) ? 'a dereference' : '';
  return '';
}

/** Raw-text exits (break/continue) the facts do not carry, between two new-side lines of a file. */
function textExitBetween(patch: Patch, file: string, from: number, to: number): boolean {
  const change = patch.files.find((f) => f.path === file);
  if (!change) return true;
  for (const l of postImageOf(patch, change)) {
    if (l && l.line > from && l.line < to && /\b(?:break|continue|return|goto)\b/.test(l.text)) return true;
  }
  return false;
}

/** The first later fact that touches obj on a path from the put, or undefined. */
function firstTouch(fn: FunctionFacts, i: number, obj: string): { fact: Fact; how: string } | undefined {
  const put = fn.facts[i];
  if (!put) return undefined;
  const reassigned = new RegExp(`^${escapeRe(obj)}$`);
  for (const f of fn.facts.slice(i + 1)) {
    if (f.kind === 'gap') return undefined;
    if (!onOnePath(f.conditions, put.conditions)) continue;
    if ((f.kind === 'return' || f.kind === 'goto') && f.conditions.length <= put.conditions.length) {
      const how = touch(f, obj);
      return how ? { fact: f, how } : undefined;
    }
    if (f.kind === 'assign' && reassigned.test(normExpr(f.lhs))) return undefined;
    if (f.kind === 'call' && REASSIGNS.test(f.callee) && f.args.some((a) => normExpr(a) === obj)) return undefined;
    if (f.line === put.line) continue;
    const how = touch(f, obj);
    if (how) return { fact: f, how };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'refcount/use-after-put',
    severity: 'error',
    description: 'Touches an object after a put that may free it, or after fd_install() published it',
    messages: {
      afterPut:
        '`{{text}}` uses {{obj}} ({{how}}) after `{{put}}` at line {{putLine}}, which may have dropped the last reference and freed it. Use it before the put, or keep a reference until you are done.',
      afterPublish:
        '`{{text}}` uses {{obj}} ({{how}}) after `{{put}}` at line {{putLine}} published it; from then on another thread can close the fd and free it. Finish every use before fd_install().',
    },
    triggers: [...PUTS, 'fd_install'],
    // Sound: reports come from functions calling a put or fd_install(); the only other functions
    // read are the kref releases named in a kref_put*(), whose type is void (*)(struct kref *): a
    // visible whole body shows `kref` in its signature, and a partial one frees its container only
    // through the `kref` parameter name the analysis assumes for it (refcount-kref-release.ts).
    reads: [...PUTS, 'fd_install', 'kref'],
    // Series scope: a kref release defined in another patch of the series decides whether a put frees.
    scope: 'series',
  },
  check(ctx) {
    for (const fn of newFunctions(ctx.functions)) {
      const patch = ctx.series.patches.find((p) => p.index === fn.patch);
      if (!patch) continue;
      fn.facts.forEach((p, i) => {
        if (p.kind !== 'call' || !(PUTS.has(p.callee) || p.callee === 'fd_install')) return;
        if (!mayFree(p, ctx.functions)) return;
        for (const obj of objectsOf(p)) {
          const hit = firstTouch(fn, i, obj);
          if (!hit || !(hit.fact.changed || p.changed)) continue;
          // A second put of the same object in another error path is handled by its own exits.
          if (hit.fact.kind === 'call' && PUTS.has(hit.fact.callee) && p.callee !== 'fd_install') continue;
          if (textExitBetween(patch, fn.file, p.line, hit.fact.line)) continue;
          const anchor = hit.fact.changed ? hit.fact : p;
          ctx.report({
            messageId: p.callee === 'fd_install' ? 'afterPublish' : 'afterPut',
            patch: patch.index,
            file: fn.file,
            line: anchor.line,
            side: 'new',
            data: { text: hit.fact.text, obj, how: hit.how, put: p.text, putLine: p.line },
            related: [{ label: 'reference given away', patch: patch.index, file: fn.file, line: p.line, side: 'new' }],
          });
          return;
        }
      });
    }
  },
});
