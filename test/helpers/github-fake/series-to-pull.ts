// Turns a real mailed series (an mbox from ../shared/corpus) into git commits and then into a pull
// request for the fake: the kernel tree is not here, so a base is reconstructed that holds exactly
// the lines the patches show as context or remove (other lines are filler), the patches are
// applied with `git am`, and the commits and the PR diff come from git itself.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseUnifiedDiff } from '../../../bot/mail/diff.ts';
import type { FakeCommit, FakeFile, FakePull } from './model.ts';

type Item = { base: number } | { text: string };

interface FileModel {
  /** Known base lines by index; undefined = not shown by any patch (filler). null model = absent at base. */
  base: Array<string | undefined> | null;
  baseCount: number;
  items: Item[];
}

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_COMMITTER_NAME: 'deptbot test',
      GIT_COMMITTER_EMAIL: 'test@deptbot.invalid',
      GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
    },
  });
}

function itemAt(model: FileModel, pos: number): Item {
  while (model.items.length <= pos) model.items.push({ base: model.baseCount++ });
  return model.items[pos] as Item;
}

/** Records what a context or removed line says about the file at `pos`; fails on a contradiction. */
function learn(model: FileModel, pos: number, text: string, where: string): void {
  const item = itemAt(model, pos);
  if ('text' in item) {
    if (item.text !== text) throw new Error(`${where}: patch does not apply to the preceding ones`);
    return;
  }
  const base = model.base as Array<string | undefined>;
  const known = base[item.base];
  if (known !== undefined && known !== text) throw new Error(`${where}: base line ${item.base + 1} contradicts`);
  base[item.base] = text;
}

function applyToModels(models: Map<string, FileModel>, diff: string, where: string): void {
  for (const change of parseUnifiedDiff(diff)) {
    if (change.binary) throw new Error(`${where}: binary patch`);
    let model: FileModel;
    if (change.status === 'added') {
      model = { base: null, baseCount: 0, items: [] };
    } else {
      const path = change.oldPath ?? change.path;
      const existing = models.get(path);
      model = existing ?? { base: [], baseCount: 0, items: [] };
      if (!existing) models.set(path, model);
    }
    let offset = 0;
    for (const hunk of change.hunks) {
      let pos = (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1) + offset;
      for (const line of hunk.lines) {
        if (line.type === 'add') {
          if (pos > 0) itemAt(model, pos - 1);
          model.items.splice(pos, 0, { text: line.text });
          pos++;
          continue;
        }
        learn(model, pos, line.text, where);
        if (line.type === 'del') model.items.splice(pos, 1);
        else pos++;
      }
      offset += hunk.newLines - hunk.oldLines;
    }
    if (change.status === 'added' && change.newPath) models.set(change.newPath, model);
    // A renamed file keeps its base under the old path and its current lines under the new one.
    if (change.status === 'renamed' && change.newPath && change.oldPath) {
      models.set(change.newPath, { ...model, base: null });
    }
  }
}

export interface SeriesPull {
  pull: FakePull;
  /** The temporary git repository (removed by cleanup). */
  dir: string;
  cleanup(): void;
}

/** Builds commits from a series mbox and returns the pull request the fake should serve. */
export function seriesToPull(mboxPath: string, number: number): SeriesPull {
  const dir = mkdtempSync(join(tmpdir(), 'deptbot-series-'));
  const mails = join(dir, '.mails');
  mkdirSync(mails);
  git(dir, ['init', '-q', '-b', 'main', '.']);
  git(dir, ['mailsplit', '--mboxrd', '-o.mails', mboxPath]);
  const names = readdirSync(mails).sort();
  let title = '';
  let body = '';
  const patches: string[] = [];
  const models = new Map<string, FileModel>();
  for (const name of names) {
    const file = join(mails, name);
    const info = git(dir, ['mailinfo', '--quoted-cr=strip', join(mails, `${name}.msg`), join(mails, `${name}.patch`)], readFileSync(file, 'utf8'));
    const diff = readFileSync(join(mails, `${name}.patch`), 'utf8');
    const subject = /^Subject: (.*)$/m.exec(info)?.[1] ?? '';
    if (!/^diff --git /m.test(diff)) {
      // The cover letter: its subject and text become the PR title and body.
      title = subject.replace(/^\[[^\]]*\]\s*/, '');
      body = readFileSync(join(mails, `${name}.msg`), 'utf8').trim();
      continue;
    }
    applyToModels(models, diff, `${mboxPath} ${name}`);
    patches.push(file);
  }
  for (const [path, model] of models) {
    if (!model.base) continue;
    const lines = Array.from({ length: model.baseCount }, (_, i) => model.base?.[i] ?? `/* base line ${i + 1} (not in the series) */`);
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), `${lines.join('\n')}\n`);
  }
  git(dir, ['add', '-A', '--', '.', ':!.mails']);
  git(dir, ['-c', 'user.name=base', '-c', 'user.email=base@deptbot.invalid', 'commit', '-q', '--date=2026-01-01T00:00:00Z', '-m', 'base (reconstructed)']);
  const baseSha = git(dir, ['rev-parse', 'HEAD']).trim();
  for (const p of patches) git(dir, ['am', '-q', '--quoted-cr=strip', p]);
  const headSha = git(dir, ['rev-parse', 'HEAD']).trim();
  const shas = git(dir, ['rev-list', '--reverse', `${baseSha}..${headSha}`]).trim().split('\n');
  const commits: FakeCommit[] = shas.map((sha) => {
    const [name = '', email = '', date = ''] = git(dir, ['show', '-s', '--format=%an%x00%ae%x00%aI', sha]).trim().split('\0');
    return {
      sha,
      patch: git(dir, ['format-patch', '-1', '--stdout', '--no-signature', sha]),
      message: git(dir, ['show', '-s', '--format=%B', sha]),
      author: { name, email, date },
    };
  });
  if (!title) title = commits[0]?.message.split('\n')[0] ?? 'series';
  const files: FakeFile[] = git(dir, ['diff', '-M', '--numstat', '-z', baseSha, headSha])
    .split('\0')
    .filter(Boolean)
    .reduce<string[][]>((acc, part) => {
      // -z numstat: "add\tdel\tpath" or, for renames, "add\tdel\t" followed by old and new path.
      const last = acc[acc.length - 1];
      if (last && last.length < 4 && last[2] === '') last.push(part);
      else acc.push(part.split('\t'));
      return acc;
    }, [])
    .map((entry) => {
      const [add = '0', del = '0', path = '', oldPath, newPath] = entry;
      const filename = newPath ?? path;
      const full = git(dir, ['diff', '-M', baseSha, headSha, '--', ...(oldPath ? [oldPath, filename] : [filename])]);
      const hunks = full.slice(full.indexOf('\n@@') + 1);
      const status: FakeFile['status'] = oldPath ? 'renamed' : /^new file mode/m.test(full) ? 'added' : /^deleted file mode/m.test(full) ? 'removed' : 'modified';
      return {
        filename,
        status,
        ...(oldPath ? { previous_filename: oldPath } : {}),
        additions: Number(add),
        deletions: Number(del),
        patch: hunks.replace(/\n$/, ''),
      };
    });
  const first = commits[0]?.author;
  return {
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    pull: {
      number,
      title,
      body,
      state: 'open',
      user: (first?.email.split('@')[0] ?? 'author').replace(/[^A-Za-z0-9-]/g, '-'),
      createdAt: first?.date ?? '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-02T00:00:00Z',
      base: { ref: 'main', sha: baseSha },
      head: { ref: `series-${number}`, sha: headSha },
      commits,
      files,
    },
  };
}
