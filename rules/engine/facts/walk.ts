// Walks the tree-sitter tree of one region and emits facts in source order with their enclosing
// conditions, brace depth and statement text.
import type { Node } from 'web-tree-sitter';
import type { CallFact, Fact, LockFact } from '../types.ts';
import { classifyCallee, classifyTimeout, guardFamily, guardTarget, isAtomicFamily } from './classify.ts';
import { lexicalCalls } from './lexical-calls.ts';
import { normCode, normTarget, splitArgs, stmtText, stripOuterParens } from './text.ts';

/** Maps region rows to file lines and changed flags. */
export interface RowMap {
  line(row: number): number;
  /** True when any row in [from, to] is changed. */
  changedIn(from: number, to: number): boolean;
  /** False for rows the extractor synthesised (closing braces of a cut-off hunk). */
  isReal(row: number): boolean;
}

interface Ctx {
  conds: string[];
  compounds: number;
  /** The statement, as text or as the node whose text is taken only when a fact needs it. */
  stmt: string | Node;
  assignedTo?: string;
  returned?: boolean;
  /** Row of the closing brace of the innermost block, when it is real (not synthesised). */
  blockEnd?: number;
}

const STATEMENTS = new Set(['expression_statement', 'declaration', 'return_statement', 'goto_statement', 'break_statement', 'continue_statement']);
const LOOP_MACRO = /for_each|_foreach\b|^for_/;
const DECL_MACRO = /^(DECLARE|DEFINE)_[A-Z0-9_]+$/;
/**
 * Deepest syntax-tree nesting walked. Kernel code stays far below it (40 levels at most in the
 * corpus and the whole list archive); a hostile line of 100k "{" or "x = " would otherwise
 * exhaust the stack, since every level is a few recursive calls.
 */
const MAX_LEVEL = 128;

export class RegionWalker {
  readonly facts: Fact[] = [];
  readonly locals: Record<string, string> = {};

  constructor(
    private readonly rows: RowMap,
    /** Compound statements that do not count for depth (the synthetic function body). */
    private readonly depthBase: number,
    private readonly inFunction: boolean,
  ) {}

  run(root: Node): void {
    this.walk(root, { conds: [], compounds: 0, stmt: '' });
  }

  private realEnd(block: Node): number | undefined {
    const end = endRow(block);
    return block.lastChild?.isMissing || !this.rows.isReal(end) ? undefined : end;
  }

  private base(ctx: Ctx, startRow: number, endRow: number): Omit<CallFact, 'kind' | 'callee' | 'args'> {
    return {
      line: this.rows.line(startRow),
      changed: this.rows.changedIn(startRow, endRow),
      depth: Math.max(0, ctx.compounds - this.depthBase),
      conditions: ctx.conds,
      text: typeof ctx.stmt === 'string' ? ctx.stmt : this.textOf(ctx.stmt),
    };
  }

  private lastStmt: Node | null = null;
  private lastText = '';
  private textOf(n: Node): string {
    if (this.lastStmt?.id !== n.id) {
      this.lastStmt = n;
      this.lastText = stmtText(n.text);
    }
    return this.lastText;
  }

  /** Syntax-tree levels the walk is in; deeper code becomes a gap instead of a deeper recursion. */
  private level = 0;

  private walk(node: Node, ctx: Ctx): void {
    if (this.level >= MAX_LEVEL) {
      this.gap(node, ctx);
      return;
    }
    this.level++;
    try {
      this.visit(node, ctx);
    } finally {
      this.level--;
    }
  }

  /** Code nested too deep to walk: nothing is known after its start (one gap per run of such code). */
  private gap(node: Node, ctx: Ctx): void {
    if (this.facts[this.facts.length - 1]?.kind === 'gap') return;
    this.facts.push({ kind: 'gap', ...this.base({ ...ctx, stmt: '' }, row(node), endRow(node)) });
  }

