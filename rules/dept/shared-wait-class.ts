import { defineRule } from '../engine/define-rule.ts';
import type { CallFact, FunctionFacts } from '../engine/types.ts';
import type { Series } from '../../bot/model.ts';
import { baseOf, escapeRe, memberOf, normExpr, paramNames } from '../engine/analysis/c-expr.ts';
import { codeOnly, isCFile, seriesPostImage } from '../engine/analysis/hunk-text.ts';
import { WAIT_MACROS, isDeptImplementation } from '../engine/analysis/dept-primitives.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

type MessageId = 'sharedHelper' | 'mapOnStack' | 'mapUninitialised';

interface SeriesText {
  code: Array<{ text: string; added: boolean; file: string }>;
}

function seriesText(series: Series): SeriesText {
  const lines = [...seriesPostImage(series)].filter((l) => isCFile(l.file));
  const code = codeOnly(lines.map((l) => l.text));
  return { code: lines.map((l, i) => ({ text: code[i] ?? '', added: l.added, file: l.file })) };
}

/** The parameter a wait's object comes straight from, when it is a completion or fence pointer. */
function waitedParam(fn: FunctionFacts, call: CallFact): string | undefined {
  const obj = normExpr(call.args[0] ?? '').replace(/^\*/, '');
  for (const p of fn.params ?? []) {
    const [name] = paramNames([p]);
    if (name === obj && /struct\s+(?:completion|dma_fence)\s*\*/.test(p)) return name;
  }
  return undefined;
}

/** Why the helper is shared: exported, a header inline, or called from two or more places in the series. */
function sharedBy(fn: FunctionFacts, text: SeriesText): string | undefined {
  const name = fn.name ?? '';
  const esc = escapeRe(name);
  if (text.code.some((l) => new RegExp(`\\bEXPORT_SYMBOL\\w*\\s*\\(\\s*${esc}\\s*[,)]`).test(l.text))) return 'it is exported';
  if (fn.file.endsWith('.h')) return 'it is an inline in a header';
  const call = new RegExp(`(?<![\\w.>])${esc}\\s*\\(`);
  // Call sites, not the definition or a prototype (those name parameter types).
  const sites = text.code.filter((l) => call.test(l.text) && /;/.test(l.text) && !/\bstruct\s+\w+\s*\*/.test(l.text)).length;
  return sites >= 2 ? `${sites} call sites in this series use it` : undefined;
}

/** The dept_map members the series declares, and those it initialises somewhere. */
function declaredAndInitialisedMaps(text: SeriesText): { declared: Set<string>; initialised: Set<string> } {
  const declared = new Set<string>();
  const initialised = new Set<string>();
  for (const l of text.code) {
    const d = /^\s*struct\s+dept_map\s+(\w+)\s*;/.exec(l.text);
    if (d?.[1] && l.added) declared.add(d[1]);
    for (const m of l.text.matchAll(/\b(?:sdt_map_init\w*|dept_map_init|dept_map_reinit|dept_map_copy)\s*\(\s*&?[^,;)]*?(?:->|\.)(\w+)\s*[,)]/g)) {
      if (m[1]) initialised.add(m[1]);
    }
    for (const m of l.text.matchAll(/\.(\w+)\s*=\s*DEPT_MAP_INITIALIZER/g)) if (m[1]) initialised.add(m[1]);
  }
  return { declared, initialised };
}

/** A local that lives in this stack frame (not a pointer). */
function onStack(fn: FunctionFacts, expr: string): boolean {
  const decl = fn.locals[baseOf(expr)];
  return decl !== undefined && !decl.includes('*') && !/\bstatic\b/.test(decl);
}

function initialisedBefore(fn: FunctionFacts, map: string, line: number): boolean {
  return fn.facts.some(
    (f) => f.line < line && f.kind === 'call' && /^(?:sdt_map_init\w*|dept_map_init|dept_map_reinit|dept_map_copy)$/.test(f.callee) && normExpr(f.args[0] ?? '') === map,
  );
}

export default defineRule<MessageId>({
  meta: {
    id: 'dept/shared-wait-class',
    severity: 'warning',
    description: 'Wraps wait_for_completion*/dma_fence_wait* in a shared helper (one DEPT class for all callers), or gives init_completion_dmap() a stack or uninitialised map.',
    messages: {
      sharedHelper:
        'The helper {{func}} passes its caller\'s {{param}} to {{wait}}(), and {{why}}: DEPT gives a wait one class per call site, so every caller\'s wait collapses into this one class and dependencies of unrelated callers get merged (or hidden). Make the helper a macro, or call {{wait}}() at each call site.',
      mapOnStack:
        '`{{text}}` attaches {{map}}, which lives on {{func}}\'s stack, to {{completion}}, which outlives the frame; after the return the completion\'s waits read a dead dept_map. Embed the map next to the completion (or use init_completion()).',
      mapUninitialised:
        '`{{text}}` attaches {{map}} to {{completion}}, but the map is never initialised (no sdt_map_init()/sdt_map_init_key() on it in {{where}}); DEPT then uses a garbage class for every wait on the completion. Call sdt_map_init(&{{map}}) first.',
    },
    triggers: [...WAIT_MACROS, 'init_completion_dmap'],
    // A finding is at a call of one of these, judged from its own function and the series text.
    reads: [...WAIT_MACROS, 'init_completion_dmap'],
    scope: 'series',
  },
  check(ctx) {
    // The series text is read only once a candidate needs it (most series have none).
    let cached: { text: SeriesText; maps: ReturnType<typeof declaredAndInitialisedMaps> } | undefined;
    const lazy = (): NonNullable<typeof cached> => {
      if (!cached) {
        const text = seriesText(ctx.series);
        cached = { text, maps: declaredAndInitialisedMaps(text) };
      }
      return cached;
    };
    for (const fn of ctx.functions) {
      if (fn.image !== 'new' || fn.name === null || isDeptImplementation(fn.file)) continue;
      for (const f of fn.facts) {
        if (f.kind !== 'call' || !f.changed) continue;
        if (WAIT_MACROS.includes(f.callee)) {
          const param = waitedParam(fn, f);
          const why = param ? sharedBy(fn, lazy().text) : undefined;
          if (param && why) {
            ctx.report({ messageId: 'sharedHelper', patch: fn.patch, file: fn.file, line: f.line, data: { func: functionLabel(fn), param, wait: f.callee, why } });
          }
          continue;
        }
        if (f.callee !== 'init_completion_dmap') continue;
        const completion = normExpr(f.args[0] ?? '');
        const map = normExpr(f.args[1] ?? '');
        if (!map || map === 'NULL') continue;
        const data = { text: f.text, map, completion, func: functionLabel(fn), where: functionLabel(fn) };
        if (onStack(fn, map)) {
          if (!onStack(fn, completion)) ctx.report({ messageId: 'mapOnStack', patch: fn.patch, file: fn.file, line: f.line, data });
          else if (!initialisedBefore(fn, map, f.line)) ctx.report({ messageId: 'mapUninitialised', patch: fn.patch, file: fn.file, line: f.line, data });
          continue;
        }
        const member = memberOf(map);
        const { maps } = lazy();
        if (member && maps.declared.has(member) && !maps.initialised.has(member)) {
          ctx.report({ messageId: 'mapUninitialised', patch: fn.patch, file: fn.file, line: f.line, data: { ...data, where: 'this series' } });
        }
      }
    }
  },
});
