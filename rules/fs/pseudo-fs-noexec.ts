// Since "anon_inode: rework assertions", mmap of an inode from alloc_anon_inode() on a superblock
// without SB_I_NOEXEC warns in path_noexec(); a pseudo filesystem must mark its superblock
// SB_I_NOEXEC | SB_I_NODEV in init_fs_context (dma-buf's "set SB_I_NOEXEC and SB_I_NODEV" fix).
import { defineRule } from '../engine/define-rule.ts';
import type { CallFact, FunctionFacts } from '../engine/types.ts';
import { deletedTexts, seriesPostImage } from '../engine/analysis/hunk-text.ts';
import { postLineText } from '../engine/analysis/hunk-line-context.ts';
import { functionLabel } from '../engine/analysis/function-label.ts';

const FLAGS = ['SB_I_NOEXEC', 'SB_I_NODEV'] as const;

const squash = (s: string): string => s.replace(/\s+/g, '');

/** Files of the series whose post-image visibly allocates anonymous inodes. */
function anonInodeFiles(lines: Iterable<{ file: string; text: string }>): Set<string> {
  const out = new Set<string>();
  for (const l of lines) if (/\balloc_anon_inode\s*\(/.test(l.text)) out.add(l.file);
  return out;
}

/** Flags the function visibly sets on the fs_context or superblock (`fc->s_iflags |= ...`). */
function flagsSet(fn: FunctionFacts): Set<string> {
  const out = new Set<string>();
  for (const f of fn.facts) {
    const text = f.kind === 'assign' && /s_iflags$/.test(f.lhs) ? f.rhs : f.kind === 'call' ? f.args.join(' ') : '';
    for (const flag of FLAGS) if (new RegExp(`\\b${flag}\\b`).test(text)) out.add(flag);
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'fs/pseudo-fs-noexec',
    severity: 'warning',
    description: 'Builds a pseudo filesystem for alloc_anon_inode() inodes without SB_I_NOEXEC and SB_I_NODEV',
    messages: {
      missingFlags:
        '{{fn}} sets up a pseudo filesystem with init_pseudo() whose inodes come from alloc_anon_inode(), but does not set {{missing}} on the fs_context: mmap of such a file then warns in path_noexec() (anon_inode assertions) and device nodes are not refused. Add `fc->s_iflags |= SB_I_NOEXEC | SB_I_NODEV;` after init_pseudo().',
    },
    triggers: ['init_pseudo'],
    // A finding is at an init_pseudo() call, judged from its own function and the series text.
    reads: ['init_pseudo'],
    scope: 'series',
  },
  check(ctx) {
    const anon = anonInodeFiles(seriesPostImage(ctx.series));
    for (const fn of ctx.functions) {
      // The whole function must be visible: a flag set in hidden lines is not "missing".
      if (fn.image !== 'new' || !fn.prefixKnown || !fn.suffixKnown || !anon.has(fn.file)) continue;
      const init = fn.facts.find((f): f is CallFact => f.kind === 'call' && f.callee === 'init_pseudo' && f.changed);
      if (!init) continue;
      // Code that only moves within the file (the same init_pseudo() line deleted elsewhere) is not new.
      const patch = ctx.series.patches.find((p) => p.index === fn.patch);
      const text = squash(postLineText(patch, fn.file, init.line) ?? '');
      const file = patch?.files.find((f) => f.path === fn.file);
      if (file && deletedTexts(file).some((d) => squash(d) === text)) continue;
      const set = flagsSet(fn);
      const missing = FLAGS.filter((f) => !set.has(f));
      if (missing.length === 0) continue;
      ctx.report({
        patch: fn.patch,
        file: fn.file,
        line: init.line,
        side: 'new',
        messageId: 'missingFlags',
        data: { fn: functionLabel(fn, { start: true }), missing: missing.join(' and ') },
      });
    }
  },
});
