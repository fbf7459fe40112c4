// A temporary detached worktree of a kernel tree; always removed, even when applying fails.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstLine, git } from './git.ts';

export interface Worktree {
  dir: string;
  commit: string;
}

/** Runs `use` in a worktree at `baseCommit` (when the tree has it) or HEAD; removes it afterwards. */
export async function withWorktree<T>(tree: string, baseCommit: string | undefined, use: (wt: Worktree) => Promise<T>): Promise<T> {
  const top = await git(tree, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new Error(`${tree} is not a git tree: ${firstLine(top.stderr)}`);
  const repo = top.stdout.trim();
  let commit = 'HEAD';
  if (baseCommit && /^[0-9a-f]{7,64}$/i.test(baseCommit) && (await git(repo, ['cat-file', '-e', `${baseCommit}^{commit}`])).ok) commit = baseCommit;
  const resolved = await git(repo, ['rev-parse', '--verify', `${commit}^{commit}`]);
  if (!resolved.ok) throw new Error(`${tree} has no commit ${commit}: ${firstLine(resolved.stderr)}`);
  const sha = resolved.stdout.trim();
  const tmp = await mkdtemp(join(tmpdir(), 'deptbot-tree-'));
  const dir = join(tmp, 'wt');
  try {
    const add = await git(repo, ['worktree', 'add', '--detach', '--quiet', dir, sha]);
    if (!add.ok) throw new Error(`cannot create a worktree of ${tree}: ${firstLine(add.stderr)}`);
    return await use({ dir, commit: sha });
  } finally {
    await git(repo, ['worktree', 'remove', '--force', dir]);
    await rm(tmp, { recursive: true, force: true });
    await git(repo, ['worktree', 'prune']);
  }
}
