// Array-of-lines conveniences over git-diff.ts for rule test tables: body lines carry their own
// ' ', '+' or '-' prefix; hunk counts are computed by fileDiff().
import { fileDiff } from './git-diff.ts';

export interface HunkOptions {
  /** First line number of the hunk on both sides (default 10). */
  start?: number;
  /** Text after the closing "@@" (git's function context). */
  section?: string;
}

/** One hunk of a modified file. */
export function hunkDiff(file: string, body: readonly string[], opts: HunkOptions = {}): string {
  return fileDiff(file, { start: opts.start ?? 10, body: body.join('\n'), ...(opts.section ? { section: opts.section } : {}) });
}

/** A whole function as one hunk: ` header` at line `start`, ` {`, the body, ` }`. */
export function functionDiff(file: string, header: string, body: readonly string[], start = 10): string {
  return hunkDiff(file, [` ${header}`, ' {', ...body, ' }'], { start });
}

/** A new file; `lines` are its contents without prefixes. */
export function newFileDiff(file: string, lines: readonly string[]): string {
  const head = `diff --git a/${file} b/${file}\nnew file mode 100644\nindex 0000000..2222222\n--- /dev/null\n+++ b/${file}\n`;
  return `${head}@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
}