  private visit(node: Node, ctx: Ctx): void {
    const t = node.type;
    if (STATEMENTS.has(t) || t === 'labeled_statement') ctx = { ...ctx, stmt: node, assignedTo: undefined, returned: undefined };
    switch (t) {
      case 'translation_unit':
      case 'ERROR':
        this.walkList(named(node), ctx);
        return;
      case 'compound_statement':
        this.walkList(named(node), { ...ctx, compounds: ctx.compounds + 1, assignedTo: undefined, returned: undefined, blockEnd: this.realEnd(node) });
        return;
      case 'call_expression':
        this.call(node, ctx);
        return;
      case 'if_statement':
        this.ifStatement(node, ctx);
        return;
      case 'while_statement':
      case 'do_statement':
        this.loop(node, ctx, t === 'while_statement' ? 'while' : 'do-while');
        return;
      case 'for_statement':
        this.forLoop(node, ctx);
        return;
      case 'switch_statement':
        this.switchStatement(node, ctx);
        return;
      case 'case_statement':
        this.caseStatement(node, ctx);
        return;
      case 'labeled_statement': {
        const label = node.childForFieldName('label');
        if (label) this.facts.push({ kind: 'label', name: label.text, ...this.base(ctx, row(label), row(label)), text: `${label.text}:` });
        for (const c of named(node)) if (c.type !== 'statement_identifier') this.walk(c, ctx);
        return;
      }
      case 'goto_statement': {
        const label = node.childForFieldName('label');
        this.facts.push({ kind: 'goto', label: label?.text ?? '', ...this.base(ctx, row(node), endRow(node)) });
        return;
      }
      case 'return_statement': {
        const value = named(node)[0];
        if (value) this.walk(value, { ...ctx, returned: true });
        this.facts.push({ kind: 'return', value: value ? normCode(value.text) : '', ...this.base(ctx, row(node), endRow(node)) });
        return;
      }
      case 'declaration':
        this.declaration(node, ctx);
        return;
      case 'macro_type_specifier':
        this.lexical(node, ctx);
        return;
      case 'assignment_expression':
        this.assignment(node, ctx);
        return;
      case 'update_expression': {
        const arg = node.childForFieldName('argument');
        const op = node.childForFieldName('operator')?.text ?? (node.text.includes('++') ? '++' : '--');
        this.facts.push({ kind: 'assign', lhs: normCode(arg?.text ?? ''), op, rhs: '', ...this.base(ctx, row(node), endRow(node)) });
        return;
      }
      case 'initializer_pair': {
        const designator = node.childForFieldName('designator') ?? named(node)[0];
        const value = node.childForFieldName('value');
        if (value) this.walk(value, ctx);
        this.facts.push({ kind: 'assign', lhs: normCode(designator?.text ?? ''), op: '=', rhs: normCode(value?.text ?? ''), ...this.base(ctx, row(node), endRow(node)) });
        return;
      }
      case 'parenthesized_expression':
      case 'cast_expression':
        // The value of `(x)` or `(long)x` is still the assigned/returned value.
        for (const c of named(node)) this.walk(c, c.type === 'type_descriptor' ? ctx : ctx);
        return;
      case 'string_literal':
      case 'concatenated_string':
      case 'char_literal':
      case 'comment':
      case 'number_literal':
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
      case 'primitive_type':
        return;
      default:
        for (const c of named(node)) this.walk(c, { ...ctx, assignedTo: undefined, returned: undefined });
    }
  }

