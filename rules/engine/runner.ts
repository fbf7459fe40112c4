// Runs rules over a series: shares one fact extraction per patch, isolates each rule (a throw is a
// RuleRunError, the run goes on), enforces a per-rule time budget, fills message templates and
// applies configured severities.
import { performance } from 'node:perf_hooks';
import type { Patch, Series } from '../../bot/model.ts';
import { oneLine } from '../../bot/errors.ts';
import { cachedFacts } from './facts/cache.ts';
import { isCFile } from './facts/extract.ts';
import { loadCParser } from './facts/parser.ts';
import type { Finding, FunctionFacts, Report, Rule, RuleContext, RuleRunError, Severity, SeverityOrOff } from './types.ts';
import { readsIndex } from './reads.ts';
import type { FunctionFilter } from './facts/cache.ts';
import { escapeRe } from './analysis/c-expr.ts';
import { requirementIndex } from './requires.ts';
import { memoByRules } from './rule-set-memo.ts';
import { triggerIndex } from './triggers.ts';

const triggersOf = memoByRules(triggerIndex);
const requirementsOf = memoByRules(requirementIndex);
const readsOf = memoByRules(readsIndex);

export const DEFAULT_BUDGET_MS = 2000;

export interface RunOptions {
  severities?: Record<string, SeverityOrOff>;
  budgetMs?: number;
  /** Total time each rule spent on this series (for the benchmark). */
  onTiming?: (ruleId: string, ms: number) => void;
  /** Whole-function facts from an applied tree (--tree); replaces hunk facts for the patches it has. */
  treeFacts?: Map<number, FunctionFacts[]>;
}

export interface RunResult {
  findings: Finding[];
  ruleErrors: RuleRunError[];
}

interface RuleState {
  rule: Rule;
  severity: Severity;
  findings: Finding[];
  ms: number;
  crashed?: string;
  overBudget: boolean;
}

/** Runs the enabled rules; findings are neither deduplicated nor sorted here (see review.ts). */
export async function runRules(series: Series, rules: readonly Rule[], opts: RunOptions = {}): Promise<RunResult> {
  const budget = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  const states: RuleState[] = [];
  for (const rule of rules) {
    const sev = opts.severities?.[rule.meta.id] ?? rule.meta.severity;
    if (sev !== 'off') states.push({ rule, severity: sev, findings: [], ms: 0, overBudget: false });
  }
  const enabled = states.map((s) => s.rule);
  const triggers = triggersOf(enabled);
  const wholeFunctions = opts.treeFacts !== undefined;

  // Facts are extracted when a rule first reads ctx.functions: rules that never look at C (and
  // patches no rule is triggered by) cost no parse. Parse time is not charged to the rule.
  const parse = { ms: 0 };
  if (series.patches.some((p) => p.files.some(isCFile))) await loadCParser();
  // A rule runs where it is triggered and its requirement is met; with whole functions from a tree
  // the facts hold more than the patch text, so requirements are not checked there.
  const requirements = wholeFunctions ? undefined : requirementsOf(enabled);
  const reads = readsOf(enabled);
  const perPatch: PatchRun[] = series.patches.map((patch) => ({ patch, fired: triggers.firedRules(patch), functions: lazyFacts(patch, opts.treeFacts, parse) }));
  const meets = (p: PatchRun, id: string): boolean => !requirements || (p.met ??= requirements.met(p.patch)).has(id);
  // Whole functions from a tree have no hunk text to look for words in: every rule sees them all.
  const readBy = (rule: Rule): FunctionFilter | undefined => (wholeFunctions ? undefined : reads.filterFor(rule));
  const scope = (runs: readonly PatchRun[]): Scope => ({
    functions: (rule: Rule) => runs.flatMap((p) => p.functions(readBy(rule))),
    named: (name: string) => runs.flatMap((p) => p.functions(namedFilter(name)).filter((fn) => fn.name === name)),
  });

  for (const st of states) {
    if (st.rule.meta.scope === 'series') {
      const id = st.rule.meta.id;
      if (!perPatch.some((p) => p.fired.has(id)) || !perPatch.some((p) => meets(p, id))) continue;
      invoke(st, series, undefined, scope(perPatch), wholeFunctions, budget, parse);
    } else {
      for (const p of perPatch) {
        if (st.overBudget) break;
        if (p.fired.has(st.rule.meta.id) && meets(p, st.rule.meta.id)) invoke(st, series, p.patch, scope([p]), wholeFunctions, budget, parse);
      }
    }
  }

  const findings: Finding[] = [];
  const ruleErrors: RuleRunError[] = [];
  for (const st of states) {
    opts.onTiming?.(st.rule.meta.id, st.ms);
    if (st.crashed !== undefined) ruleErrors.push({ ruleId: st.rule.meta.id, kind: 'crash', message: st.crashed });
    if (st.overBudget) {
      ruleErrors.push({ ruleId: st.rule.meta.id, kind: 'budget', message: `skipped: budget (${Math.round(st.ms)} ms > ${budget} ms)` });
      continue;
    }
    findings.push(...st.findings);
  }
  return { findings, ruleErrors };
}

