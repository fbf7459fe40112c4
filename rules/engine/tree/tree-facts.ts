// --tree: apply the series patch by patch in a temporary worktree and take whole-function facts
// of the touched C files after each patch (line numbers = that patch's post-image). Pre-image
// facts still come from the hunks. If the series does not apply, say so and fall back to hunks.
import { readFile, realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Patch, Series } from '../../../bot/model.ts';
import { oneLine } from '../../../bot/errors.ts';
import { patchFacts } from '../facts/cache.ts';
import { isCFile } from '../facts/extract.ts';
import { loadCParser } from '../facts/parser.ts';
import type { FunctionFacts } from '../types.ts';
import { firstLine, git } from './git.ts';
import { wholeFileFacts } from './whole-file.ts';
import { withWorktree } from './worktree.ts';

export interface TreeFacts {
  /** Patch index -> facts; undefined when the series could not be applied. */
  facts?: Map<number, FunctionFacts[]>;
  note?: string;
}

export async function treeFacts(series: Series, tree: string): Promise<TreeFacts> {
  try {
    await loadCParser();
    return await withWorktree(tree, series.baseCommit, async (wt) => {
      const facts = new Map<number, FunctionFacts[]>();
      for (const patch of series.patches) {
        const diff = diffText(patch);
        if (diff === '') continue;
        const applied = await git(wt.dir, ['apply', '--index', '--whitespace=nowarn', '-'], diff);
        if (!applied.ok) {
          return { note: `series does not apply to ${tree} at ${wt.commit.slice(0, 12)}: patch ${patch.index}: ${firstLine(applied.stderr)}; reviewed hunks only` };
        }
        facts.set(patch.index, await patchTreeFacts(patch, wt.dir));
      }
      return { facts, note: `reviewed whole functions: series applied to ${tree} at ${wt.commit.slice(0, 12)}` };
    });
  } catch (err) {
    return { note: `--tree ${tree}: ${oneLine(err)}; reviewed hunks only` };
  }
}

async function patchTreeFacts(patch: Patch, dir: string): Promise<FunctionFacts[]> {
  const out: FunctionFacts[] = [];
  for (const change of patch.files) {
    if (!isCFile(change) || change.newPath === null) continue;
    // Paths are untrusted text: never read outside the worktree.
    const path = resolve(dir, change.newPath);
    if (!path.startsWith(resolve(dir) + sep)) continue;
    // [hardening] A patch can add a symlink (mode 120000) named like a C file: follow it only
    // when its target stays inside the worktree.
    const real = await realpath(path).catch(() => null);
    if (real === null || !real.startsWith((await realpath(dir)) + sep)) continue;
    const content = await readFile(real, 'utf8').catch(() => null);
    if (content !== null) out.push(...wholeFileFacts(patch, change, content));
  }
  // The pre-image is what the hunks show of the old code.
  out.push(...(await patchFacts(patch, patch.index)).filter((fn) => fn.image === 'old'));
  return out;
}

/** The diff part of the patch mail: from the first "diff --git" to the signature. */
function diffText(patch: Patch): string {
  const body = patch.message.body.replace(/\r\n/g, '\n');
  const at = body.search(/^diff --git /m);
  if (at < 0) return '';
  const diff = body.slice(at);
  const sig = diff.search(/^-- $/m);
  return `${(sig >= 0 ? diff.slice(0, sig) : diff).replace(/\n*$/, '')}\n`;
}
