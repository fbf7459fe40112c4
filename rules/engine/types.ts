// The rule API and the C facts that rules read. ESLint is the model: a rule is meta + check, and
// reports through its context; it never sees reporters, sources or state.
import type { Patch, Series } from '../../bot/model.ts';

export type Severity = 'error' | 'warning' | 'info';
export type SeverityOrOff = Severity | 'off';

export interface Location {
  /** Patch index in its series; 0 = the cover letter. */
  patch: number;
  file?: string;
  line?: number;
  side?: 'new' | 'old';
}

/** A related location, e.g. DEPT's [S] / [W] / [E] marks in a cycle report. */
export interface RelatedLocation extends Location {
  label: string;
}

export interface Finding extends Location {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The rule's message id that produced `message` (tests and tools match on it). */
  messageId?: string;
  related?: RelatedLocation[];
}

export interface RuleRunError {
  ruleId: string;
  kind: 'crash' | 'budget';
  message: string;
}

export interface RuleMeta<M extends string = string> {
  /** "<area>/<name>", equal to the file path under rules/. */
  id: string;
  severity: Severity;
  /** One line, shown by `deptbot rules`. */
  description: string;
  /** Message templates; `{{name}}` placeholders are filled from report data. */
  messages: Record<M, string>;
  /**
   * Identifiers whose presence in a patch can make this rule fire. The engine skips C parsing for
   * patches that mention none of any enabled rule's triggers. Empty = always run.
   */
  triggers: string[];
  /** 'patch' rules see one patch at a time; 'series' rules see the whole series at once. */
  scope: 'patch' | 'series';
  /**
   * Rule ids this rule is more specific than: when both report the same problem at the same
   * place, the runner keeps this rule's finding only ("one problem, one finding").
   */
  supersedes?: string[];
  /**
   * Identifiers without which the rule cannot report (any one suffices; a trailing `*` matches a
   * prefix: `wait_event*`). Unlike `triggers`, which say what makes a patch relevant, these are
   * necessary: a series (series scope) or patch (patch scope) mentioning none of them is skipped,
   * and its C is not parsed for this rule. Omitted = no requirement.
   */
  requires?: string[];
  /**
   * Identifiers (a trailing `*` matches a prefix) one of which a function must mention for this
   * rule to read its facts: `ctx.functions` then lists only the functions whose text (rows, name
   * and hunk header) mentions one, and a function that no enabled rule reads is never parsed.
   * Declare it only when the rule's reports cannot depend on any other function. Omitted = the
   * rule reads every function.
   */
  reads?: string[];
}

export interface Report<M extends string = string> extends Location {
  messageId: M;
  data?: Record<string, string | number>;
  related?: RelatedLocation[];
}

export interface RuleContext<M extends string = string> {
  series: Series;
  /** For 'patch' rules: the patch being checked. For 'series' rules: undefined. */
  patch?: Patch;
  /** C facts of the patch (patch scope) or of every patch (series scope), grouped by function. */
  functions: FunctionFacts[];
  /**
   * Every function named `name` in the same patches as `functions`, in the same order, whether or
   * not it mentions a `meta.reads` word: for the rare lookup of another version of a function (its
   * pre-image, a later patch's copy, a work item named elsewhere). Parses only functions of that name.
   */
  functionsNamed(name: string): FunctionFacts[];
  /** True when whole functions come from an applied kernel tree (--tree), not from hunks. */
  wholeFunctions: boolean;
  report(r: Report<M>): void;
}

export interface Rule<M extends string = string> {
  meta: RuleMeta<M>;
  check(ctx: RuleContext<M>): void;
}

// ---------------------------------------------------------------------------------------------
// C facts. Extracted by rules/engine/facts from each hunk's post-image (image 'new') and
// pre-image (image 'old'), in source order. A hunk that starts inside a function has an unknown
// prefix: rules must treat the lock state before the first visible line as unknown, never as
// "nothing held".

