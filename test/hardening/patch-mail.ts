// A git format-patch style mail built to a given shape, for the hardening tests.

/** One patch mail: `files` files of `lines` added lines each. */
export function patchMail(opts: { id: string; subject?: string; files?: number; lines?: number; line?: (i: number) => string }): string {
  const files = opts.files ?? 1;
  const lines = opts.lines ?? 1;
  const diff: string[] = [];
  for (let f = 0; f < files; f++) {
    diff.push(`diff --git a/f${f}.c b/f${f}.c`, `--- a/f${f}.c`, `+++ b/f${f}.c`, `@@ -1,0 +1,${lines} @@`);
    for (let i = 0; i < lines; i++) diff.push(`+${opts.line ? opts.line(i) : `x${i}();`}`);
  }
  return [`From: Dev <dev@example.org>`, `Subject: ${opts.subject ?? '[PATCH] x'}`, `Message-ID: <${opts.id}@example.org>`, 'Date: Mon, 1 Jan 2024 00:00:00 +0000', '', 'Change.', '', 'Signed-off-by: Dev <dev@example.org>', '---', ...diff, ''].join('\n');
}
