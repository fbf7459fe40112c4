// Builds git-style unified diffs for rule tests: hunk headers are counted from the body, so a
// test table only states each hunk's first new-side line.

export interface HunkSpec {
  /** First line of the hunk, new side (old side starts at the same number). */
  start: number;
  /** Function context after the closing "@@", e.g. "void foo(struct bar *b)". */
  section?: string;
  /** Lines prefixed with ' ', '+' or '-'; a trailing newline is optional. */
  body: string;
}

function header(spec: HunkSpec): string {
  const lines = spec.body.replace(/\n$/, '').split('\n');
  const oldLines = lines.filter((l) => !l.startsWith('+')).length;
  const newLines = lines.filter((l) => !l.startsWith('-')).length;
  const section = spec.section ? ` ${spec.section}` : '';
  return `@@ -${spec.start},${oldLines} +${spec.start},${newLines} @@${section}\n${lines.join('\n')}\n`;
}

/** One file's diff (modified file) with its hunks in order. */
export function fileDiff(path: string, ...hunks: HunkSpec[]): string {
  return `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n${hunks.map(header).join('')}`;
}