export type LockFamily =
  | 'spin' // spin_lock*, raw_spin_lock* (atomic)
  | 'rwlock' // read_lock*/write_lock* (atomic)
  | 'mutex'
  | 'rwsem' // down_read/down_write*
  | 'resv' // dma_resv_lock*, ww_mutex on a resv
  | 'irq' // local_irq_disable/save (atomic)
  | 'preempt' // preempt_disable (atomic)
  | 'rcu' // rcu_read_lock (atomic for sleeping purposes)
  | 'bh' // local_bh_disable, spin_lock_bh (atomic)
  | 'other';

interface FactBase {
  /** Line number in the image the fact comes from (new-side for 'new', old-side for 'old'). */
  line: number;
  /** True when the line is added ('+') in the post-image or deleted ('-') in the pre-image. */
  changed: boolean;
  /** Brace depth relative to the function body (0 = top level of the function or hunk). */
  depth: number;
  /** Texts of the enclosing if/else/loop conditions, outermost first; "!(cond)" for else. */
  conditions: string[];
  /** The source text of the statement, trimmed, for messages. */
  text: string;
}

export interface CallFact extends FactBase {
  kind: 'call';
  callee: string;
  /** Argument texts, whitespace-normalised. */
  args: string[];
  /** Left-hand side when the call's result is assigned: `ret = f()` -> "ret". */
  assignedTo?: string;
  /** True when the call is the value of a return statement. */
  returned?: boolean;
}

export interface LockFact extends FactBase {
  kind: 'lock';
  op: 'acquire' | 'release';
  family: LockFamily;
  /** Normalised lock expression: "&dev->lock" -> "dev->lock"; "buf->resv" for dma_resv_lock. */
  target: string;
  /** The call or macro, e.g. "spin_lock_irqsave", "guard(mutex)". */
  primitive: string;
  /** True for *_trylock; the acquisition is conditional. */
  trylock?: boolean;
  /** For guard()/scoped_guard(): the line where the scope ends (the lock is released there). */
  scopeEndLine?: number;
  /** True when holding it forbids sleeping (spin, rwlock, irq, preempt, bh, rcu). */
  atomic: boolean;
}

export interface WaitFact extends FactBase {
  kind: 'wait';
  /** e.g. "wait_for_completion_timeout", "dma_fence_wait", "folio_lock", "schedule". */
  primitive: string;
  /** What is waited on, normalised: "p->unmapped", "fence", "folio". Empty when unknown. */
  target: string;
  /** 'none' = unbounded, 'finite' = a timeout that is not MAX_SCHEDULE_TIMEOUT, 'unknown'. */
  timeout: 'none' | 'finite' | 'unknown';
  assignedTo?: string;
}

export interface EventFact extends FactBase {
  kind: 'event';
  /** e.g. "complete", "complete_all", "wake_up", "dma_fence_signal", "folio_unlock". */
  primitive: string;
  target: string;
}

export interface AssignFact extends FactBase {
  kind: 'assign';
  lhs: string;
  /** "=", "|=", "&=", "+=", ... */
  op: string;
  rhs: string;
}

export interface GotoFact extends FactBase {
  kind: 'goto';
  label: string;
}

export interface LabelFact extends FactBase {
  kind: 'label';
  name: string;
}

export interface ReturnFact extends FactBase {
  kind: 'return';
  /** Returned expression text, or '' for a bare return. */
  value: string;
}

/** Code that is not visible (between two hunks of one function): state after it is unknown. */
export interface GapFact extends FactBase {
  kind: 'gap';
}

export type Fact =
  | CallFact
  | LockFact
  | WaitFact
  | EventFact
  | AssignFact
  | GotoFact
  | LabelFact
  | ReturnFact
  | GapFact;

export interface FunctionFacts {
  /** Function name from the code or the hunk header; null for file-scope code. */
  name: string | null;
  /** Parameter declarations when the signature is visible, e.g. ["struct dma_buf *dmabuf"]. */
  params?: string[];
  /** Return type text when the signature is visible. */
  returnType?: string;
  patch: number;
  file: string;
  image: 'new' | 'old';
  /** True when the function's opening brace is visible, so nothing before the first fact is hidden. */
  prefixKnown: boolean;
  /** True when the closing brace is visible. */
  suffixKnown: boolean;
  facts: Fact[];
  /** Local variable declarations seen, name -> declaration text ("struct completion done"). */
  locals: Record<string, string>;
}
