// Completions and waitqueues that a series itself introduces (an added declaration that is not a
// moved old one), and how the series' post-image mentions them. Only for these is "nothing in the
// series signals it" evidence: an older object may be signalled by unchanged code the series never
// shows. Fences are left out: ops->signaled() can end a fence wait without any dma_fence_signal().
import type { FileChange, Hunk, Patch, Series } from '../../../bot/model.ts';
import { escapeRe } from './c-expr.ts';
import { codeOnly, hunkPostImage, isCFile } from './hunk-text.ts';
import type { PostImageLine } from './hunk-text.ts';

export type WaitObjectKind = 'completion' | 'waitqueue';

export interface Introduced {
  name: string;
  kind: WaitObjectKind;
  decl: PostImageLine;
}

export type MentionRole = 'decl' | 'init' | 'wait' | 'query' | 'other';

export interface Mention {
  name: string;
  role: MentionRole;
  line: PostImageLine;
}

const DECL_PATTERNS: Array<{ kind: WaitObjectKind; re: RegExp }> = [
  { kind: 'completion', re: /\bstruct\s+completion\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*;/ },
  { kind: 'completion', re: /\bDECLARE_COMPLETION(?:_ONSTACK)?(?:_MAP)?\s*\(\s*([A-Za-z_]\w*)/ },
  { kind: 'waitqueue', re: /\b(?:wait_queue_head_t|struct\s+wait_queue_head)\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*;/ },
  { kind: 'waitqueue', re: /\bDECLARE_WAIT_QUEUE_HEAD(?:_ONSTACK)?\s*\(\s*([A-Za-z_]\w*)/ },
];

/** Text every declaration DECL_PATTERNS match contains: lines without any are skipped unread. */
const DECL_WORDS = ['completion', 'COMPLETION', 'wait_queue_head', 'WAIT_QUEUE_HEAD'];

function mayHoldDecl(text: string): boolean {
  return DECL_WORDS.some((w) => text.includes(w));
}

function declaredNames(code: string): Array<{ name: string; kind: WaitObjectKind }> {
  const out: Array<{ name: string; kind: WaitObjectKind }> = [];
  if (!mayHoldDecl(code)) return out;
  for (const { kind, re } of DECL_PATTERNS) {
    const m = re.exec(code);
    if (m?.[1]) for (const n of m[1].split(',')) out.push({ name: n.trim(), kind });
  }
  return out;
}

/**
 * One post-image hunk of a C file of the series. Its lines and their code-only text (comments and
 * strings blanked) are built on first need: most hunks of a large series name no introduced object,
 * and code-only text only blanks characters, so a hunk whose raw text lacks a word lacks it in code.
 */
export class CodeHunk {
  private built?: Array<{ line: PostImageLine; code: string }>;

  constructor(
    private readonly patch: Patch,
    private readonly file: FileChange,
    private readonly hunk: Hunk,
  ) {}

  /** True when an added or context line contains `text` as written. */
  mentions(text: string): boolean {
    return this.hunk.lines.some((l) => l.type !== 'del' && l.newLine !== undefined && l.text.includes(text));
  }

  /** True when one of its lines could hold a completion or waitqueue declaration. */
  mayDeclare(): boolean {
    return this.hunk.lines.some((l) => l.type !== 'del' && l.newLine !== undefined && mayHoldDecl(l.text));
  }

  lines(): ReadonlyArray<{ line: PostImageLine; code: string }> {
    if (!this.built) {
      const lines = [...hunkPostImage(this.patch, this.file, this.hunk)];
      const code = codeOnly(lines.map((l) => l.text));
      this.built = lines.map((line, i) => ({ line, code: code[i] ?? '' }));
    }
    return this.built;
  }
}

/** The post-image hunks of the C files of a series, in order; their text is read on first need. */
export function seriesCode(series: Series): CodeHunk[] {
  const out: CodeHunk[] = [];
  for (const patch of series.patches) {
    for (const file of patch.files) {
      if (!isCFile(file.path) || file.status === 'deleted') continue;
      for (const hunk of file.hunks) out.push(new CodeHunk(patch, file, hunk));
    }
  }
  return out;
}

/** Declarations the series adds, minus those that also appear on a deleted line (moved code). */
export function introducedObjects(series: Series, code: readonly CodeHunk[]): Map<string, Introduced> {
  const removed = new Set<string>();
  for (const patch of series.patches) {
    for (const file of patch.files) {
      for (const h of file.hunks) for (const l of h.lines) if (l.type === 'del') for (const d of declaredNames(l.text)) removed.add(d.name);
    }
  }
  const out = new Map<string, Introduced>();
  for (const hunk of code) {
    if (!hunk.mayDeclare()) continue;
    for (const { line, code: c } of hunk.lines()) {
      if (!line.added) continue;
      for (const d of declaredNames(c)) if (!removed.has(d.name) && !out.has(d.name)) out.set(d.name, { ...d, decl: line });
    }
  }
  return out;
}

/** The first argument of a call names the object: `f(&x->name, ...)`, `f(x->name, ...)`, `f(name)`. */
const firstArgIs = (callees: string, name: string): RegExp =>
  new RegExp(`\\b(?:${callees})\\s*\\(\\s*&?\\s*(?:[A-Za-z_]\\w*(?:\\[[^\\]]*\\])?\\s*(?:->|\\.)\\s*)*${escapeRe(name)}\\s*[,)]`);

const INIT = 'init_completion|reinit_completion|init_completion_dmap|init_waitqueue_head';
const WAIT = 'wait_for_completion\\w*|wait_event\\w*|io_wait_event';
const QUERY = 'completion_done|try_wait_for_completion|waitqueue_active|wq_has_sleeper';

/** How one line uses `name`: declared, initialised, waited on, queried, or anything else. */
export function roleOf(code: string, name: string, kind: WaitObjectKind): MentionRole {
  // Two uses on one line (`init_completion(&x); complete(&x);`): no single role, so "other".
  if ((code.match(new RegExp(`(?<![\\w])${escapeRe(name)}(?!\\w)`, 'g')) ?? []).length > 1) return 'other';
  if (declaredNames(code).some((d) => d.name === name && d.kind === kind)) return 'decl';
  if (firstArgIs(INIT, name).test(code)) return 'init';
  if (firstArgIs(WAIT, name).test(code)) return 'wait';
  if (firstArgIs(QUERY, name).test(code)) return 'query';
  return 'other';
}

/** Every line of the series' post-image that names `name` as an identifier. */
export function mentionsOf(code: readonly CodeHunk[], obj: Introduced): Mention[] {
  const word = new RegExp(`(?<![\\w])${escapeRe(obj.name)}(?!\\w)`);
  const out: Mention[] = [];
  for (const hunk of code) {
    if (!hunk.mentions(obj.name)) continue;
    for (const { line, code: c } of hunk.lines()) {
      if (!word.test(c)) continue;
      out.push({ name: obj.name, role: roleOf(c, obj.name, obj.kind), line });
    }
  }
  return out;
}

/** True when a later patch of the series deletes this line's text from the same file again. */
export function removedLater(series: Series, line: PostImageLine): boolean {
  const text = line.text.trim();
  return series.patches.some(
    (p) => p.index > line.patch && p.files.some((f) => f.path === line.file && f.hunks.some((h) => h.lines.some((l) => l.type === 'del' && l.text.trim() === text))),
  );
}

const ANY_DECL = /\bstruct\s+completion\s+\w|\bDECLARE_COMPLETION|\bwait_queue_head_t\s+\w|\bstruct\s+wait_queue_head\s+\w|\bDECLARE_WAIT_QUEUE_HEAD/;

/** Cheap pre-check: does any added line of the series look like a completion/waitqueue declaration? */
export function mayIntroduce(series: Series): boolean {
  return series.patches.some((p) => p.files.some((f) => f.hunks.some((h) => h.lines.some((l) => l.type === 'add' && ANY_DECL.test(l.text)))));
}
