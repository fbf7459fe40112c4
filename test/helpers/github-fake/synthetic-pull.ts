// A large pull request made up for pagination tests: `commits` commits, each adding
// `filesPerCommit` small C files, as GitHub would serve them (format-patch text, PR files).
import { createHash } from 'node:crypto';
import type { FakeCommit, FakeFile, FakePull } from './model.ts';

function sha(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function fileName(commit: number, file: number): string {
  return `drivers/synthetic/c${String(commit).padStart(3, '0')}/f${String(file).padStart(2, '0')}.c`;
}

function body(commit: number, file: number): string[] {
  return [`int synthetic_${commit}_${file}(void)`, '{', `\treturn ${file};`, '}'];
}

export function syntheticPull(number: number, commits: number, filesPerCommit: number): FakePull {
  const list: FakeCommit[] = [];
  const files: FakeFile[] = [];
  for (let c = 1; c <= commits; c++) {
    const diffs: string[] = [];
    for (let f = 1; f <= filesPerCommit; f++) {
      const name = fileName(c, f);
      const lines = body(c, f);
      const hunk = [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
      diffs.push([`diff --git a/${name} b/${name}`, 'new file mode 100644', `index 0000000..${sha(name).slice(0, 7)}`, '--- /dev/null', `+++ b/${name}`, hunk].join('\n'));
      files.push({ filename: name, status: 'added', additions: lines.length, deletions: 0, patch: hunk });
    }
    const id = sha(`commit ${c}`);
    const subject = `synthetic: add block ${c}`;
    const message = `${subject}\n\nAdds ${filesPerCommit} files.\n\nSigned-off-by: Dev Eloper <dev@example.org>\n`;
    const patch = [
      `From ${id} Mon Sep 17 00:00:00 2001`,
      'From: Dev Eloper <dev@example.org>',
      'Date: Thu, 1 Jan 2026 00:00:00 +0000',
      `Subject: [PATCH] ${subject}`,
      '',
      `Adds ${filesPerCommit} files.`,
      '',
      'Signed-off-by: Dev Eloper <dev@example.org>',
      '---',
      ...diffs,
      '-- ',
      '2.39.5',
      '',
    ].join('\n');
    list.push({ sha: id, patch, message, author: { name: 'Dev Eloper', email: 'dev@example.org', date: '2026-01-01T00:00:00Z' } });
  }
  return {
    number,
    title: `synthetic series of ${commits} commits`,
    body: 'A large series for pagination.',
    state: 'open',
    user: 'dev',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    base: { ref: 'main', sha: sha('base') },
    head: { ref: 'big', sha: list[list.length - 1]?.sha ?? sha('base') },
    commits: list,
    files,
  };
}
