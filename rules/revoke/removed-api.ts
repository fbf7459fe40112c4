// revoke/removed-api: the revoke series renamed .move_notify / dma_buf_move_notify() and dropped
// CONFIG_DMABUF_MOVE_NOTIFY. New uses of the old names no longer build (or are dead code).
import type { Patch, Series } from '../../bot/model.ts';
import { defineRule } from '../engine/define-rule.ts';
import { codeOnly, isCFile, postImageOf } from '../engine/analysis/hunk-text.ts';
import type { PostImageLine } from '../engine/analysis/hunk-text.ts';

type Kind = 'field' | 'call' | 'config';

const USES: ReadonlyArray<{ kind: Kind; re: RegExp }> = [
  { kind: 'field', re: /(?:\.|->)\s*move_notify\b/ },
  { kind: 'call', re: /(?<![\w.>])dma_buf_move_notify\b/ },
  { kind: 'config', re: /\b(?:CONFIG_)?DMABUF_MOVE_NOTIFY\b/ },
];

/** Lines that are the primitive itself (definition, declaration, export, Kconfig entry), not uses. */
const IMPLEMENTATION: Record<Kind, RegExp> = {
  field: /\(\s*\*\s*move_notify\s*\)\s*\(/,
  call: /^\s*(?:extern\s+)?(?:static\s+)?(?:inline\s+)?void\s+dma_buf_move_notify\s*\(|EXPORT_SYMBOL\w*\s*\(\s*dma_buf_move_notify\b|#\s*define\s+dma_buf_move_notify\b/,
  config: /^\s*(?:menu)?config\s+DMABUF_MOVE_NOTIFY\b/,
};

/** The dma-buf core, where the primitives themselves are implemented (and were renamed). */
const CORE_FILES = new Set(['drivers/dma-buf/dma-buf.c', 'include/linux/dma-buf.h', 'drivers/dma-buf/Kconfig']);

/** A comment body line whose opening "/*" lies outside the hunk: " * text", " *". */
const COMMENT_CONTINUATION = /^\s*\*(?:\s|$)/;

/** Files where the names can be a build-relevant use: C, Kconfig, Makefiles, config fragments. */
function isBuildFile(path: string): boolean {
  if (path.startsWith('Documentation/') || CORE_FILES.has(path)) return false;
  const base = path.slice(path.lastIndexOf('/') + 1);
  return isCFile(base) || /^(?:Kconfig|Makefile|Kbuild)/.test(base) || /(?:defconfig|\.config)$/.test(base);
}

/** A patch that removes the old primitive (its definition) is the rename itself, not a user. */
function removesPrimitive(patch: Patch, kind: Kind): boolean {
  return patch.files.some((f) =>
    f.hunks.some((h) => h.lines.some((l) => l.type === 'del' && IMPLEMENTATION[kind].test(l.text))),
  );
}

/** Uses before a later patch of the same series renames the primitive are renamed by that patch. */
function renamedInSeries(series: Series, patch: Patch, kind: Kind): boolean {
  return series.patches.some((p) => p.index >= patch.index && removesPrimitive(p, kind));
}

/**
 * A series that adds the primitive (its definition, the ops member, the Kconfig entry) is written
 * against a tree that has it, or introduces it (the 2019 dynamic DMA-buf series): its uses build.
 */
function introducedInSeries(series: Series, kind: Kind): boolean {
  return series.patches.some((p) =>
    p.files.some((f) => f.hunks.some((h) => h.lines.some((l) => l.type === 'add' && IMPLEMENTATION[kind].test(l.text)))),
  );
}

/** Added lines of one file with comments (and, for C, strings) blanked out. */
function addedCode(patch: Patch, fileIndex: number): PostImageLine[] {
  const file = patch.files[fileIndex];
  if (!file || file.status === 'deleted' || file.binary) return [];
  const lines = [...postImageOf(patch, file)].filter((l): l is PostImageLine => l !== null);
  const code = isCFile(file.path) ? codeOnly(lines.map((l) => l.text)) : lines.map((l) => l.text.replace(/#.*$/, ''));
  return lines
    .map((l, i) => ({ ...l, text: COMMENT_CONTINUATION.test(l.text) ? '' : (code[i] ?? '') }))
    .filter((l) => l.added);
}

export default defineRule({
  meta: {
    id: 'revoke/removed-api',
    severity: 'error',
    description: 'Uses .move_notify, dma_buf_move_notify() or CONFIG_DMABUF_MOVE_NOTIFY, which the revoke series removed',
    messages: {
      field:
        '`{{text}}` uses the importer callback .move_notify, which the dma-buf revoke series (2026) renamed to .invalidate_mappings; on a tree with that change this does not build. Rename it to .invalidate_mappings (the callback must still make the importer unmap in bounded time).',
      call:
        "`{{text}}` calls dma_buf_move_notify(), which the dma-buf revoke series (2026) renamed to dma_buf_invalidate_mappings(); on a tree with that change this does not build. Call dma_buf_invalidate_mappings() with the dma_buf's resv held.",
      config:
        '`{{text}}` refers to CONFIG_DMABUF_MOVE_NOTIFY, which the dma-buf revoke series (2026) removed (move notify is always built): an IS_ENABLED()/#ifdef on it is always false and a Kconfig dependency on it can never be met. Drop the condition.',
    },
    triggers: ['move_notify', 'dma_buf_move_notify', 'DMABUF_MOVE_NOTIFY', 'CONFIG_DMABUF_MOVE_NOTIFY'],
    scope: 'patch',
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    patch.files.forEach((file, fileIndex) => {
      if (!isBuildFile(file.path)) return;
      for (const added of addedCode(patch, fileIndex)) {
        const hit = USES.find(({ kind, re }) => re.test(added.text) && !IMPLEMENTATION[kind].test(added.text));
        if (!hit || renamedInSeries(ctx.series, patch, hit.kind) || introducedInSeries(ctx.series, hit.kind)) continue;
        ctx.report({
          messageId: hit.kind,
          patch: patch.index,
          file: file.path,
          line: added.line,
          side: 'new',
          data: { text: added.text.trim().slice(0, 120) },
        });
      }
    });
  },
});
