// Vocabulary of the dma-buf revoke sequence (domain.md, "dma-buf revoke"), shared by the revoke,
// completion and refcount rules: which calls invalidate, what a revoked flag is, which waits wait
// for importers, and how to find a callback's body or its kref release in a series.
import type { CallFact, EventFact, Fact, FunctionFacts, WaitFact } from '../types.ts';

export const INVALIDATE_CALLS: ReadonlySet<string> = new Set(['dma_buf_invalidate_mappings', 'dma_buf_move_notify']);

export function isInvalidateCall(f: Fact): f is CallFact {
  return f.kind === 'call' && INVALIDATE_CALLS.has(f.callee);
}

/** `priv->revoked`, `buf->is_revoked`, `revoked`: an exporter's revoked flag. */
export function isRevokedFlag(lhs: string): boolean {
  return /(?:->|\.)\w*revoked$/.test(lhs.replace(/\s+/g, ''));
}

/** The flag's member name, used to spot code that reads it ("revoked"). */
export function flagName(lhs: string): string {
  // [hardening] Anchored at a word start: linear on hostile long lines.
  const m = /(?<!\w)(\w+)\s*$/.exec(lhs);
  return m?.[1] ?? lhs;
}

/** True when an assignment's right-hand side clears the flag. */
export function isFalseValue(rhs: string): boolean {
  return /^(?:false|0|0U|0u)$/.test(rhs.trim());
}

/** `&priv->comp` -> "priv"; `p.kref` -> "p"; `fence` -> "fence". */
export function baseOf(expr: string): string {
  const e = expr.replace(/\s+/g, '').replace(/^&/, '').replace(/^\((.*)\)$/, '$1');
  const m = /^(.*?)(?:->|\.)[A-Za-z_]\w*$/.exec(e);
  return m?.[1] ?? e;
}

/** `&priv->comp` -> "comp"; `done` -> "done". */
export function memberOf(expr: string): string {
  // [hardening] Anchored at a word start (leading digits skipped), one blank run per step: linear.
  const m = /(?<!\w)\d*([A-Za-z_]\w*)\s*(?:\)\s*)?$/.exec(expr);
  return m?.[1] ?? expr;
}

/** Waits that wait for importers (completion, waitqueue, work flush); fence waits are not. */
/** Prefixes of the waits by which an exporter can wait for its importers (wait_event_timeout too). */
export const IMPORTER_WAIT_PREFIXES: readonly string[] = [
  'wait_for_completion', 'wait_event', 'wait_var_event', 'wait_on_bit', 'flush_work', 'flush_delayed_work', 'flush_workqueue',
  'cancel_work_sync', 'cancel_delayed_work_sync', 'drain_workqueue',
];
const IMPORTER_WAIT = new RegExp(`^(?:${IMPORTER_WAIT_PREFIXES.join('|')})`);

export function isImporterWait(f: Fact): f is WaitFact {
  return f.kind === 'wait' && IMPORTER_WAIT.test(f.primitive);
}

export function isCompletionWait(f: Fact): f is WaitFact {
  return f.kind === 'wait' && /^wait_for_completion/.test(f.primitive);
}

export function isSignal(f: Fact): f is EventFact {
  return f.kind === 'event' && /^(?:complete|complete_all|wake_up\w*|wake_up_var)$/.test(f.primitive);
}

/** Post-image functions of the checked code. */
export function newFunctions(functions: readonly FunctionFacts[]): FunctionFacts[] {
  return functions.filter((fn) => fn.image === 'new');
}

/** True when the whole body of fn is visible (both braces, no gaps). */
export function wholeBody(fn: FunctionFacts): boolean {
  return fn.prefixKnown && fn.suffixKnown && !fn.facts.some((f) => f.kind === 'gap');
}

/** Post-image facts of function `name`, most complete (then latest patch) first. */
export function functionsNamed(functions: readonly FunctionFacts[], name: string, file?: string): FunctionFacts[] {
  return newFunctions(functions)
    .filter((fn) => fn.name === name && (file === undefined || fn.file === file))
    .sort((a, b) => Number(wholeBody(b)) - Number(wholeBody(a)) || b.patch - a.patch);
}

/** Calls in fn by callee name. */
export function callsTo(fn: FunctionFacts, ...callees: string[]): CallFact[] {
  return fn.facts.filter((f): f is CallFact => f.kind === 'call' && callees.includes(f.callee));
}

/**
 * The release callbacks given to kref_put() on member `krefMember` anywhere in the code:
 * `kref_put(&priv->kref, vfio_pci_dma_buf_done)` -> "vfio_pci_dma_buf_done".
 */
export function krefReleases(functions: readonly FunctionFacts[], krefMember: string): string[] {
  const out = new Set<string>();
  for (const fn of newFunctions(functions)) {
    for (const c of callsTo(fn, 'kref_put', 'kref_put_mutex', 'kref_put_lock')) {
      const [ref, release] = c.args;
      if (ref && release && memberOf(ref) === krefMember) out.add(release.trim());
    }
  }
  return [...out];
}

/** The completion members a kref release signals: release fn -> complete(&x->comp) -> "comp". */
export function signalledBy(functions: readonly FunctionFacts[], release: string): EventFact[] {
  return functionsNamed(functions, release).flatMap((fn) => fn.facts.filter(isSignal));
}

/** True when two conditions stacks are on one path (one is a prefix of the other). */
export function onOnePath(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
