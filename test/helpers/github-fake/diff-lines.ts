// Which lines a file's part of a PR diff shows on its new (RIGHT) side: the only lines a review
// comment may be anchored at. GitHub answers 422 for any other line.

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

export function rightSideLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let next = 0;
  for (const line of patch.split('\n')) {
    const m = HUNK.exec(line);
    if (m) {
      next = Number(m[1]);
      continue;
    }
    if (next === 0) continue;
    if (line.startsWith('+') || line.startsWith(' ')) lines.add(next++);
  }
  return lines;
}