  /** A statement list; `macro(...) { ... }` and `scoped_guard(...) stmt` take the next statement as body. */
  private walkList(children: Node[], ctx: Ctx): void {
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      if (!c) continue;
      const call = macroHeaderCall(c);
      const body = children[i + 1];
      if (!call || !body || body.type === 'ERROR') {
        this.walk(c, ctx);
        continue;
      }
      const callee = call.childForFieldName('function')?.text ?? '';
      if (callee === 'scoped_guard' || callee === 'scoped_cond_guard') {
        const first = this.facts.length;
        this.walk(c, { ...ctx, stmt: stmtText(c.text) });
        const lockFact = this.facts.slice(first).find((f) => f.kind === 'lock');
        const end = endRow(body);
        if (lockFact?.kind === 'lock') {
          if (this.rows.isReal(end)) lockFact.scopeEndLine = this.rows.line(end);
          else delete lockFact.scopeEndLine;
        }
        this.walk(body, ctx);
        i++;
      } else if (LOOP_MACRO.test(callee)) {
        this.walk(c, { ...ctx, stmt: stmtText(c.text) });
        this.walk(body, { ...ctx, conds: [...ctx.conds, normCode(call.text)] });
        i++;
      } else {
        this.walk(c, ctx);
      }
    }
  }

  private call(node: Node, ctx: Ctx): void {
    const fn = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    let callee = normCode(fn?.text ?? '');
    let walkCallee = fn !== null;
    if (fn?.type === 'call_expression' && fn.childForFieldName('function')?.text === 'guard') {
      callee = `guard(${normCode(fn.childForFieldName('arguments')?.text.slice(1, -1) ?? '')})`;
      walkCallee = false;
    }
    const args = argsNode ? splitArgs(argsNode.text) : [];
    this.emitCall(callee, args, ctx, row(node), endRow(node));
    const inner: Ctx = { ...ctx, assignedTo: undefined, returned: undefined };
    if (walkCallee && fn && fn.type !== 'identifier') this.walk(fn, inner);
    if (argsNode) for (const a of named(argsNode)) this.walk(a, inner);
  }

  /** Emits the CallFact and, for lock/wait/event primitives, the classified fact right after it. */
  private emitCall(callee: string, args: string[], ctx: Ctx, from: number, to: number): void {
    const b = this.base(ctx, from, to);
    const cf: CallFact = { kind: 'call', callee, args, ...b };
    if (ctx.assignedTo !== undefined) cf.assignedTo = ctx.assignedTo;
    if (ctx.returned) cf.returned = true;
    this.facts.push(cf);
    if (this.inFunction && DECL_MACRO.test(callee) && args[0] && /^[A-Za-z_]\w*$/.test(args[0])) {
      this.locals[args[0]] = `${callee}(${args.join(', ')})`;
    }
    const guard = /^guard\((.*)\)$/.exec(callee);
    if (guard || callee === 'scoped_guard' || callee === 'scoped_cond_guard') {
      const cls = guard ? (guard[1] ?? '') : (args[0] ?? '');
      const { family, trylock } = guardFamily(cls);
      const targetArg = guard ? args[0] : args[args.length - 1];
      const fact: LockFact = { kind: 'lock', op: 'acquire', family, target: guardTarget(family, targetArg), primitive: guard ? callee : `${callee}(${cls})`, atomic: isAtomicFamily(family), ...b };
      if (trylock) fact.trylock = true;
      if (guard && ctx.blockEnd !== undefined) fact.scopeEndLine = this.rows.line(ctx.blockEnd);
      this.facts.push(fact);
      return;
    }
    const k = classifyCallee(callee);
    if (!k) return;
    if (k.kind === 'lock') {
      let family = k.family;
      const target = k.fixedTarget ?? normTarget(args[0]);
      if (callee.startsWith('ww_mutex') && /resv/.test(target)) family = 'resv';
      this.facts.push({ kind: 'lock', op: k.op, family, target, primitive: callee, atomic: isAtomicFamily(family), ...(k.trylock ? { trylock: true } : {}), ...b });
    } else if (k.kind === 'wait') {
      const timeout = k.timeoutArg !== undefined ? classifyTimeout(args[k.timeoutArg]) : (k.bound ?? 'unknown');
      const target = k.targetArg < 0 ? '' : normTarget(args[k.targetArg]);
      this.facts.push({ kind: 'wait', primitive: callee, target, timeout, ...(ctx.assignedTo !== undefined ? { assignedTo: ctx.assignedTo } : {}), ...b });
    } else {
      this.facts.push({ kind: 'event', primitive: callee, target: normTarget(args[k.targetArg]), ...b });
    }
  }

  private ifStatement(node: Node, ctx: Ctx): void {
    const cond = node.childForFieldName('condition');
    const c = condText(cond);
    if (cond) this.walk(cond, { ...ctx, stmt: `if (${c})` });
    const cons = node.childForFieldName('consequence');
    if (cons) this.walk(cons, { ...ctx, conds: [...ctx.conds, c] });
    const alt = node.childForFieldName('alternative');
    if (alt) for (const a of named(alt)) this.walk(a, { ...ctx, conds: [...ctx.conds, `!(${c})`] });
  }

  private loop(node: Node, ctx: Ctx, word: 'while' | 'do-while'): void {
    const cond = node.childForFieldName('condition');
    const header = `${word} (${condText(cond)})`;
    const body = node.childForFieldName('body');
    if (word === 'while' && cond) this.walk(cond, { ...ctx, stmt: header });
    if (body) this.walk(body, { ...ctx, conds: [...ctx.conds, header] });
    if (word === 'do-while' && cond) this.walk(cond, { ...ctx, stmt: header });
  }

  private forLoop(node: Node, ctx: Ctx): void {
    const part = (f: string): string => normCode(node.childForFieldName(f)?.text ?? '').replace(/;$/, '');
    const header = `for (${part('initializer')}; ${part('condition')}; ${part('update')})`;
    const body = node.childForFieldName('body');
    for (const c of named(node)) if (c !== body && c.id !== body?.id) this.walk(c, { ...ctx, stmt: header });
    if (body) this.walk(body, { ...ctx, conds: [...ctx.conds, header] });
  }

  private switchStatement(node: Node, ctx: Ctx): void {
    const cond = node.childForFieldName('condition');
    const c = condText(cond);
    if (cond) this.walk(cond, { ...ctx, stmt: `switch (${c})` });
    const body = node.childForFieldName('body');
    if (body) this.walk(body, { ...ctx, stmt: `switch (${c})` });
  }

  private caseStatement(node: Node, ctx: Ctx): void {
    const value = node.childForFieldName('value');
    const label = value ? `case ${normCode(value.text)}` : 'default';
    const inner = { ...ctx, conds: [...ctx.conds, label] };
    this.walkList(
      named(node).filter((c) => c.id !== value?.id),
      inner,
    );
  }

  private assignment(node: Node, ctx: Ctx): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const op = node.childForFieldName('operator')?.text ?? '=';
    const lhs = normCode(left?.text ?? '');
    if (left && left.type !== 'identifier') this.walk(left, { ...ctx, assignedTo: undefined, returned: undefined });
    if (right) this.walk(right, { ...ctx, assignedTo: lhs, returned: undefined });
    this.facts.push({ kind: 'assign', lhs, op, rhs: normCode(right?.text ?? ''), ...this.base(ctx, row(node), endRow(node)) });
  }

  private declaration(node: Node, ctx: Ctx): void {
    const declarators = node.childrenForFieldName('declarator').filter((d): d is Node => d !== null);
    // `foo(container_of(p, struct q, r));` reads as a declaration of a function; it is a call.
    if (this.inFunction && /^[A-Za-z_]\w*\s*\(/.test(node.text) && declarators.some((d) => /function_declarator|parenthesized_declarator/.test(d.type))) {
      this.lexical(node, ctx);
      return;
    }
    const typeParts: string[] = [];
    for (const c of named(node)) {
      if (declarators.some((d) => d.id === c.id)) break;
      typeParts.push(normCode(c.text));
    }
    const typeText = typeParts.join(' ');
    for (const d of declarators) {
      const isInit = d.type === 'init_declarator';
      const decl = isInit ? d.childForFieldName('declarator') : d;
      const name = /[A-Za-z_]\w*/.exec((decl?.text ?? '').replace(/^[\s*(]+/, ''))?.[0];
      if (!name) continue;
      if (this.inFunction) this.locals[name] = `${typeText} ${normCode(decl?.text ?? '')}`.trim();
      const value = isInit ? d.childForFieldName('value') : null;
      if (value) {
        this.walk(value, { ...ctx, assignedTo: name, returned: undefined });
        this.facts.push({ kind: 'assign', lhs: name, op: '=', rhs: normCode(value.text), ...this.base(ctx, row(d), endRow(d)) });
      }
    }
  }

  private lexical(node: Node, ctx: Ctx): void {
    const start = row(node);
    const inner = node.type === 'macro_type_specifier' ? { ...ctx, stmt: node } : ctx;
    for (const c of lexicalCalls(node.text)) this.emitCall(c.callee, c.args, inner, start + c.row, start + c.row);
  }
}

function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null);
}
const row = (n: Node): number => n.startPosition.row;
const endRow = (n: Node): number => n.endPosition.row;

function condText(cond: Node | null): string {
  return cond ? stripOuterParens(normCode(cond.text)) : '';
}

/** `list_for_each_entry(...)` or `scoped_guard(...)` used as a statement head: no ';' follows it. */
function macroHeaderCall(n: Node): Node | null {
  if (n.type !== 'expression_statement') return null;
  const last = n.lastChild;
  if (!last || !(last.isMissing || last.text === '')) return null;
  const first = n.namedChildren[0];
  return first?.type === 'call_expression' ? first : null;
}