/** The functions named `name`: a function's name is a word of its own text, and so of its file's. */
function namedFilter(name: string): FunctionFilter {
  const word = new RegExp(`(?<![A-Za-z0-9_])${escapeRe(name)}(?![A-Za-z0-9_])`);
  return { fn: (slot) => slot.name === name, file: (f) => word.test(f.text()) };
}

interface PatchRun {
  patch: Patch;
  fired: ReadonlySet<string>;
  /** Rules whose requirement the patch meets, scanned on first need. */
  met?: ReadonlySet<string>;
  /** The patch's functions that `filter` takes (all without one). */
  functions: (filter: FunctionFilter | undefined) => FunctionFacts[];
}

/** What a rule invocation can read: its functions, and every function of a name. */
interface Scope {
  functions(rule: Rule): FunctionFacts[];
  named(name: string): FunctionFacts[];
}

/**
 * A patch's functions, each parsed the first time any rule reads it (whole functions from a tree
 * are all there is for the patches the tree has). The parse is not the rule's time.
 */
function lazyFacts(patch: Patch, tree: Map<number, FunctionFacts[]> | undefined, parse: { ms: number }): PatchRun['functions'] {
  const whole = tree?.get(patch.index);
  const hasC = patch.files.some(isCFile);
  return (filter) => {
    if (whole) return whole;
    if (!hasC) return [];
    const t0 = performance.now();
    const facts = cachedFacts(patch, patch.index, filter);
    parse.ms += performance.now() - t0;
    return facts;
  };
}

function invoke(st: RuleState, series: Series, patch: Patch | undefined, scope: Scope, wholeFunctions: boolean, budget: number, parse: { ms: number }): void {
  const pending: Finding[] = [];
  let fns: FunctionFacts[] | undefined;
  const ctx: RuleContext = {
    series,
    get functions() {
      return (fns ??= scope.functions(st.rule));
    },
    functionsNamed: (name) => scope.named(name),
    wholeFunctions,
    report: (r) => pending.push(toFinding(st, r, patch)),
  };
  if (patch) ctx.patch = patch;
  const parseBefore = parse.ms;
  const t0 = performance.now();
  try {
    st.rule.check(ctx);
    st.findings.push(...pending);
  } catch (err) {
    // The first crash is reported; the rule still runs on the other patches.
    st.crashed ??= `${patch ? `patch ${patch.index}: ` : ''}${oneLine(err)}`;
  } finally {
    st.ms += performance.now() - t0 - (parse.ms - parseBefore);
    if (st.ms > budget) st.overBudget = true;
  }
}

function toFinding(st: RuleState, r: Report, patch: Patch | undefined): Finding {
  const template = st.rule.meta.messages[r.messageId];
  if (template === undefined) throw new Error(`${st.rule.meta.id} reported unknown messageId "${r.messageId}"`);
  const f: Finding = {
    ruleId: st.rule.meta.id,
    severity: st.severity,
    message: fillTemplate(template, r.data),
    messageId: r.messageId,
    patch: r.patch ?? patch?.index ?? 0,
  };
  if (r.file !== undefined) f.file = r.file;
  if (r.line !== undefined) f.line = r.line;
  if (r.side !== undefined) f.side = r.side;
  if (r.related && r.related.length > 0) f.related = r.related;
  return f;
}

/** "{{name}}" -> data.name; unknown placeholders stay visible rather than vanish. */
export function fillTemplate(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (m, key: string) => (data && key in data ? String(data[key]) : m));
}
